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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The chain analysis of THEORY.md section 8 ({@link Chains}) on a near-identity factor chain {@code I + eps B_l}
 * (Gaussian B, eps = 0.02) of {@code L} factors of size {@code d x d}, beside the parts it is made of, in one run:
 *
 * <ul>
 *   <li>{@code chain}: the whole analysis (near-identity expansion off, amplitudes as {@code amplitudes} says: the
 *       default AUTO certifies them at this size), one op = L steps; divide by L for the time per step;
 *   <li>{@code svdOfState}: the SVD (values) of one state {@code X_{L/2}} (a product of L/2 factors);
 *   <li>{@code svdOfInterface}: the SVD (values) of one factor (near-orthogonal columns: few Jacobi sweeps), what
 *       an exact amplitude costs;
 *   <li>{@code certifyInterface}: the certified bounds of one factor's extreme singular values
 *       ({@link SingularValueBounds}), what a certified amplitude costs;
 *   <li>{@code product}: one renormalized step's product {@code A X} through {@link Gemm}.
 * </ul>
 *
 * <p>Per step the analysis does one product, one SVD of the state and the interface's amplitude (certified
 * bounds, or a second SVD with {@code -p amplitudes=EXACT}); the chart fits and orbit quantities are {@code O(d)}
 * per evaluation; with {@code -p threads=2} all but the states' SVDs run on a second thread. The target:
 * {@code chain / steps <= 1.2 svdOfState}. Defaults: {@code d = 1024, L = 48} (the size; minutes
 * per op); {@code -p d=128} for a quick run. Inputs are not modified by any benchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 2)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.VECTOR_MODULE, BenchJvm.TRAP_LIMIT, "-Xmx4g"})
public class ChainBench {
  /** Operator size. */
  @Param({"1024"})
  public int d;

  /** Number of factors. */
  @Param({"48"})
  public int steps;

  /** How the chain computes its interface amplitudes ({@link ChainOptions.Amplitudes}). */
  @Param({"AUTO"})
  public String amplitudes;

  /** The SVD route of the states ({@link SvdOptions.Method}): the chain's and {@link #svdOfState()}'s. */
  @Param({"AUTO", "FAST"})
  public String svd;

  /**
   * The chain's {@link ChainOptions#threads()}: 1 (everything on one thread, comparable with the single-threaded
   * {@code svdOfState}) or 2 (the states' SVDs overlap the rest on a second thread; wall time).
   */
  @Param({"1", "2"})
  public int threads;

  List<DMatrix> factors;
  DMatrix midState;
  ChainOptions options;

  @Setup
  public void setup() {
    factors = ChainGenerators.nearIdentity(d, steps, 0.02, ChainGenerators.Noise.GAUSSIAN, 42);
    DMatrix x = DMatrix.identity(d);
    for (int l = 0; l < steps / 2; l++) {
      x = Gemm.multiply(factors.get(l), x);
    }
    midState = x;
    options = ChainOptions.DEFAULTS.withNearIdentity(false)
        .withAmplitudes(ChainOptions.Amplitudes.valueOf(amplitudes)).withSvd(SvdOptions.Method.valueOf(svd))
        .withThreads(threads);
    // The answer is checked once, on the first 4 factors: the whole chain at d = 1024 takes minutes, and @Setup runs
    // once per benchmark method.
    ChainReport r = Chains.analyze(factors.subList(0, Math.min(4, steps)), null, ChainMode.FACTORS, options);
    if (!r.oneStepBoundHolds() || !r.charts().get(0).chainHolds()) {
      throw new IllegalStateException("chain bench: a bound failed on the benchmark chain");
    }
  }

  @Benchmark
  public ChainReport chain() {
    return Chains.analyze(factors, null, ChainMode.FACTORS, options);
  }

  @Benchmark
  public double[] svdOfState() {
    return Svd.decompose(midState, SvdOptions.valuesOnly().withMethod(options.svd())).values();
  }

  @Benchmark
  public double[] svdOfInterface() {
    return Svd.values(factors.get(0));
  }

  @Benchmark
  public SingularValueBounds.Result certifyInterface() {
    return SingularValueBounds.certify(factors.get(0), ChainOptions.AMPLITUDE_TOLERANCE);
  }

  @Benchmark
  public DMatrix product() {
    return Gemm.multiply(factors.get(1), midState);
  }
}
