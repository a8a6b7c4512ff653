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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@link ChainBench} comparison in thread CPU time, for a busy machine: the chain analysis (per step) and its
 * parts run interleaved, one call each per round, on the same inputs in one JVM, and the minimum over the rounds
 * is printed with the ratio per step / SVD of a state (the target is at most 1.2).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.cartan.bench.ChainCompare \
 *     [d] [steps] [rounds] [AUTO|CERTIFIED|EXACT]
 * </pre>
 */
public final class ChainCompare {
  private ChainCompare() {}

  /** Arguments: d (1024), steps (48), rounds (2, after one warm-up round on an 8-step chain), amplitudes (AUTO). */
  public static void main(String[] args) {
    int d = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 48;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    ChainOptions.Amplitudes amp = ChainOptions.Amplitudes.valueOf(args.length > 3 ? args[3] : "AUTO");
    List<DMatrix> factors = ChainGenerators.nearIdentity(d, steps, 0.02, ChainGenerators.Noise.GAUSSIAN, 42);
    DMatrix x = DMatrix.identity(d);
    for (int l = 0; l < steps / 2; l++) {
      x = Gemm.multiply(factors.get(l), x);
    }
    DMatrix mid = x;
    ChainOptions options = ChainOptions.DEFAULTS.withNearIdentity(false).withAmplitudes(amp);
    Map<String, Supplier<Object>> runs = new LinkedHashMap<>();
    runs.put("chain, per step", () -> Chains.analyze(factors, null, ChainMode.FACTORS, options));
    runs.put("SVD of a state", () -> Svd.values(mid));
    runs.put("SVD of a factor", () -> Svd.values(factors.get(0)));
    runs.put("certified bounds of a factor",
        () -> SingularValueBounds.certify(factors.get(0), ChainOptions.AMPLITUDE_TOLERANCE));
    runs.put("product", () -> Gemm.multiply(factors.get(1), mid));
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    // Warm-up: every part once, the chain on its first 8 factors.
    ChainReport warm = Chains.analyze(factors.subList(0, Math.min(8, steps)), null, ChainMode.FACTORS, options);
    if (!warm.oneStepBoundHolds()) {
      throw new IllegalStateException("chain compare: the one-step bound failed");
    }
    for (Map.Entry<String, Supplier<Object>> e : runs.entrySet()) {
      if (!e.getKey().startsWith("chain")) {
        e.getValue().get();
      }
    }
    Map<String, Double> best = new LinkedHashMap<>();
    for (int r = 0; r < rounds; r++) {
      for (Map.Entry<String, Supplier<Object>> e : runs.entrySet()) {
        long t0 = mx.getCurrentThreadCpuTime();
        Object out = e.getValue().get();
        double ms = (mx.getCurrentThreadCpuTime() - t0) / 1e6;
        if (out instanceof ChainReport rep) {
          ms /= steps;
          if (!rep.oneStepBoundHolds()) {
            throw new IllegalStateException("chain compare: the one-step bound failed");
          }
        }
        best.merge(e.getKey(), ms, Math::min);
      }
    }
    System.out.printf(Locale.ROOT, "d = %d, L = %d, amplitudes %s, min thread CPU over %d rounds%n", d, steps, amp,
        rounds);
    for (Map.Entry<String, Double> e : best.entrySet()) {
      System.out.printf(Locale.ROOT, "%-30s %10.1f ms%n", e.getKey(), e.getValue());
    }
    System.out.printf(Locale.ROOT, "per step / SVD of a state      %10.3f%n",
        best.get("chain, per step") / best.get("SVD of a state"));
  }
}
