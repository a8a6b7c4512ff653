package dev.cartan.cli;

import dev.cartan.cli.io.Checkpoints;
import dev.cartan.cli.io.TensorInfo;
import dev.cartan.cli.io.TensorSource;
import dev.cartan.core.Chart;
import dev.cartan.core.chain.ChainMode;
import dev.cartan.core.chain.ChainOptions;
import dev.cartan.core.chain.ChainReport;
import dev.cartan.core.chain.Chains;
import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.svd.SvdOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cartan chain PATH}: the chain analysis of THEORY.md section 8 on square tensors of a checkpoint, read as
 * layer factors (8.1) or as states (8.2), with every bound beside its observed value.
 *
 * <p>Selection: every square matrix in name order (digit runs compare as numbers, so {@code layers.10} follows
 * {@code layers.9}), or the tensors named by {@code --tensors}, or those whose names match {@code --pattern}.
 * {@code --residual} reads each weight W as the factor {@code I + W} (a static proxy of a residual block's
 * Jacobian: it ignores the nonlinearity and normalization), and the report says so; GPT-2 Conv1D weights (stored
 * in x out) give {@code I + W^T} ({@link ResidualChains}).
 */
@Command(
    name = "chain",
    mixinStandardHelpOptions = true,
    description = {
        "Chain analysis (THEORY.md section 8) of square tensors: interface amplitudes, slack, the margin",
        "inequality per step and over the chain, the depth budget, full-spectrum control, actions."
    })
public final class ChainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PATH", description = "A checkpoint file or folder (any supported format).")
  Path path;

  @Option(names = "--tensors", split = ",", paramLabel = "<name>",
      description = "Comma-separated tensor names, in chain order (default: every square matrix in name order).")
  List<String> tensors;

  @Option(names = "--pattern", paramLabel = "<regex>",
      description = "Use the tensors whose names contain a match of this regular expression, in name order.")
  String pattern;

  @Option(names = "--mode", defaultValue = "factors", paramLabel = "<mode>",
      description = "factors (X_l = A_l ... A_1) or states (T_l = X_{l+1} X_l^-1) (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(names = "--residual",
      description = "Factors are I + W_l built from the (square) weights: a static proxy of a residual chain "
          + "(I + W_l^T for GPT-2 Conv1D weights, stored in x out).")
  boolean residual;

  @Option(names = "--chart", defaultValue = "ls", paramLabel = "<chart>",
      description = "Chart shown in the text summary: ls, top, mle, hellinger (JSON always has all) "
          + "(default: ${DEFAULT-VALUE}).")
  String chart;

  @Option(names = "--threads", paramLabel = "<n>",
      description = "1 or 2: with 2 the states' SVDs overlap the rest of the analysis on a second thread; the "
          + "report is the same (default: 1).")
  Integer threads;

  @Option(names = "--format", paramLabel = "<format>", defaultValue = "json",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  OutputFormat format;

  /**
   * The result of {@code cartan chain}.
   *
   * @param path the checkpoint
   * @param format the checkpoint's format
   * @param tensors the tensors used, in chain order
   * @param residual whether the factors are {@code I + W}
   * @param transposed with {@code residual}: the weights are stored in x out (GPT-2 Conv1D), so the factors are
   *     {@code I + W^T}
   * @param report the chain report
   */
  public record Result(String path, String format, List<String> tensors, boolean residual, boolean transposed,
      ChainReport report) {}

  @Override
  public Integer call() throws IOException {
    ChainMode m = parseMode(mode);
    Chart shown = parseChart(chart);
    if (residual && m != ChainMode.FACTORS) {
      throw new CliException(ExitCodes.INVALID_INPUT, "--residual builds factors I + W; it needs --mode factors",
          null);
    }
    // Default 1: with the accurate SVD (this command's route) the overlap measured 5 % slower, not faster
    // (docs/benchmarks.md, "Chain at d = 1024 ... one and two threads").
    int n = threads == null ? 1 : threads;
    if (n < 1 || n > ChainOptions.MAX_THREADS) {
      throw new CliException(ExitCodes.INVALID_INPUT, "--threads must be 1 or " + ChainOptions.MAX_THREADS + ", got "
          + n, null);
    }
    Result r;
    try (TensorSource src = Checkpoints.open(path)) {
      r = analyze(src, select(src, tensors, pattern), m, residual, true, n);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (format == OutputFormat.json) {
      Json.write(r, out, spec.commandLine().getErr());
    } else {
      out.print(text(r, shown));
      out.flush();
    }
    return ExitCodes.OK;
  }

  static ChainMode parseMode(String s) {
    try {
      return ChainMode.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.INVALID_INPUT, "unknown --mode '" + s + "' (expected factors or states)",
          e);
    }
  }

  static Chart parseChart(String s) {
    try {
      return Chart.fromId(s);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.INVALID_INPUT, e.getMessage(), e);
    }
  }

  /**
   * The tensor names of the chain: {@code names} as given, or the matches of {@code regex}, or every square
   * matrix, in natural name order for the last two.
   *
   * @throws CliException (exit 2) if a named tensor is absent, not a square matrix, or nothing is selected
   */
  static List<String> select(TensorSource src, List<String> names, String regex) {
    if (names != null && !names.isEmpty() && regex != null) {
      throw new CliException(ExitCodes.INVALID_INPUT, "give --tensors or --pattern, not both", null);
    }
    List<String> out = new ArrayList<>();
    if (names != null && !names.isEmpty()) {
      out.addAll(names);
    } else {
      Pattern p = null;
      if (regex != null) {
        try {
          p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
          throw new CliException(ExitCodes.INVALID_INPUT, "--pattern is not a regular expression: " + e.getMessage(),
              e);
        }
      }
      for (TensorInfo t : src.tensors()) {
        if (p != null ? p.matcher(t.name()).find() : isSquare(t)) {
          out.add(t.name());
        }
      }
      out.sort(NATURAL);
    }
    if (out.isEmpty()) {
      throw new CliException(ExitCodes.INVALID_INPUT, "no tensors selected in " + src.path()
          + (regex != null ? " by --pattern " + regex : " (no square matrices)"), null);
    }
    for (String n : out) {
      TensorInfo t;
      try {
        t = src.info(n);
      } catch (IOException e) {
        throw new CliException(ExitCodes.INVALID_INPUT, e.getMessage(), e);
      }
      if (!isSquare(t)) {
        int[] rc = t.matrixShape();
        throw new CliException(ExitCodes.INVALID_INPUT, "tensor " + n + " is not a square matrix (shape "
            + (rc == null ? java.util.Arrays.toString(t.shape()) : rc[0] + "x" + rc[1]) + "): a chain needs square "
            + "operators", null);
      }
    }
    return out;
  }

  private static boolean isSquare(TensorInfo t) {
    int[] rc = t.matrixShape();
    return t.rank() == 2 && rc != null && rc[0] == rc[1] && rc[0] >= 2;
  }

  /**
   * Reads {@code names} and runs the chain analysis; with {@code residual}, through {@link ResidualChains} (factors
   * {@code I + W}, transposed for GPT-2 Conv1D weights).
   *
   * @throws IllegalArgumentException (exit 2) for sizes that differ, mixed layouts or singular input, naming the
   *     tensor
   */
  static Result analyze(TensorSource src, List<String> names, ChainMode mode, boolean residual,
      boolean nearIdentity) throws IOException {
    return analyze(src, names, mode, residual, nearIdentity, 1);
  }

  /** As {@link #analyze(TensorSource, List, ChainMode, boolean, boolean)} on {@code threads} threads (1 or 2). */
  static Result analyze(TensorSource src, List<String> names, ChainMode mode, boolean residual,
      boolean nearIdentity, int threads) throws IOException {
    boolean near = nearIdentity && mode == ChainMode.FACTORS;
    if (residual) {
      ResidualChains.Factors f = ResidualChains.read(src, names);
      return new Result(src.path().toString(), src.format(), names, true, f.transposed(),
          ResidualChains.analyze(f, near, SvdOptions.Method.AUTO, threads));
    }
    List<DMatrix> ms = new ArrayList<>();
    for (String n : names) {
      ms.add(src.readDMatrix(n));
    }
    ChainReport report = Chains.analyze(ms, names, mode,
        ChainOptions.DEFAULTS.withNearIdentity(near).withThreads(threads));
    return new Result(src.path().toString(), src.format(), names, false, false, report);
  }

  /** A short text summary for people: the radial quantities, then the chosen chart's inequalities. */
  static String text(Result r, Chart chart) {
    ChainReport c = r.report();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "chain  %s (%s), %d %s, d = %d, L = %d%n", r.path(), r.format(),
        r.tensors().size(), c.mode(), c.dimension(), c.steps()));
    if (!c.proxy().isEmpty()) {
      sb.append("note   ").append(c.proxy()).append(System.lineSeparator());
    }
    sb.append(summary(c, chart, true, ""));
    return sb.toString();
  }

  /**
   * The lines of a chain report for people: log M and the slacks, the one-step bound 8.5, the chart's window and
   * margin, optionally the per-step table, then 8.8, 8.9 and 8.10. Each line starts with {@code indent}.
   */
  public static String summary(ChainReport c, Chart chart, boolean steps, String indent) {
    ChainReport.ChartChain cc = c.charts().get(chart.ordinal());
    StringBuilder sb = new StringBuilder();
    sb.append(indent).append(String.format(Locale.ROOT, "log M  %.6g   M^(1/L) %.6g   slack S %.4g   S_sub %.4g%n",
        c.logM(), c.geometricMeanAmplitude(), c.slack(), c.submultiplicativeSlack()));
    sb.append(indent).append(String.format(Locale.ROOT, "8.5    |dr| <= a on every step: %s (max ratio %.4f)%n",
        c.oneStepBoundHolds() ? "yes" : "NO", c.oneStepMaxRatio()));
    sb.append(indent).append(String.format(Locale.ROOT, "chart  %s, window [%.4f, %.4f], margin m = %.6g%n",
        cc.chart(), cc.windowLo() + 0.0, cc.windowHi() + 0.0, cc.margin())); // + 0.0: no "-0.0000"
    if (steps) {
      sb.append(indent).append(String.format(Locale.ROOT, "%4s %10s %10s %10s %10s %10s %8s%n", "step", "s_l", "a_l",
          "dr_l", "|ds_l|", "bound", "ratio"));
      for (int l = 0; l < c.steps(); l++) {
        ChainReport.ChartStep st = cc.steps().get(l);
        ChainReport.Interface t = c.interfaces().get(l);
        sb.append(indent).append(String.format(Locale.ROOT, "%4d %10.5f %10.4g %10.3e %10.3e %10.3e %8.4f%n", l,
            c.states().get(l).s()[chart.ordinal()] + 0.0, t.amplitude(), t.deltaR(), st.observed(), st.bound(),
            st.ratio()));
      }
    } else {
      sb.append(indent).append(String.format(Locale.ROOT, "8.8    per step |ds_l| <= bound: %s (max ratio %.4f)%n",
          cc.stepsHold() ? "yes" : "NO", cc.maxStepRatio()));
    }
    sb.append(indent).append(String.format(Locale.ROOT,
        "8.8    m sum|ds| = %.6g <= |r_L - r_0| + S + sum|d rho| = %.6g (ratio %.4f): %s%n", cc.chainObserved(),
        cc.chainBound(), cc.chainRatio(), cc.chainHolds() && cc.stepsHold() ? "holds" : "FAILS"));
    sb.append(indent).append(String.format(Locale.ROOT, "8.9    depth budget (log M)/(m L) = %.6g, max drift %.6g, "
        + "mean drift %.6g (hypotheses %s)%n", cc.budgetBound(), cc.maxDrift(), cc.meanDrift(),
        cc.budgetHypotheses().all() ? "hold" : "do not all hold: bound on mean drift " + String.format(Locale.ROOT,
            "%.6g", cc.meanDriftBound())));
    sb.append(indent).append(String.format(Locale.ROOT, "8.10   residual variation sum|de| = %.4g (Hellinger), "
        + "%.4g (BW)%n", cc.hellingerVariation(), cc.buresVariation()));
    return sb.toString();
  }

  /** Natural order: digit runs compare as numbers ({@code layers.9 < layers.10}), the rest as text. */
  public static final Comparator<String> NATURAL = (a, b) -> {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char x = a.charAt(i);
      char y = b.charAt(j);
      if (Character.isDigit(x) && Character.isDigit(y)) {
        int i2 = i;
        int j2 = j;
        while (i2 < a.length() && Character.isDigit(a.charAt(i2))) {
          i2++;
        }
        while (j2 < b.length() && Character.isDigit(b.charAt(j2))) {
          j2++;
        }
        String na = a.substring(i, i2).replaceFirst("^0+(?=.)", "");
        String nb = b.substring(j, j2).replaceFirst("^0+(?=.)", "");
        int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
        if (c != 0) {
          return c;
        }
        i = i2;
        j = j2;
      } else {
        if (x != y) {
          return Character.compare(x, y);
        }
        i++;
        j++;
      }
    }
    return Integer.compare(a.length() - i, b.length() - j);
  };
}
