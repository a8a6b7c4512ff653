package dev.cartan.bench;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.KernelProvider;
import dev.cartan.kernels.linalg.HouseholderQr;
import dev.cartan.kernels.svd.BidiagonalSvd;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Side-by-side thread CPU times of the Householder QR ({@link HouseholderQr}) at several panel widths and unblocked,
 * the thin Q, and the fast SVD of a tall matrix (whose first step is that QR), interleaved one call each per round
 * on the same Gaussian matrix; the minimum over the rounds is reported. Compare with
 * {@code bench/scripts/lapack_qr_peer.py} (dgeqrf, dorgqr, dgesdd on the same shapes).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.cartan.bench.QrCompare \
 *     4096x1024 [rounds] [svd|qr|all] [nb,nb,...]
 * </pre>
 */
public final class QrCompare {
  private QrCompare() {}

  /**
   * Arguments: the shape {@code MxN}, the number of rounds (default 3; one extra warm-up round), what to time
   * ({@code qr}, {@code svd} or {@code all}, default all), and the panel widths for the QR (default 1,64; 1 is
   * the unblocked dgeqr2, which the SVD used before the blocked QR; {@code r<nb>/<leaf>} is the recursive-panel QR,
   * {@link HouseholderQr#factorRecursive}; {@code f<nb>} and {@code fr<nb>/<leaf>} are their float32 twins).
   */
  public static void main(String[] args) {
    String[] p = args[0].split("x");
    int m = Integer.parseInt(p[0]);
    int n = Integer.parseInt(p[1]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String what = args.length > 2 ? args[2] : "all";
    String nbs = args.length > 3 ? args[3] : "1,64";
    Random r = new Random(42);
    DMatrix a = DMatrix.zeros(m, n);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        a.set(i, j, r.nextGaussian());
      }
    }
    DMatrix work = DMatrix.zeros(m, n);
    double[] tau = new double[Math.min(m, n)];
    Map<String, Supplier<Object>> runs = new LinkedHashMap<>();
    if (!what.equals("svd")) {
      FMatrix af = a.toFloat();
      FMatrix workF = FMatrix.zeros(m, n);
      float[] tauF = new float[Math.min(m, n)];
      for (String s : nbs.split(",")) {
        if (s.startsWith("f")) {
          // f<nb> and fr<nb>/<leaf>: the float32 blocked and recursive-panel QR.
          boolean rec = s.startsWith("fr");
          String[] q = s.substring(rec ? 2 : 1).split("/");
          int nb = Integer.parseInt(q[0]);
          int leaf = rec ? Integer.parseInt(q[1]) : 0;
          runs.put("f32 " + (rec ? "rqr nb=" + nb + " leaf=" + leaf : "qr nb=" + nb), () -> {
            af.copyInto(workF);
            if (rec) {
              HouseholderQr.factorRecursive(KernelProvider.get().f32(), workF, tauF, nb, leaf);
            } else {
              HouseholderQr.factor(KernelProvider.get().f32(), workF, tauF, nb, 0);
            }
            return workF;
          });
          continue;
        }
        if (s.startsWith("r")) {
          // r<nb>/<leaf>: the recursive-panel QR.
          String[] q = s.substring(1).split("/");
          int nb = Integer.parseInt(q[0]);
          int leaf = Integer.parseInt(q[1]);
          runs.put("rqr nb=" + nb + " leaf=" + leaf, () -> {
            a.copyInto(work);
            HouseholderQr.factorRecursive(KernelProvider.get().f64(), work, tau, nb, leaf);
            return work;
          });
          continue;
        }
        int nb = Integer.parseInt(s);
        runs.put("qr nb=" + nb, () -> {
          a.copyInto(work);
          HouseholderQr.factor(KernelProvider.get().f64(), work, tau, nb, HouseholderQr.DEFAULT_CROSSOVER);
          return work;
        });
      }
      if (m >= n) {
        runs.put("qr + thin Q (default)", () -> {
          a.copyInto(work);
          HouseholderQr.factor(work, tau);
          HouseholderQr.formQ(work, tau, n);
          return work;
        });
      }
    }
    if (!what.equals("qr")) {
      BidiagonalSvd svd = new BidiagonalSvd();
      runs.put("svd values", () -> svd.computeValues(a));
      runs.put("svd thin vectors", () -> svd.compute(a, false));
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Map<String, List<Double>> cpu = new LinkedHashMap<>();
    for (String k : runs.keySet()) {
      cpu.put(k, new ArrayList<>());
    }
    Object sink = null;
    for (int round = 0; round <= rounds; round++) {
      for (Map.Entry<String, Supplier<Object>> run : runs.entrySet()) {
        long c0 = mx.getCurrentThreadCpuTime();
        sink = run.getValue().get();
        long c1 = mx.getCurrentThreadCpuTime();
        if (round > 0) {
          cpu.get(run.getKey()).add((c1 - c0) / 1e6);
        }
      }
    }
    System.out.println(args[0] + ", " + KernelProvider.get() + ", " + rounds + " rounds, thread CPU, "
        + (sink != null));
    for (Map.Entry<String, List<Double>> t : cpu.entrySet()) {
      List<Double> v = t.getValue();
      v.sort(null);
      System.out.printf("%-24s min %9.1f ms  median %9.1f ms%n", t.getKey(), v.get(0), v.get(v.size() / 2));
    }
  }
}
