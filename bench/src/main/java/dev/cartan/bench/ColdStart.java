package dev.cartan.bench;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.Warmup;
import dev.cartan.kernels.svd.Svd;
import dev.cartan.kernels.svd.SvdOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;

/**
 * The cost of a cold JVM: the fast values-only SVD of the given shapes in order, each call timed (wall and thread
 * CPU) from the first, so the JIT warm-up shows up where JMH would hide it. One fresh JVM per command; it is
 * what {@code cartan analyze} meets on its first tensors (docs/design-notes.md, "Task order"). The argument
 * {@code prime} (or {@code prime32}, float32 too; {@code prime:N} for N rounds) runs {@link Warmup#primitives} at that point,
 * timed like a shape.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.cartan.bench.ColdStart \
 *     768x768 768x768 768x768 50257x768 50257x768
 * </pre>
 */
public final class ColdStart {
  private ColdStart() {}

  /**
   * Arguments: the shapes {@code MxN}, decomposed in order (a Gaussian matrix each, seed 1), or {@code prime} /
   * {@code prime32} for the JIT warm-up of the primitives.
   */
  public static void main(String[] args) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    SvdOptions values = SvdOptions.valuesOnly().withMethod(SvdOptions.Method.FAST);
    long start = System.nanoTime();
    for (String shape : args) {
      if (shape.startsWith("prime")) {
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        int colon = shape.indexOf(':');
        int rounds = colon < 0 ? Warmup.ROUNDS : Integer.parseInt(shape.substring(colon + 1));
        Warmup.primitives(rounds, shape.startsWith("prime32"));
        long t1 = System.nanoTime();
        System.out.printf("%-12s wall %9.1f ms  cpu %9.1f ms  (since start %8.1f ms)%n", shape, (t1 - t0) / 1e6,
            (mx.getCurrentThreadCpuTime() - c0) / 1e6, (t1 - start) / 1e6);
        continue;
      }
      String[] p = shape.split("x");
      int m = Integer.parseInt(p[0]);
      int n = Integer.parseInt(p[1]);
      Random r = new Random(1);
      double[] data = new double[Math.multiplyExact(m, n)];
      for (int i = 0; i < data.length; i++) {
        data[i] = r.nextGaussian();
      }
      DMatrix a = DMatrix.wrap(data, m, n);
      long c0 = mx.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      Svd.decompose(a, values);
      long t1 = System.nanoTime();
      long c1 = mx.getCurrentThreadCpuTime();
      System.out.printf("%-12s wall %9.1f ms  cpu %9.1f ms  (since start %8.1f ms)%n", shape, (t1 - t0) / 1e6,
          (c1 - c0) / 1e6, (t1 - start) / 1e6);
    }
  }
}
