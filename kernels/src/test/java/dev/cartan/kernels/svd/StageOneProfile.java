package dev.cartan.kernels.svd;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.DoubleKernels;
import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.Gemm;
import dev.cartan.kernels.KernelProvider;
import dev.cartan.kernels.NarrowGemm;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * Finer phase profile of stage 1 (not a test; run by hand, see docs/benchmarks.md): thread CPU per part of
 * {@link BandReduction}'s float64 step through its {@link BandReduction.Laps} hook (the minimum total over the
 * repetitions, with its parts), plus isolated GEMM rates of the step's shapes at the first panel. Two variants
 * alternate in one JVM: {@code -Dab=pad} (default) the work array with ld n against ld
 * {@link TwoStageValues#leading}; {@code -Dab=narrow} the narrow products by the packed GEMM against
 * {@link dev.cartan.kernels.NarrowGemm}.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp kernels/target/classes:kernels/target/test-classes \
 *     [-Dab=pad|narrow] dev.cartan.kernels.svd.StageOneProfile N [band reps]
 * </pre>
 */
public final class StageOneProfile {
  private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  private static final String[] NAMES = BandReduction.PARTS;
  private final double[] acc = new double[NAMES.length];
  private long last;

  private StageOneProfile() {}

  private void lap(int part) {
    long now = MX.getCurrentThreadCpuTime();
    if (part >= 0) {
      acc[part] += (now - last) / 1e6;
    }
    last = now;
  }

  /** Arguments: order n, optional bandwidth (default 32) and repetitions (5). */
  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    int b = args.length > 1 ? Integer.parseInt(args[1]) : BidiagonalSvd.DEFAULT_BAND;
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    boolean abPad = !"narrow".equals(System.getProperty("ab", "pad"));
    int ldPadded = TwoStageValues.leading(n, Double.BYTES);
    DoubleKernels k = KernelProvider.get().f64();
    Random rnd = new Random(1);
    double[] a0 = new double[n * n];
    for (int i = 0; i < a0.length; i++) {
      a0[i] = rnd.nextGaussian();
    }
    // A/B in one JVM, alternating per repetition: the machine's load moves both variants alike.
    BandReduction stage1 = new BandReduction();
    double[][] best = new double[2][];
    double[] bestTotal = {Double.MAX_VALUE, Double.MAX_VALUE};
    for (int rep = 0; rep < reps; rep++) {
      for (int variant = 0; variant < 2; variant++) {
        StageOneProfile prof = new StageOneProfile();
        stage1.laps = prof::lap;
        stage1.narrow = abPad || variant == 1;
        int lda = abPad && variant == 1 ? ldPadded : n;
        double[] a = new double[lda * n];
        for (int j = 0; j < n; j++) {
          System.arraycopy(a0, j * n, a, j * lda, n);
        }
        long t0 = MX.getCurrentThreadCpuTime();
        stage1.reduce(k, n, n, a, lda, b);
        double total = (MX.getCurrentThreadCpuTime() - t0) / 1e6;
        if (total < bestTotal[variant]) {
          bestTotal[variant] = total;
          best[variant] = prof.acc.clone();
        }
      }
    }
    System.out.printf("%s n=%d b=%d stage 1 (thread CPU, best of %d, alternating): %s %.1f ms, %s %.1f ms%n",
        KernelProvider.get(), n, b, reps, abPad ? "ld n" : "packed", bestTotal[0],
        abPad ? "ld " + ldPadded : "narrow", bestTotal[1]);
    for (int i = 0; i < NAMES.length; i++) {
      System.out.printf("  %-26s %7.1f %7.1f ms%n", NAMES[i], best[0][i], best[1][i]);
    }
    gemmRates(n, b, reps);
  }

  /** Isolated GEMM rates of the step's shapes at the first panel (the largest). */
  private static void gemmRates(int n, int b, int reps) {
    Random rnd = new Random(2);
    int rows = n;
    int cols = n - b;
    DMatrix a2 = random(rnd, rows, cols);
    DMatrix v = random(rnd, rows, b);
    DMatrix y = DMatrix.zeros(cols, b);
    DMatrix left = random(rnd, rows - b, 2 * b);
    DMatrix right = random(rnd, cols, 2 * b);
    DMatrix big = DMatrix.zeros(rows, cols);
    DMatrix c = random(rnd, rows, cols);
    rate("A2^T V (cols x b, k = rows)", 2.0 * rows * cols * b, reps, () -> Gemm.gemm(1.0, a2.transpose(), v, 0.0, y));
    DMatrix u = random(rnd, cols, b);
    DMatrix xs = DMatrix.zeros(rows, b);
    rate("A22 U (rows x b, k = cols)", 2.0 * rows * cols * b, reps, () -> Gemm.gemm(1.0, a2, u, 0.0, xs));
    DMatrix y2 = DMatrix.zeros(cols, b);
    rate("narrow A2^T V", 2.0 * rows * cols * b, reps, () -> NarrowGemm.gemm(1.0, a2.transpose(), v, 0.0, y2));
    DMatrix xs2 = DMatrix.zeros(rows, b);
    rate("narrow A22 U", 2.0 * rows * cols * b, reps, () -> NarrowGemm.gemm(1.0, a2, u, 0.0, xs2));
    System.out.printf("  narrow vs packed: max |diff| %.2e, %.2e%n", maxDiff(y, y2), maxDiff(xs, xs2));
    DMatrix small = random(rnd, 256, 256);
    DMatrix vs = random(rnd, 256, b);
    DMatrix ys = DMatrix.zeros(256, b);
    rate("narrow 256^2 (in L2) A^T V", 2.0 * 256 * 256 * b, reps * 20,
        () -> NarrowGemm.gemm(1.0, small.transpose(), vs, 0.0, ys));
    rate("narrow 256^2 (in L2) A U", 2.0 * 256 * 256 * b, reps * 20, () -> NarrowGemm.gemm(1.0, small, vs, 0.0, ys));
    FMatrix fa2 = FMatrix.zeros(rows, cols);
    FMatrix fv = FMatrix.zeros(rows, b);
    for (int j = 0; j < cols; j++) {
      for (int i = 0; i < rows; i++) {
        fa2.set(i, j, (float) a2.get(i, j));
      }
    }
    for (int j = 0; j < b; j++) {
      for (int i = 0; i < rows; i++) {
        fv.set(i, j, (float) v.get(i, j));
      }
    }
    FMatrix fy = FMatrix.zeros(cols, b);
    FMatrix fx = FMatrix.zeros(rows, b);
    FMatrix fu = FMatrix.zeros(cols, b);
    rate("f32 A2^T V", 2.0 * rows * cols * b, reps, () -> Gemm.gemm(1f, fa2.transpose(), fv, 0f, fy));
    rate("f32 narrow A2^T V", 2.0 * rows * cols * b, reps, () -> NarrowGemm.gemm(1f, fa2.transpose(), fv, 0f, fy));
    rate("f32 narrow A22 U", 2.0 * rows * cols * b, reps, () -> NarrowGemm.gemm(1f, fa2, fu, 0f, fx));
    rate("merged (k = 2b)", 4.0 * (rows - b) * cols * b, reps,
        () -> Gemm.gemm(-1.0, left, right.transpose(), 1.0, c.view(b, 0, rows - b, cols)));
    DMatrix l1 = random(rnd, rows, b);
    rate("rank-b (k = b)", 2.0 * rows * cols * b, reps,
        () -> Gemm.gemm(-1.0, l1, right.view(0, 0, cols, b).transpose(), 1.0, c));
    DMatrix sq1 = random(rnd, rows, 256);
    DMatrix sq2 = random(rnd, 256, cols);
    rate("k = 256", 2.0 * rows * cols * 256, reps, () -> Gemm.gemm(1.0, sq1, sq2, 0.0, big));
  }

  private static double maxDiff(DMatrix x, DMatrix y) {
    double d = 0;
    for (int j = 0; j < x.cols(); j++) {
      for (int i = 0; i < x.rows(); i++) {
        d = Math.max(d, Math.abs(x.get(i, j) - y.get(i, j)));
      }
    }
    return d;
  }

  private static DMatrix random(Random rnd, int r, int c) {
    DMatrix m = DMatrix.zeros(r, c);
    for (int j = 0; j < c; j++) {
      for (int i = 0; i < r; i++) {
        m.set(i, j, rnd.nextGaussian());
      }
    }
    return m;
  }

  private static void rate(String name, double flops, int reps, Runnable r) {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < Math.max(reps, 3) * 4; i++) {
      long t0 = MX.getCurrentThreadCpuTime();
      r.run();
      best = Math.min(best, (MX.getCurrentThreadCpuTime() - t0) / 1e6);
    }
    System.out.printf("  gemm %-30s %6.2f ms  %5.1f GF/s%n", name, best, flops / best / 1e6);
  }
}
