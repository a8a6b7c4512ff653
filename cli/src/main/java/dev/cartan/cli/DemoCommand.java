package dev.cartan.cli;

import dev.cartan.cli.io.Checkpoints;
import dev.cartan.cli.io.DType;
import dev.cartan.cli.io.SafetensorsWriter;
import dev.cartan.cli.io.TensorInfo;
import dev.cartan.cli.io.TensorSource;
import dev.cartan.core.Chart;
import dev.cartan.core.ChartFit;
import dev.cartan.core.LayerReport;
import dev.cartan.core.Orbit;
import dev.cartan.core.Spectrum;
import dev.cartan.core.chain.ChainGenerators;
import dev.cartan.core.chain.ChainMode;
import dev.cartan.core.chain.ChainReport;
import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.Gemm;
import dev.cartan.kernels.svd.Svd;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cartan demo}: the embedded default job. It generates a deterministic synthetic residual network (per block
 * a square residual-stream weight {@code blocks.l.attn.out.weight} and an MLP up-projection
 * {@code blocks.l.mlp.up.weight} of shape 4d x d, each {@code c Q diag(sigmahat(s_l)) P^T} with random orthogonal
 * Q, P and an exponent that grows with depth), writes it as a safetensors checkpoint, reads it back through
 * {@link Checkpoints#open}, runs the layer analysis ({@link LayerReport} per matrix) and the chain analysis of the
 * residual proxy {@code I + W_l}, prints a short summary to stdout and the full JSON to a file whose path it
 * prints.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "Generate a small synthetic residual network, write it as safetensors, read it back, and run the",
        "layer analysis and the chain analysis on it. Prints a summary; the full JSON goes to a file."
    })
public final class DemoCommand implements Callable<Integer> {
  /** Exponent of block 0's weights; each block adds {@link #S_STEP}. */
  static final double S_FIRST = 0.4;
  static final double S_STEP = 0.08;
  /** Spectral scale of the residual weights: small, so I + W is near the identity. */
  static final double RESIDUAL_SCALE = 0.08;

  @Spec CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Keep the checkpoint and the JSON in DIR (default: a temporary folder; the checkpoint is deleted).")
  Path out;

  @Option(names = "--seed", defaultValue = "20260502", description = "Seed of the synthetic network (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--width", defaultValue = "48", description = "Residual width d (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--depth", defaultValue = "8", description = "Number of blocks L (default: ${DEFAULT-VALUE}).")
  int depth;

  /**
   * The full result written to JSON.
   *
   * @param checkpoint the safetensors file that was written and read back
   * @param seed the generator's seed
   * @param layers one layer report per matrix, in file order
   * @param chain the chain analysis of {@code I + W_l} over the blocks' residual weights
   */
  public record Demo(String checkpoint, long seed, List<LayerReport> layers, ChainCommand.Result chain) {}

  @Override
  public Integer call() throws IOException {
    if (width < 4 || width > 512 || depth < 2 || depth > 64) {
      throw new CliException(ExitCodes.INVALID_INPUT, "--width must be in [4, 512] and --depth in [2, 64]", null);
    }
    PrintWriter err = spec.commandLine().getErr();
    boolean keep = out != null;
    Path dir = keep ? Files.createDirectories(out) : Files.createTempDirectory("cartan-demo-");
    Path ckpt = dir.resolve("demo-model.safetensors");
    err.println("cartan demo: writing a " + depth + "-block synthetic residual network (d = " + width + ") to " + ckpt);
    SafetensorsWriter.write(ckpt, network(width, depth, seed), DType.F32,
        Map.of("generator", "cartan demo", "seed", Long.toString(seed)));
    Demo demo;
    try (TensorSource src = Checkpoints.open(ckpt)) {
      List<LayerReport> layers = new ArrayList<>();
      for (TensorInfo t : src.tensors()) {
        DMatrix w = src.readDMatrix(t.name());
        layers.add(LayerReport.of(t.name(), Spectrum.ofSingularValues(Svd.values(w), w.rows(), w.cols())));
      }
      List<String> names = ChainCommand.select(src, null, "attn\\.out\\.weight$");
      demo = new Demo(ckpt.toString(), seed, layers, ChainCommand.analyze(src, names, ChainMode.FACTORS, true, true));
    }
    Path json = dir.resolve("demo-report.json");
    try (Writer w = Files.newBufferedWriter(json, StandardCharsets.UTF_8);
        PrintWriter pw = new PrintWriter(w)) {
      Json.write(demo, pw, err);
    }
    if (!keep) {
      Files.deleteIfExists(ckpt);
    }
    PrintWriter o = spec.commandLine().getOut();
    o.print(summary(demo));
    o.println("full JSON: " + json);
    o.flush();
    return ExitCodes.OK;
  }

  /** The synthetic network's tensors, deterministic in {@code seed}. */
  static List<SafetensorsWriter.Entry> network(int d, int depth, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<SafetensorsWriter.Entry> out = new ArrayList<>();
    Orbit od = Orbit.of(d);
    for (int l = 0; l < depth; l++) {
      double s = S_FIRST + S_STEP * l;
      out.add(new SafetensorsWriter.Entry("blocks." + l + ".attn.out.weight",
          powerLaw(od.normalizedSigma(s), d, d, RESIDUAL_SCALE / Math.sqrt(d), rnd)));
      out.add(new SafetensorsWriter.Entry("blocks." + l + ".mlp.up.weight",
          powerLaw(od.normalizedSigma(s + 0.5), 4 * d, d, 1 / Math.sqrt(d), rnd)));
    }
    return out;
  }

  /** {@code c Q[:, :n] diag(sigma) P^T} for random orthogonal Q (m x m) and P (n x n). */
  private static DMatrix powerLaw(double[] sigma, int m, int n, double c, SplittableRandom rnd) {
    DMatrix q = ChainGenerators.orthogonal(m, rnd).view(0, 0, m, n);
    DMatrix p = ChainGenerators.orthogonal(n, rnd);
    DMatrix qs = q.copy();
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        qs.set(i, j, qs.get(i, j) * sigma[j] * c);
      }
    }
    return Gemm.multiply(qs, p.transpose());
  }

  /** The human summary: per layer s, r, residual; the margin inequality; the depth budget. */
  static String summary(Demo demo) {
    StringBuilder sb = new StringBuilder();
    sb.append("Layers (ls chart: exponent s, top radial r, top residual rho, Hellinger residual e)\n");
    sb.append(String.format(Locale.ROOT, "  %-26s %9s %8s %8s %9s %9s%n", "tensor", "shape", "s", "r", "rho", "e"));
    for (LayerReport l : demo.layers()) {
      ChartFit f = l.chart(Chart.LS);
      sb.append(String.format(Locale.ROOT, "  %-26s %9s %8.4f %8.4f %9.2e %9.2e%n", l.name(), l.rows() + "x" + l.cols(),
          f.s(), l.topRadial(), f.topResidual(), f.hellingerResidual()));
    }
    ChainReport c = demo.chain().report();
    ChainReport.ChartChain ls = c.charts().get(Chart.LS.ordinal());
    sb.append(String.format(Locale.ROOT, "Chain X_l = (I + W_l) ... (I + W_1) over %d blocks, d = %d (static proxy)%n",
        c.steps(), c.dimension()));
    sb.append(String.format(Locale.ROOT, "  log M = %.5f, M^(1/L) = %.5f, slack S = %.3e, |dr| <= a on every step: %s%n",
        c.logM(), c.geometricMeanAmplitude(), c.slack(), c.oneStepBoundHolds() ? "yes" : "NO"));
    for (ChainReport.ChartChain cc : c.charts()) {
      sb.append(String.format(Locale.ROOT,
          "  margin inequality [%-9s]: observed m*sum|ds| = %.4e <= bound |r_L-r_0|+S+sum|drho| = %.4e (ratio %.3f) %s%n",
          cc.chart(), cc.chainObserved(), cc.chainBound(), cc.chainRatio(),
          cc.chainHolds() && cc.stepsHold() ? "holds" : "FAILS"));
    }
    sb.append(String.format(Locale.ROOT,
        "  depth budget [ls]: (log M)/(m L) = %.4e, observed max drift %.4e, mean drift %.4e <= %.4e%n",
        ls.budgetBound(), ls.maxDrift(), ls.meanDrift(), ls.meanDriftBound()));
    return sb.toString();
  }
}
