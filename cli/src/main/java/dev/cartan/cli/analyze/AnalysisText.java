package dev.cartan.cli.analyze;

import dev.cartan.cli.ChainCommand;
import dev.cartan.cli.analyze.AnalysisResult.ErrorEntry;
import dev.cartan.cli.analyze.AnalysisResult.MatrixEntry;
import dev.cartan.cli.analyze.AnalysisResult.ProfilePoint;
import dev.cartan.cli.analyze.AnalysisResult.RoleProfile;
import dev.cartan.core.Chart;
import dev.cartan.core.ClassicMetrics;
import dev.cartan.core.LayerReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The text (readable tables) and CSV (one row per matrix) forms of an {@link AnalysisResult}. */
final class AnalysisText {
  private AnalysisText() {}

  /** CSV columns, in order. Documented in docs/output.md. */
  static final List<String> CSV_COLUMNS = List.of("index", "file", "tensor", "part", "slice", "role", "depth",
      "family", "dtype", "rows", "cols", "dimension", "numerical_rank", "svd_method", "precision", "sweeps",
      "converged", "s_ls", "s_top", "s_mle", "s_hellinger", "hellinger_residual_ls", "top_radial", "top_radial_max",
      "k_eff", "stable_rank", "entropy_rank", "participation_ratio", "frobenius_norm", "spectral_norm", "alpha",
      "alpha_weighted", "ks_distance", "log_norm", "log_spectral_norm", "spectral_entropy", "read_ms", "svd_ms");

  /** RFC 4180 CSV: a header line, then one line per matrix; non-finite numbers and absent values are empty. */
  static String csv(AnalysisResult r) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.join(",", CSV_COLUMNS)).append("\r\n");
    for (MatrixEntry e : r.matrices()) {
      LayerReport lr = e.report();
      ClassicMetrics c = lr.classic();
      List<Object> row = new ArrayList<>(List.of(e.index(), e.file(), e.tensor(), nz(e.part()), nz(e.slice()),
          e.role(), e.depth(), e.family(), e.dtype(), e.rows(), e.cols(), lr.dimension(), lr.numericalRank(),
          e.svd().method(), e.svd().precision(), e.svd().sweeps(), e.svd().converged()));
      for (Chart ch : Chart.values()) {
        row.add(lr.chart(ch).s());
      }
      row.addAll(List.of(lr.chart(Chart.LS).hellingerResidual(), lr.topRadial(), lr.topRadialMax(), lr.kEff(),
          lr.stableRank(), lr.entropyRank(), lr.participationRatio(), lr.frobeniusNorm(), lr.spectralNorm()));
      if (c == null) {
        for (int i = 0; i < 6; i++) {
          row.add("");
        }
      } else {
        row.addAll(List.of(c.powerLawValid() ? (Object) c.alpha() : "", c.powerLawValid() ? c.alphaWeighted() : "",
            c.powerLawValid() ? c.ksDistance() : "", c.logNorm(), c.logSpectralNorm(),
            c.spectralEntropyDefined() ? (Object) c.spectralEntropy() : ""));
      }
      row.add(e.timings().readMs());
      row.add(e.timings().svdMs());
      for (int i = 0; i < row.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(cell(row.get(i)));
      }
      sb.append("\r\n");
    }
    return sb.toString();
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static String cell(Object o) {
    if (o instanceof Double d) {
      return Double.isFinite(d) ? Double.toString(d) : "";
    }
    String s = String.valueOf(o);
    if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }

  /**
   * A readable summary: one table row per matrix, then the role profiles, a short block per residual proxy chain,
   * errors and warnings.
   */
  static String text(AnalysisResult r) {
    StringBuilder sb = new StringBuilder();
    Chart ch = Chart.fromId(r.settings().chart());
    AnalysisResult.Runtime rt = r.runtime();
    sb.append(String.format(Locale.ROOT, "cartan %s  %s (%s)  JDK %s  %d thread(s)  %.2f s%n", rt.cartanVersion(),
        rt.provider(), rt.species(), rt.jdk(), rt.threads(), rt.wallSeconds()));
    for (AnalysisResult.Input in : r.inputs()) {
      sb.append(String.format(Locale.ROOT, "input %s  [%s, %d tensors]%n", in.path(),
          in.format() == null ? "unreadable" : in.format(), in.tensors()));
    }
    sb.append(String.format(Locale.ROOT, "%d matrices, %d errors, %d skipped (not matrices or filtered)%n%n",
        r.matrices().size(), r.errors().size(), r.skipped()));
    int w = 6;
    for (MatrixEntry e : r.matrices()) {
      w = Math.max(w, Math.min(60, e.label().length()));
    }
    String head = "%-" + w + "s %-9s %5s %11s %8s %7s %7s %6s %8s %7s %8s%n";
    sb.append(String.format(Locale.ROOT, head, "matrix", "role", "depth", "shape", "s_" + ch.id(), "r", "hel_res",
        "k_eff", "erank", "alpha", "svd_ms"));
    for (MatrixEntry e : r.matrices()) {
      LayerReport lr = e.report();
      ClassicMetrics c = lr.classic();
      String label = e.label().length() > w ? "..." + e.label().substring(e.label().length() - w + 3) : e.label();
      sb.append(String.format(Locale.ROOT, "%-" + w + "s %-9s %5s %11s %8.4f %7.4f %7.4f %6d %8.2f %7s %8.1f%n",
          label, e.role(), e.depth() < 0 ? "-" : Integer.toString(e.depth()), e.rows() + "x" + e.cols(),
          lr.chart(ch).s(), lr.topRadial(), lr.chart(ch).hellingerResidual(), lr.kEff(), lr.entropyRank(),
          c == null || !c.powerLawValid() ? "-" : String.format(Locale.ROOT, "%.3f", c.alpha()),
          e.timings().svdMs()));
    }
    for (RoleProfile p : r.profiles()) {
      if (p.points().size() < 2) {
        continue;
      }
      sb.append(String.format(Locale.ROOT, "%nprofile %s (chart %s)%n", p.role(), p.chart()));
      sb.append(String.format(Locale.ROOT, "  %5s %8s %8s %8s %8s  %s%n", "depth", "s", "|ds|", "hel", "bw",
          "matrix"));
      for (ProfilePoint q : p.points()) {
        sb.append(String.format(Locale.ROOT, "  %5s %8.4f %8s %8s %8s  %s%n",
            q.depth() < 0 ? "-" : Integer.toString(q.depth()), q.s(), fmt(q.drift()), fmt(q.hellinger()),
            fmt(q.buresWasserstein()), q.label()));
      }
    }
    for (AnalysisResult.ChainEntry c : r.chains()) {
      sb.append(String.format(Locale.ROOT, "%nchain %s  %s  L = %d, d = %d%s (chart %s)%n", c.role(), c.group(),
          c.tensors().size(), c.dimension(), c.transposed() ? ", stored in x out: factors I + W^T" : "", ch.id()));
      if (c.report() == null) {
        sb.append("  not computed (see warnings)").append(System.lineSeparator());
      } else {
        sb.append("  ").append(c.report().proxy()).append(System.lineSeparator());
        sb.append(ChainCommand.summary(c.report(), ch, false, "  "));
      }
    }
    if (!r.errors().isEmpty()) {
      sb.append(String.format(Locale.ROOT, "%nerrors%n"));
      for (ErrorEntry e : r.errors()) {
        sb.append("  ").append(e.tensor() == null ? e.file() : e.tensor()).append(": ").append(e.reason())
            .append(System.lineSeparator());
      }
    }
    if (!r.warnings().isEmpty()) {
      sb.append(String.format(Locale.ROOT, "%nwarnings%n"));
      for (String s : r.warnings()) {
        sb.append("  ").append(s).append(System.lineSeparator());
      }
    }
    return sb.toString();
  }

  private static String fmt(Double d) {
    return d == null || !Double.isFinite(d) ? "-" : String.format(Locale.ROOT, "%.4f", d);
  }
}
