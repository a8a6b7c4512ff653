package dev.cartan.kernels.svd;

import dev.cartan.kernels.DoubleKernels;
import dev.cartan.kernels.KernelProvider;
import java.util.Random;

/**
 * Phase profile of the fast SVD (not a test; run by hand, see docs/benchmarks.md): times the reduction to
 * bidiagonal form, dqds, the bidiagonal SVD with vectors (divide and conquer or QR) and the back-transformation
 * separately (thread CPU time) on one Gaussian
 * matrix, a few repetitions each.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp kernels/target/classes:kernels/target/test-classes \
 *     dev.cartan.kernels.svd.BidiagonalSvdProfile M N [panel crossover reps leaf]
 * </pre>
 */
public final class BidiagonalSvdProfile {
  private BidiagonalSvdProfile() {}

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  /** This thread's CPU time in nanoseconds: on a shared machine it excludes time spent waiting for a core. */
  private static long cpu() {
    return THREADS.getCurrentThreadCpuTime();
  }

  /** Arguments: rows, columns (m >= n), optional panel width, crossover, repetitions and leaf (0 = QR). */
  public static void main(String[] args) {
    int m = Integer.parseInt(args[0]);
    int n = Integer.parseInt(args[1]);
    int nb = args.length > 2 ? Integer.parseInt(args[2]) : BidiagonalSvd.DEFAULT_PANEL;
    int nx = args.length > 3 ? Integer.parseInt(args[3]) : BidiagonalSvd.DEFAULT_CROSSOVER;
    int reps = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    // Leaf of the divide and conquer; 0 runs the implicit QR with vectors instead.
    int leaf = args.length > 5 ? Integer.parseInt(args[5]) : BidiagonalDc.DEFAULT_LEAF;
    DoubleKernels k = KernelProvider.get().f64();
    Random r = new Random(1);
    double[] a0 = new double[m * n];
    for (int i = 0; i < a0.length; i++) {
      a0[i] = r.nextGaussian();
    }
    for (int rep = 0; rep < reps; rep++) {
      double[] a = a0.clone();
      double[] d = new double[n];
      double[] e = new double[n];
      double[] tq = new double[n];
      double[] tp = new double[n];
      double[] x = new double[m * Math.max(nb, 1)];
      double[] y = new double[n * Math.max(nb, 1)];
      double[] buf = new double[2 * m + 2 * n + 2 * nb + 2 + 5 * n];
      long t0 = cpu();
      Bidiagonalization.reduce(k, m, n, a, m, d, e, tq, tp, nb, nx, x, y, buf);
      long t1 = cpu();
      double[] dd = d.clone();
      Dqds.Stats st = Dqds.singularValues(n, dd, e.clone(), new double[5 * n]);
      long t2 = cpu();
      double[] u = new double[m * n];
      double[] v = new double[n * n];
      for (int i = 0; i < n; i++) {
        u[i + i * m] = 1;
        v[i + i * n] = 1;
      }
      long t3;
      int sweeps;
      String dcInfo = "";
      if (leaf > 0) {
        BidiagonalDc.Stats ds = BidiagonalDc.decompose(n, d.clone(), e.clone(), u, m, v, n, leaf);
        sweeps = ds.sweeps;
        dcInfo = String.format(" [merge GEMM %.2f GF, %d deflated, %d secular steps]", ds.gemmFlops / 1e9,
            ds.deflated, ds.secularSteps);
      } else {
        BidiagonalQr.Stats qs = BidiagonalQr.decompose(n, d.clone(), e.clone(), u, 0, m, n, v, 0, n, n);
        sweeps = qs.sweeps;
      }
      t3 = cpu();
      Bidiagonalization.applyQ(k, m, n, a, m, tq, u, 0, m, n, buf);
      Bidiagonalization.applyP(k, n, a, m, tp, v, 0, n, n, new double[Bidiagonalization.packedSize(n)], buf);
      long t4 = cpu();
      System.out.printf(
          "%s %dx%d panel=%d crossover=%d: reduce %.1f ms, dqds %.1f ms (%d steps), %s %.1f ms"
              + " (%d leaf sweeps)%s, back-transform %.1f ms%n",
          KernelProvider.get().name(), m, n, nb, nx, (t1 - t0) / 1e6, (t2 - t1) / 1e6, st.steps,
          leaf > 0 ? "divide and conquer (leaf " + leaf + ")" : "bidiagonal QR", (t3 - t2) / 1e6, sweeps,
          dcInfo, (t4 - t3) / 1e6);
    }
  }
}
