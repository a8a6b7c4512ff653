package dev.cartan.bench;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.KernelProvider;
import dev.cartan.kernels.svd.BidiagonalSvd;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.ojalgo.matrix.decomposition.SingularValue;
import org.ojalgo.matrix.store.R064Store;

/**
 * Singular values only, side by side on a busy machine: the two-stage route (float64, native float32 and float32
 * widened to float64 as before the native route), the one-stage route it replaced, and ojAlgo, interleaved one call
 * each per round on the same Gaussian matrix in one JVM. Times
 * are the calling thread's CPU time (other processes' load does not count), minimum and median over the rounds.
 * Compare with {@code bench/scripts/lapack_svd_fast_peer.py --cpu} for dgesdd/sgesdd (docs/benchmarks.md).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.cartan.bench.ValuesSvdCompare \
 *     1024x1024 [rounds] [filter]
 * </pre>
 * With a filter only the contenders whose name contains it run (e.g. {@code two-stage}).
 */
public final class ValuesSvdCompare {
  private ValuesSvdCompare() {}

  /**
   * Arguments: the shape {@code MxN}, the number of rounds (default 5; one extra warm-up round) and an optional
   * filter on the contenders' names.
   */
  public static void main(String[] args) {
    String[] p = args[0].split("x");
    int m = Integer.parseInt(p[0]);
    int n = Integer.parseInt(p[1]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Random r = new Random(42);
    DMatrix a = DMatrix.zeros(m, n);
    FMatrix af = FMatrix.zeros(m, n);
    double[] colMajor = new double[m * n];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        double v = r.nextGaussian();
        a.set(i, j, v);
        af.set(i, j, (float) v);
        colMajor[i + j * m] = v;
      }
    }
    R064Store oj = R064Store.wrap(colMajor, m);
    BidiagonalSvd twoStage = new BidiagonalSvd();
    BidiagonalSvd oneStage = new BidiagonalSvd(KernelProvider.get(), BidiagonalSvd.DEFAULT_PANEL,
        BidiagonalSvd.DEFAULT_CROSSOVER, BidiagonalSvd.DEFAULT_QR_RATIO_SIXTHS, 0);
    Map<String, Supplier<double[]>> runs = new LinkedHashMap<>();
    runs.put("cartan f64 two-stage", () -> twoStage.computeValues(a).values());
    runs.put("cartan f64 one-stage", () -> oneStage.computeValues(a).values());
    runs.put("cartan f32 two-stage", () -> BidiagonalSvd.values(af).values());
    // The float32 route before the native one: widen, then the float64 two-stage route.
    runs.put("cartan f32 widened", () -> twoStage.computeValues(af.toDouble()).values());
    runs.put("ojalgo f64", () -> {
      SingularValue<Double> svd = SingularValue.R064.make(oj, false);
      svd.computeValuesOnly(oj);
      return svd.getSingularValues().toRawCopy1D();
    });
    if (args.length > 2) {
      runs.keySet().removeIf(name -> !name.contains(args[2]));
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<String, List<Double>> times = new LinkedHashMap<>();
    double[] first = null;
    for (int round = 0; round <= rounds; round++) {
      for (Map.Entry<String, Supplier<double[]>> run : runs.entrySet()) {
        long t0 = mx.getCurrentThreadCpuTime();
        double[] s = run.getValue().get();
        long t1 = mx.getCurrentThreadCpuTime();
        if (round == 0) {
          // Each contender's largest value against the first one's: a cheap check that all computed the same.
          first = first == null ? s : first;
          if (Math.abs(s[0] - first[0]) > 1e-4 * first[0]) {
            throw new IllegalStateException(run.getKey() + " gives s_1 = " + s[0] + ", not " + first[0]);
          }
        } else {
          times.computeIfAbsent(run.getKey(), x -> new ArrayList<>()).add((t1 - t0) / 1e6);
        }
      }
    }
    System.out.println(args[0] + ", " + KernelProvider.get() + ", " + rounds + " rounds, thread CPU time");
    for (Map.Entry<String, List<Double>> t : times.entrySet()) {
      List<Double> v = t.getValue();
      v.sort(null);
      System.out.printf("%-24s min %9.1f ms  median %9.1f ms%n", t.getKey(), v.get(0), v.get(v.size() / 2));
    }
  }
}
