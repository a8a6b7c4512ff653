package dev.cartan.bench;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.DoubleKernels;
import dev.cartan.kernels.KernelProvider;
import dev.cartan.kernels.linalg.BlockReflectors;
import dev.cartan.kernels.linalg.HouseholderQr;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * Phases of the blocked Householder QR (dgeqrf's loop rebuilt from {@link HouseholderQr}'s public pieces): the
 * level-2 panel factorization, the block reflector's load (V copy and T), and the trailing update by GEMM, in
 * milliseconds of thread CPU time per phase (minimum over rounds of each phase's sum), with the flop rate of each.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.cartan.bench.QrProfile \
 *     3072x768 [rounds] [nb] [leaf]
 * </pre>
 */
public final class QrProfile {
  private QrProfile() {}

  /**
   * Arguments: the shape {@code MxN}, rounds (default 5), the panel width (default 64) and the recursive panel's
   * leaf (default 0: the level-2 panel).
   */
  public static void main(String[] args) {
    String[] p = args[0].split("x");
    int m = Integer.parseInt(p[0]);
    int n = Integer.parseInt(p[1]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int nb = args.length > 2 ? Integer.parseInt(args[2]) : HouseholderQr.DEFAULT_BLOCK;
    // leaf > 0: panels by the recursive factorization with that leaf (its T is then formed again by load).
    int leaf = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Random r = new Random(42);
    DMatrix a = DMatrix.zeros(m, n);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        a.set(i, j, r.nextGaussian());
      }
    }
    DMatrix w = DMatrix.zeros(m, n);
    DoubleKernels k = KernelProvider.get().f64();
    double[] tau = new double[Math.min(m, n)];
    double[] tauPanel = new double[nb];
    BlockReflectors block = new BlockReflectors();
    double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
    double panelFlops = 0;
    double updateFlops = 0;
    for (int round = 0; round <= rounds; round++) {
      a.copyInto(w);
      long[] t = new long[3];
      long t0 = mx.getCurrentThreadCpuTime();
      panelFlops = 0;
      updateFlops = 0;
      int kr = Math.min(m, n);
      for (int q = 0; q < kr; q += nb) {
        int ib = Math.min(nb, kr - q);
        long c0 = mx.getCurrentThreadCpuTime();
        if (leaf > 0) {
          HouseholderQr.factorRecursive(k, w.view(q, q, m - q, ib), tauPanel, ib, leaf);
        } else {
          HouseholderQr.factor(k, w.view(q, q, m - q, ib), tauPanel, 1, 0);
        }
        System.arraycopy(tauPanel, 0, tau, q, ib);
        long c1 = mx.getCurrentThreadCpuTime();
        panelFlops += 2.0 * (m - q) * ib * ib - 2.0 / 3 * ib * ib * ib;
        if (q + ib < n) {
          block.load(w.view(q, q, m - q, ib), tau, q);
          long c2 = mx.getCurrentThreadCpuTime();
          block.applyLeft(w.view(q, q + ib, m - q, n - q - ib), true);
          long c3 = mx.getCurrentThreadCpuTime();
          updateFlops += 4.0 * (m - q) * (n - q - ib) * ib;
          t[1] += c2 - c1;
          t[2] += c3 - c2;
        }
        t[0] += c1 - c0;
      }
      long total = mx.getCurrentThreadCpuTime() - t0;
      if (round > 0) {
        for (int i = 0; i < 3; i++) {
          best[i] = Math.min(best[i], t[i] / 1e6);
        }
        best[3] = Math.min(best[3], total / 1e6);
      }
    }
    System.out.printf("%s nb=%d leaf=%d, %s, min of %d rounds (ms, thread CPU)%n", args[0], nb, leaf, KernelProvider.get(), rounds);
    System.out.printf("panel (dgeqr2)  %8.1f ms  %6.1f GF/s%n", best[0], panelFlops / best[0] / 1e6);
    System.out.printf("load (V, T)     %8.1f ms%n", best[1]);
    System.out.printf("update (GEMM)   %8.1f ms  %6.1f GF/s%n", best[2], updateFlops / best[2] / 1e6);
    System.out.printf("total           %8.1f ms  %6.1f GF/s (2mn^2 - 2n^3/3)%n", best[3],
        (2.0 * m * n * n - 2.0 / 3 * n * n * n) / best[3] / 1e6);
  }
}
