package dev.cartan.bench;

import dev.cartan.core.chain.ChainGenerators;
import dev.cartan.core.chain.ChainMode;
import dev.cartan.core.chain.ChainOptions;
import dev.cartan.core.chain.ChainReport;
import dev.cartan.core.chain.Chains;
import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.Gemm;
import dev.cartan.kernels.linalg.SingularValueBounds;
import dev.cartan.kernels.svd.Svd;
import dev.cartan.kernels.svd.SvdOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@link ChainBench} comparison in thread CPU time, for a busy machine: the chain analysis (per step, on one
 * thread and with {@code threads = 2}) and its parts run interleaved, one call each per round, on the same inputs
 * in one JVM, and the minimum over the rounds is printed, in thread CPU time of the calling thread and in wall
 * time, with the ratios per step / SVD of a state (the target is at most 1.2). With 2 threads the calling
 * thread's CPU time leaves out the second thread's work: only its wall time is a cost.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.cartan.bench.ChainCompare \
 *     [d] [steps] [rounds] [AUTO|CERTIFIED|EXACT] [AUTO|FAST|ACCURATE] [1,2]
 * </pre>
 *
 * <p>Two denominators: the SVD of the middle state {@code X_{L/2}} (what {@link ChainBench#svdOfState} times) and
 * the mean over every state {@code X_1..X_L} of its SVD, i.e. exactly the SVDs the chain does (an iterative SVD's
 * cost depends on the state: the early states are nearly orthogonal).
 */
public final class ChainCompare {
  private ChainCompare() {}

  /**
   * Arguments: d (1024), steps (48), rounds (2, after one warm-up round on an 8-step chain), amplitudes (AUTO),
   * the states' SVD route (AUTO), the thread counts of the chain runs (1,2).
   */
  public static void main(String[] args) {
    int d = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 48;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    ChainOptions.Amplitudes amp = ChainOptions.Amplitudes.valueOf(args.length > 3 ? args[3] : "AUTO");
    SvdOptions.Method svd = SvdOptions.Method.valueOf(args.length > 4 ? args[4] : "AUTO");
    String[] threadCounts = (args.length > 5 ? args[5] : "1,2").split(",");
    List<DMatrix> factors = ChainGenerators.nearIdentity(d, steps, 0.02, ChainGenerators.Noise.GAUSSIAN, 42);
    DMatrix x = DMatrix.identity(d);
    for (int l = 0; l < steps / 2; l++) {
      x = Gemm.multiply(factors.get(l), x);
    }
    DMatrix mid = x;
    List<DMatrix> states = new ArrayList<>();
    DMatrix cur = DMatrix.identity(d);
    for (DMatrix a : factors) {
      cur = Gemm.multiply(a, cur);
      states.add(cur);
    }
    ChainOptions options = ChainOptions.DEFAULTS.withNearIdentity(false).withAmplitudes(amp).withSvd(svd);
    Map<String, Supplier<Object>> runs = new LinkedHashMap<>();
    for (String t : threadCounts) {
      int n = Integer.parseInt(t.trim());
      runs.put("chain, per step, " + n + " thread" + (n == 1 ? "" : "s"),
          () -> Chains.analyze(factors, null, ChainMode.FACTORS, options.withThreads(n)));
    }
    runs.put("SVD of a state", () -> Svd.decompose(mid, SvdOptions.valuesOnly().withMethod(svd)).values());
    // Unnormalized products: the SVD's cost does not depend on the scale the chain divides out.
    runs.put("SVD of every state, mean", () -> {
      for (DMatrix st : states) {
        Svd.decompose(st, SvdOptions.valuesOnly().withMethod(svd));
      }
      return states.size();
    });
    runs.put("certified bounds of a factor",
        () -> SingularValueBounds.certify(factors.get(0), ChainOptions.AMPLITUDE_TOLERANCE));
    runs.put("product", () -> Gemm.multiply(factors.get(1), mid));
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    // Warm-up: every part once, the chain on its first 8 factors (both thread counts).
    for (String t : threadCounts) {
      ChainReport warm = Chains.analyze(factors.subList(0, Math.min(8, steps)), null, ChainMode.FACTORS,
          options.withThreads(Integer.parseInt(t.trim())));
      if (!warm.oneStepBoundHolds()) {
        throw new IllegalStateException("chain compare: the one-step bound failed");
      }
    }
    for (Map.Entry<String, Supplier<Object>> e : runs.entrySet()) {
      if (!e.getKey().startsWith("chain") && !e.getKey().startsWith("SVD of every")) {
        e.getValue().get();
      }
    }
    Map<String, Double> cpu = new LinkedHashMap<>();
    Map<String, Double> wall = new LinkedHashMap<>();
    for (int r = 0; r < rounds; r++) {
      for (Map.Entry<String, Supplier<Object>> e : runs.entrySet()) {
        long w0 = System.nanoTime();
        long t0 = mx.getCurrentThreadCpuTime();
        Object out = e.getValue().get();
        double ms = (mx.getCurrentThreadCpuTime() - t0) / 1e6;
        double wms = (System.nanoTime() - w0) / 1e6;
        if (out instanceof Integer count) {
          ms /= count;
          wms /= count;
        }
        if (out instanceof ChainReport rep) {
          ms /= steps;
          wms /= steps;
          if (!rep.oneStepBoundHolds()) {
            throw new IllegalStateException("chain compare: the one-step bound failed");
          }
        }
        cpu.merge(e.getKey(), ms, Math::min);
        wall.merge(e.getKey(), wms, Math::min);
      }
    }
    System.out.printf(Locale.ROOT, "d = %d, L = %d, amplitudes %s, svd %s, min over %d rounds (ms)%n", d, steps, amp,
        svd, rounds);
    System.out.printf(Locale.ROOT, "%-30s %12s %12s%n", "", "thread CPU", "wall");
    for (String k : cpu.keySet()) {
      System.out.printf(Locale.ROOT, "%-30s %12.1f %12.1f%n", k, cpu.get(k), wall.get(k));
    }
    for (String den : new String[] {"SVD of a state", "SVD of every state, mean"}) {
      for (String k : cpu.keySet()) {
        if (k.startsWith("chain")) {
          System.out.printf(Locale.ROOT, "%s / %s: wall / wall %.3f, thread CPU / thread CPU %.3f%n", k, den,
              wall.get(k) / wall.get(den), cpu.get(k) / cpu.get(den));
        }
      }
    }
  }
}
