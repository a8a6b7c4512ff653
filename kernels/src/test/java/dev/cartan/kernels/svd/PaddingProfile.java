package dev.cartan.kernels.svd;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.KernelProvider;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;

/**
 * A/B of the values route's padded work arrays (not a test; run by hand, see docs/design-notes.md, "Padded leading
 * dimensions in the values route"): {@link TwoStageValues} with {@code pad} off and on, alternating in one JVM after
 * three warm-up calls, on one Gaussian matrix; prints the thread CPU minimum and median of each layout, their ratios,
 * and whether the values agree to the bit.
 *
 * <pre>
 * java -XX:PerMethodTrapLimit=10000 --add-modules jdk.incubator.vector \
 *     -cp kernels/target/classes:kernels/target/test-classes dev.cartan.kernels.svd.PaddingProfile MxN reps [f32]
 * </pre>
 */
public final class PaddingProfile {
  private PaddingProfile() {}

  /** Arguments: the shape {@code MxN}, the repetitions per layout, and {@code f32} for the float32 route. */
  public static void main(String[] args) {
    String[] shape = args[0].split("x");
    int m = Integer.parseInt(shape[0]);
    int n = Integer.parseInt(shape[1]);
    int reps = Integer.parseInt(args[1]);
    boolean f32 = args.length > 2 && args[2].equals("f32");
    Random rnd = new Random(1);
    DMatrix a = SvdTestSupport.gaussian(rnd, m, n);
    FMatrix af = a.toFloat();
    TwoStageValues route =
        new TwoStageValues(KernelProvider.get(), BidiagonalSvd.AUTO_BAND, BidiagonalSvd.DEFAULT_QR_RATIO_SIXTHS);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    double[][] ms = new double[2][reps];
    double[][] values = new double[2][];
    for (int call = 0; call < 3 + 2 * reps; call++) {
      int layout = call < 3 ? call % 2 : (call - 3) % 2;
      route.pad = layout == 1;
      long t0 = mx.getCurrentThreadCpuTime();
      double[] s = f32 ? route.compute(af, "fast", 1).values() : route.compute(a, "fast", 1).values();
      double t = (mx.getCurrentThreadCpuTime() - t0) / 1e6;
      if (call >= 3) {
        ms[layout][(call - 3) / 2] = t;
        values[layout] = s;
      }
    }
    for (double[] t : ms) {
      Arrays.sort(t);
    }
    System.out.printf("%s %s %s values, ld %d: min %.1f median %.1f ms | ld %d: min %.1f median %.1f ms"
            + " | ratio min %.3f median %.3f | same bits %s%n",
        KernelProvider.get(), args[0], f32 ? "f32" : "f64", m, ms[0][0], ms[0][reps / 2],
        TwoStageValues.leading(m, f32 ? Float.BYTES : Double.BYTES), ms[1][0], ms[1][reps / 2],
        ms[1][0] / ms[0][0], ms[1][reps / 2] / ms[0][reps / 2], Arrays.equals(values[0], values[1]));
  }
}
