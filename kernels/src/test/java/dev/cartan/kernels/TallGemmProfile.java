package dev.cartan.kernels;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * Rates of the block-reflector trailing update's products (not a test; run by hand, see docs/design-notes.md,
 * "Trailing update: V^T C without packing C"): {@code W = C^T V} by {@link Gemm}, by {@link NarrowGemm} and, as
 * {@code W^T = V^T C}, by {@link TallGemm}, and the rank-k update {@code C -= V W^T} by {@link Gemm}, on a Gaussian
 * {@code m x n} C and {@code m x k} V; thread CPU, minimum over the repetitions, interleaved; plus the largest
 * difference between TallGemm's and Gemm's W.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp kernels/target/classes:kernels/target/test-classes \
 *     dev.cartan.kernels.TallGemmProfile M N K [reps]
 * </pre>
 */
public final class TallGemmProfile {
  private TallGemmProfile() {}

  /** Arguments: m, n, k and the repetitions (default 20). */
  public static void main(String[] args) {
    int m = Integer.parseInt(args[0]);
    int n = Integer.parseInt(args[1]);
    int k = Integer.parseInt(args[2]);
    int reps = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Random r = new Random(1);
    DMatrix c = DMatrix.zeros(m, n);
    DMatrix v = DMatrix.zeros(m, k);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        c.set(i, j, r.nextGaussian());
      }
    }
    for (int j = 0; j < k; j++) {
      for (int i = 0; i < m; i++) {
        v.set(i, j, r.nextGaussian());
      }
    }
    DMatrix w = DMatrix.zeros(n, k);
    DMatrix w2 = DMatrix.zeros(n, k);
    DMatrix wt = DMatrix.zeros(k, n);
    String[] names = {"Gemm C^T V", "NarrowGemm C^T V", "TallGemm V^T C", "Gemm C -= V W^T"};
    double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
    for (int rep = 0; rep <= reps; rep++) {
      for (int x = 0; x < names.length; x++) {
        long t0 = mx.getCurrentThreadCpuTime();
        switch (x) {
          case 0 -> Gemm.gemm(1.0, c.transpose(), v, 0.0, w);
          case 1 -> NarrowGemm.gemm(1.0, c.transpose(), v, 0.0, w2);
          case 2 -> TallGemm.atb(1.0, v, c, 0.0, wt);
          default -> Gemm.gemm(-1e-9, v, w.transpose(), 1.0, c);
        }
        long t1 = mx.getCurrentThreadCpuTime();
        if (rep > 0) {
          best[x] = Math.min(best[x], (t1 - t0) / 1e6);
        }
      }
    }
    Gemm.gemm(1.0, c.transpose(), v, 0.0, w);
    TallGemm.atb(1.0, v, c, 0.0, wt);
    double diff = 0;
    for (int j = 0; j < k; j++) {
      for (int i = 0; i < n; i++) {
        diff = Math.max(diff, Math.abs(w.get(i, j) - wt.get(j, i)));
      }
    }
    System.out.printf("C %dx%d, k = %d, %s, min of %d (thread CPU); TallGemm - Gemm max |diff| %.2e%n", m, n, k,
        KernelProvider.get(), reps, diff);
    for (int x = 0; x < names.length; x++) {
      System.out.printf("  %-18s %8.2f ms %6.1f GF/s%n", names[x], best[x], 2.0 * m * n * k / best[x] / 1e6);
    }
  }
}
