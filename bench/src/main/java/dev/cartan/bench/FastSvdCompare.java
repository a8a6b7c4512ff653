package dev.cartan.bench;

import dev.cartan.kernels.DMatrix;
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
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.ojalgo.matrix.decomposition.SingularValue;
import org.ojalgo.matrix.store.R064Store;

/**
 * A quick side-by-side for a busy machine, next to the JMH {@link FastSvdBench}: the contenders run interleaved
 * (one call each per round) on the same matrix in one JVM, and the minimum over the rounds is reported, which is
 * far less sensitive to other processes than a mean. Prints one line per contender.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.cartan.bench.FastSvdCompare \
 *     1024x1024 [rounds] [vectors]
 * </pre>
 *
 * <p>With {@code vectors} only Cartan's thin SVD with vectors runs (for the side-by-side with dgesdd in
 * bench/scripts/lapack_svd_fast_peer.py --vectors). Each line gives wall and thread CPU time; on a shared machine
 * the CPU time is the figure to compare.
 */
public final class FastSvdCompare {
  private FastSvdCompare() {}

  /**
   * Arguments: the shape {@code MxN}, the number of rounds (default 5; one extra warm-up round) and optionally
   * {@code vectors} (Cartan's thin SVD with vectors only).
   */
  public static void main(String[] args) {
    String[] p = args[0].split("x");
    int m = Integer.parseInt(p[0]);
    int n = Integer.parseInt(p[1]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    boolean vectorsOnly = args.length > 2 && args[2].equals("vectors");
    Random r = new Random(42);
    DMatrix a = DMatrix.zeros(m, n);
    double[] rowMajor = new double[m * n];
    double[] colMajor = new double[m * n];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        double v = r.nextGaussian();
        a.set(i, j, v);
        rowMajor[i * n + j] = v;
        colMajor[i + j * m] = v;
      }
    }
    R064Store oj = R064Store.wrap(colMajor, m);
    BidiagonalSvd blocked = new BidiagonalSvd();
    BidiagonalSvd unblocked = new BidiagonalSvd(KernelProvider.get(), 0, 0, BidiagonalSvd.DEFAULT_QR_RATIO_SIXTHS);
    Map<String, Supplier<Object>> runs = new LinkedHashMap<>();
    if (vectorsOnly) {
      runs.put("cartan vectors (thin)", () -> blocked.compute(a, false));
    } else {
      putAll(runs, m, n, a, rowMajor, oj, blocked, unblocked);
    }
    Map<String, List<Double>> times = new LinkedHashMap<>();
    Map<String, List<Double>> cpuTimes = new LinkedHashMap<>();
    for (String k : runs.keySet()) {
      times.put(k, new ArrayList<>());
      cpuTimes.put(k, new ArrayList<>());
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Object sink = null;
    for (int round = 0; round <= rounds; round++) {
      for (Map.Entry<String, Supplier<Object>> run : runs.entrySet()) {
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        sink = run.getValue().get();
        long t1 = System.nanoTime();
        long c1 = threads.getCurrentThreadCpuTime();
        if (round > 0) {
          times.get(run.getKey()).add((t1 - t0) / 1e6);
          cpuTimes.get(run.getKey()).add((c1 - c0) / 1e6);
        }
      }
    }
    System.out.println(args[0] + ", " + KernelProvider.get() + ", " + rounds + " rounds, " + (sink != null));
    for (Map.Entry<String, List<Double>> t : times.entrySet()) {
      List<Double> v = t.getValue();
      v.sort(null);
      List<Double> c = cpuTimes.get(t.getKey());
      c.sort(null);
      System.out.printf("%-28s min %9.1f ms  median %9.1f ms  cpu min %9.1f ms  median %9.1f ms%n", t.getKey(),
          v.get(0), v.get(v.size() / 2), c.get(0), c.get(c.size() / 2));
    }
  }

  /** Every contender: Cartan blocked and unblocked, ojAlgo and EJML, values and thin vectors. */
  private static void putAll(Map<String, Supplier<Object>> runs, int m, int n, DMatrix a, double[] rowMajor,
      R064Store oj, BidiagonalSvd blocked, BidiagonalSvd unblocked) {
    runs.put("cartan values (panel 32)", () -> blocked.computeValues(a));
    runs.put("cartan values (unblocked)", () -> unblocked.computeValues(a));
    runs.put("ojalgo values", () -> {
      SingularValue<Double> svd = SingularValue.R064.make(oj, false);
      svd.computeValuesOnly(oj);
      return svd;
    });
    runs.put("ejml values", () -> {
      SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m, n, false, false, true);
      svd.decompose(new DMatrixRMaj(m, n, true, rowMajor));
      return svd;
    });
    runs.put("cartan vectors (panel 32)", () -> blocked.compute(a, false));
    runs.put("cartan vectors (unblocked)", () -> unblocked.compute(a, false));
    runs.put("ojalgo vectors", () -> {
      SingularValue<Double> svd = SingularValue.R064.make(oj, false);
      svd.decompose(oj);
      return svd.getU();
    });
    runs.put("ejml vectors", () -> {
      SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m, n, true, true, true);
      svd.decompose(new DMatrixRMaj(m, n, true, rowMajor));
      return svd.getU(null, false);
    });
  }
}
