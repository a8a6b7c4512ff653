package dev.cartan.kernels.svd;

import dev.cartan.kernels.DoubleKernels;
import dev.cartan.kernels.KernelProvider;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * Phase profile of the two-stage values route (not a test; run by hand, see docs/benchmarks.md): thread CPU time
 * of stage 1 (dense to band; float64, and float32 on the same matrix rounded), stage 2 (band to bidiagonal) and dqds on one square Gaussian matrix, the minimum over
 * the repetitions, with each phase's rate as a fraction of the FMA peak given in GFLOP/s.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp kernels/target/classes:kernels/target/test-classes \
 *     dev.cartan.kernels.svd.TwoStageProfile N [band reps peakGflops group]
 * </pre>
 */
public final class TwoStageProfile {
  private TwoStageProfile() {}

  /** Arguments: order n, optional bandwidth (default 32), repetitions (5) and the f64 FMA peak (100 GFLOP/s). */
  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    int b = args.length > 1 ? Integer.parseInt(args[1]) : BidiagonalSvd.DEFAULT_BAND;
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    double peak = args.length > 3 ? Double.parseDouble(args[3]) : 100.0;
    int group = args.length > 4 ? Integer.parseInt(args[4]) : BandBidiagonal.DEFAULT_GROUP;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    DoubleKernels k = KernelProvider.get().f64();
    Random rnd = new Random(1);
    double[] a0 = new double[n * n];
    for (int i = 0; i < a0.length; i++) {
      a0[i] = rnd.nextGaussian();
    }
    float[] f0 = new float[n * n];
    for (int i = 0; i < a0.length; i++) {
      f0[i] = (float) a0[i];
    }
    BandReduction stage1 = new BandReduction();
    FloatBandReduction stage1f = new FloatBandReduction();
    double best1f = Double.MAX_VALUE;
    int ld = 3 * b;
    double[] band = new double[BandBidiagonal.bandSize(n, ld)];
    double[] d = new double[n];
    double[] e = new double[n];
    double[] work = new double[Math.max(5 * n, BandBidiagonal.workSize(b))];
    double best1 = Double.MAX_VALUE;
    double best2 = Double.MAX_VALUE;
    double best3 = Double.MAX_VALUE;
    int steps = 0;
    for (int rep = 0; rep < reps; rep++) {
      float[] f = f0.clone();
      long s0 = mx.getCurrentThreadCpuTime();
      stage1f.reduce(KernelProvider.get().f32(), n, n, f, n, b);
      best1f = Math.min(best1f, (mx.getCurrentThreadCpuTime() - s0) / 1e6);
      double[] a = a0.clone();
      long t0 = mx.getCurrentThreadCpuTime();
      stage1.reduce(k, n, n, a, n, b);
      long t1 = mx.getCurrentThreadCpuTime();
      BandReduction.copyBand(n, b, a, n, band, ld);
      BandBidiagonal.reduce(k, n, b, band, 0, ld, d, e, work, group);
      long t2 = mx.getCurrentThreadCpuTime();
      e[n - 1] = 0.0;
      steps = Dqds.singularValues(n, d, e, work).steps;
      long t3 = mx.getCurrentThreadCpuTime();
      best1 = Math.min(best1, (t1 - t0) / 1e6);
      best2 = Math.min(best2, (t2 - t1) / 1e6);
      best3 = Math.min(best3, (t3 - t2) / 1e6);
    }
    double f1 = 8.0 / 3.0 * n * (double) n * n;
    double f2 = 4.0 * b * (double) n * n;
    System.out.printf("%s n=%d b=%d group=%d (thread CPU, min of %d): stage1 %.1f ms (%.0f%% of %.0f GF/s), "
            + "stage2 %.1f ms (%.0f%%), dqds %.1f ms (%.2f steps per value), total %.1f ms; float32 stage1 %.1f ms%n",
        KernelProvider.get(), n, b, group, reps, best1, 100 * f1 / (best1 * 1e6) / peak, peak, best2,
        100 * f2 / (best2 * 1e6) / peak, best3, steps / (double) n, best1 + best2 + best3, best1f);
  }
}
