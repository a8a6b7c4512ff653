package dev.cartan.cli.analyze;

import dev.cartan.cli.analyze.AnalysisResult.ErrorEntry;
import dev.cartan.cli.analyze.AnalysisResult.MatrixEntry;
import dev.cartan.cli.analyze.AnalysisResult.ProfilePoint;
import dev.cartan.cli.analyze.AnalysisResult.RoleProfile;
import dev.cartan.cli.report.HtmlReport;
import dev.cartan.cli.report.Svg;
import dev.cartan.core.Chart;
import dev.cartan.core.ClassicMetrics;
import dev.cartan.core.LayerReport;
import dev.cartan.core.Orbit;
import dev.cartan.core.Spectrum;
import dev.cartan.core.chain.ChainReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The HTML report of an analysis: one self-contained page (inline SVG, no network) with the exponent profiles per
 * role over depth, effective-rank profiles, adjacent drift bars, log-log spectra of chosen layers with their fitted
 * orbit point, the ESD tail fit (classic alpha) of the same layers, a sortable layer table, errors and warnings;
 * and, when there are residual proxy chains, each one's inequalities observed against their bounds per step and
 * over the chain.
 */
final class AnalysisHtml {
  private static final int W = 520;
  private static final int H = 320;
  /** At most this many layers get spectrum and ESD plots (a page of hundreds of plots helps nobody). */
  static final int MAX_PLOTTED = 12;

  private AnalysisHtml() {}

  /**
   * The page. Plotted layers: those whose label matches {@code plot} (find), or by default the largest matrix of
   * each role; at most {@link #MAX_PLOTTED}.
   */
  static String render(AnalysisResult r, List<Spectrum> spectra, Chart chart, Pattern plot) {
    HtmlReport page = new HtmlReport("Cartan analysis");
    AnalysisResult.Runtime rt = r.runtime();
    page.meta("cartan " + rt.cartanVersion() + ", kernels " + rt.provider() + " (" + rt.species() + "), JDK "
        + rt.jdk() + ", " + rt.threads() + " thread(s), " + String.format(Locale.ROOT, "%.2f s", rt.wallSeconds()));
    for (AnalysisResult.Input in : r.inputs()) {
      page.meta("input " + in.path() + " (" + (in.format() == null ? "unreadable" : in.format()) + ", "
          + in.tensors() + " tensors)");
    }
    page.meta(r.matrices().size() + " matrices, " + r.errors().size() + " errors, chart " + chart.id()
        + ", window " + r.settings().window() + ", tau " + r.settings().tau());
    for (ErrorEntry e : r.errors()) {
      page.warning("not analyzed: " + (e.tensor() == null ? e.file() : e.tensor()) + ": " + e.reason());
    }
    for (String w : r.warnings()) {
      page.warning(w);
    }
    profiles(page, r.profiles(), chart);
    chains(page, r.chains(), chart);
    spectra(page, r.matrices(), spectra, chart, plot);
    table(page, r.matrices(), chart);
    return page.render();
  }

  private static double x(ProfilePoint q, int position) {
    return q.depth() >= 0 ? q.depth() : position;
  }

  private static String depthLabel(ProfilePoint q, int position) {
    return q.depth() >= 0 ? Integer.toString(q.depth()) : "#" + position;
  }

  private static void profiles(HtmlReport page, List<RoleProfile> profiles, Chart chart) {
    List<Svg.Series> s = new ArrayList<>();
    List<Svg.Series> keff = new ArrayList<>();
    List<String> driftLabels = new ArrayList<>();
    List<Double> drift = new ArrayList<>();
    for (RoleProfile p : profiles) {
      int n = p.points().size();
      double[] xs = new double[n];
      double[] ys = new double[n];
      double[] ks = new double[n];
      double[] es = new double[n];
      for (int i = 0; i < n; i++) {
        ProfilePoint q = p.points().get(i);
        xs[i] = x(q, i);
        ys[i] = q.s();
        ks[i] = q.kEff();
        es[i] = q.entropyRank();
        if (q.drift() != null) {
          // Depth-less layers are labelled by their position in the profile (#k), as they are plotted.
          driftLabels.add(p.role() + " " + depthLabel(p.points().get(i - 1), i - 1) + "-" + depthLabel(q, i));
          drift.add(q.drift());
        }
      }
      s.add(new Svg.Series(p.role(), xs, ys, true, true));
      keff.add(new Svg.Series(p.role() + " k_eff", xs, ks, true, true));
      keff.add(new Svg.Series(p.role() + " erank", xs, es, true, false));
    }
    if (s.isEmpty()) {
      return;
    }
    page.heading("Depth profiles");
    page.paragraph("Exponent s (chart " + chart.id() + ") and effective ranks of each role over depth (THEORY.md"
        + " section 9). Diagnostics, not a verification: a chain analysis needs the operators of one chain.");
    List<String> plots = new ArrayList<>();
    plots.add(Svg.plot("Exponent profile s(depth)", "depth", "s (" + chart.id() + ")", false, false, s, W, H));
    plots.add(Svg.plot("Effective-rank profiles", "depth", "rank", false, true, keff, W, H));
    if (!drift.isEmpty()) {
      double[] v = drift.stream().mapToDouble(Double::doubleValue).toArray();
      plots.add(Svg.bars("Adjacent drift |delta s|", "|delta s|", driftLabels, v, Math.max(W, 16 * v.length + 100),
          H));
    }
    page.plots(plots);
  }

  /**
   * Per chain: the per-step sides of 8.8 (observed {@code |Delta shat_l|}, middle term, bound) and their ratio, then
   * a table of the whole chain's inequalities, each with both sides.
   */
  private static void chains(HtmlReport page, List<AnalysisResult.ChainEntry> chains, Chart chart) {
    if (chains.isEmpty()) {
      return;
    }
    page.heading("Residual proxy chains");
    page.paragraph("Static proxy of a residual chain (THEORY.md section 8): factors I + W_l built from the square "
        + "residual-stream weights of one role, ordered by depth (I + W_l^T for weights stored in x out, GPT-2 "
        + "Conv1D). It leaves out nonlinearities, normalization and inputs: not the network's Jacobian chain. Chart "
        + chart.id() + ".");
    for (int k = 0; k < chains.size(); k++) {
      AnalysisResult.ChainEntry c = chains.get(k);
      String title = c.role() + " " + c.group() + " (L = " + c.tensors().size() + ", d = " + c.dimension()
          + (c.transposed() ? ", transposed" : "") + ")";
      if (c.report() == null) {
        page.paragraph(title + ": not computed (see warnings).");
        continue;
      }
      ChainReport.ChartChain cc = c.report().charts().get(chart.ordinal());
      int steps = cc.steps().size();
      double[] x = new double[steps];
      double[] obs = new double[steps];
      double[] mid = new double[steps];
      double[] bound = new double[steps];
      double[] ratio = new double[steps];
      List<String> labels = new ArrayList<>();
      for (int l = 0; l < steps; l++) {
        ChainReport.ChartStep st = cc.steps().get(l);
        x[l] = l;
        obs[l] = st.observed();
        mid[l] = st.middle();
        bound[l] = st.bound();
        ratio[l] = st.ratio();
        labels.add(Integer.toString(l));
      }
      List<Svg.Series> ss = List.of(new Svg.Series("observed |ds_l|", x, obs, true, true),
          new Svg.Series("|dr_l - drho_l| / m", x, mid, true, false),
          new Svg.Series("bound (a_l + |drho_l|) / m", x, bound, true, true));
      page.plots(List.of(Svg.plot("8.8 per step: " + title, "step l", "|delta s|", false, false, ss, W, H),
          Svg.bars("observed / bound per step", "ratio", labels, ratio, Math.max(W, 16 * steps + 100), H)));
      page.table("chain-" + k, List.of("inequality", "observed", "bound", "observed / bound", "holds"),
          chainRows(c.report(), cc));
    }
  }

  private static List<List<Object>> chainRows(ChainReport r, ChainReport.ChartChain cc) {
    int worstR = 0;
    int worstS = 0;
    for (int l = 0; l < r.steps(); l++) {
      if (r.interfaces().get(l).ratio() > r.interfaces().get(worstR).ratio()) {
        worstR = l;
      }
      if (cc.steps().get(l).ratio() > cc.steps().get(worstS).ratio()) {
        worstS = l;
      }
    }
    ChainReport.Interface t = r.interfaces().get(worstR);
    ChainReport.ChartStep st = cc.steps().get(worstS);
    boolean budget = cc.budgetHypotheses().all();
    List<List<Object>> rows = new ArrayList<>();
    rows.add(java.util.Arrays.asList("8.5 |dr_l| <= a_l, worst step " + worstR, Math.abs(t.deltaR()),
        t.amplitude(), r.oneStepMaxRatio(), yes(r.oneStepBoundHolds())));
    rows.add(java.util.Arrays.asList("8.8 |ds_l| <= (a_l + |drho_l|) / m, worst step " + worstS, st.observed(),
        st.bound(), cc.maxStepRatio(), yes(cc.stepsHold())));
    rows.add(java.util.Arrays.asList("8.8 m sum|ds| <= |r_L - r_0| + S + sum|drho|", cc.chainObserved(),
        cc.chainBound(), cc.chainRatio(), yes(cc.chainHolds())));
    rows.add(java.util.Arrays.asList("8.9 mean drift <= (log M + sum|drho|) / (m L)", cc.meanDrift(),
        cc.meanDriftBound(), ratio(cc.meanDrift(), cc.meanDriftBound()),
        yes(cc.meanDrift() <= cc.meanDriftBound() * (1 + 1e-9) + 1e-12)));
    rows.add(java.util.Arrays.asList("8.9 max drift <= depth budget (log M) / (m L)", cc.maxDrift(),
        cc.budgetBound(), ratio(cc.maxDrift(), cc.budgetBound()),
        budget ? yes(cc.maxDrift() <= cc.budgetBound() * (1 + 1e-9) + 1e-12) : "n/a: hypotheses do not all hold"));
    return rows;
  }

  private static String yes(boolean b) {
    return b ? "yes" : "NO";
  }

  private static Double ratio(double observed, double bound) {
    return bound > 0 ? observed / bound : null;
  }

  private static void spectra(HtmlReport page, List<MatrixEntry> entries, List<Spectrum> spectra, Chart chart,
      Pattern plot) {
    List<Integer> chosen = new ArrayList<>();
    if (plot != null) {
      for (int i = 0; i < entries.size() && chosen.size() < MAX_PLOTTED; i++) {
        if (plot.matcher(entries.get(i).label()).find()) {
          chosen.add(i);
        }
      }
    } else {
      Map<String, Integer> largest = new LinkedHashMap<>();
      for (int i = 0; i < entries.size(); i++) {
        MatrixEntry e = entries.get(i);
        Integer best = largest.get(e.role());
        if (best == null || (long) e.rows() * e.cols() > (long) entries.get(best).rows() * entries.get(best).cols()) {
          largest.put(e.role(), i);
        }
      }
      largest.values().stream().limit(MAX_PLOTTED).forEach(chosen::add);
    }
    if (chosen.isEmpty()) {
      return;
    }
    page.heading("Spectra and tail fits");
    page.paragraph("Left: normalized singular values sigmahat_k against rank k (log-log) with the fitted orbit point "
        + "p(s) of chart " + chart.id() + ". Right: the empirical complementary CDF of the eigenvalues "
        + "lambda = sigma^2 with the classic power-law tail fit (alpha, xmin by minimum KS).");
    for (int i : chosen) {
      MatrixEntry e = entries.get(i);
      Spectrum sp = spectra.get(i);
      LayerReport lr = e.report();
      int d = sp.dimension();
      double[] k = new double[d];
      for (int j = 0; j < d; j++) {
        k[j] = j + 1;
      }
      double s = lr.chart(chart).s();
      List<Svg.Series> ss = List.of(new Svg.Series("data", k, sp.normalizedSigma(), false, true),
          new Svg.Series(String.format(Locale.ROOT, "orbit s=%.3f", s), k, Orbit.of(d).normalizedSigma(s), true,
              false));
      List<String> plots = new ArrayList<>();
      plots.add(Svg.plot(e.label(), "rank k", "sigmahat_k", true, true, ss, W, H));
      String esd = esd(e, sp);
      if (esd != null) {
        plots.add(esd);
      }
      page.plots(plots);
    }
  }

  /** The ESD tail plot: empirical CCDF of lambda and the fitted {@code (n_tail/n)(x/xmin)^(1-alpha)}. */
  private static String esd(MatrixEntry e, Spectrum sp) {
    ClassicMetrics c = e.report().classic();
    int n = sp.numericalRank();
    if (n < 2) {
      return null;
    }
    double[] sigma = sp.sigma();
    double s1 = sigma[0];
    // Eigenvalues relative to lambda_max keep the squares in range; the axis says so.
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double r = sigma[i] / s1;
      x[i] = r * r;
      y[i] = (i + 1) / (double) n;
    }
    List<Svg.Series> ss = new ArrayList<>();
    ss.add(new Svg.Series("ESD ccdf", x, y, false, true));
    String title = "ESD tail";
    if (c != null && c.powerLawValid()) {
      double xmin = c.xminRelative();
      double frac = c.tailCount() / (double) n;
      double[] fx = {xmin, 1};
      double[] fy = {frac, frac * Math.pow(1 / xmin, 1 - c.alpha())};
      ss.add(new Svg.Series(String.format(Locale.ROOT, "alpha=%.3f", c.alpha()), fx, fy, true, false));
      title = String.format(Locale.ROOT, "ESD tail (alpha %.3f, D %.3f)", c.alpha(), c.ksDistance());
    }
    return Svg.plot(title, "lambda / lambda_max", "P(Lambda >= lambda)", true, true, ss, W, H);
  }

  private static void table(HtmlReport page, List<MatrixEntry> entries, Chart chart) {
    page.heading("Layers");
    List<String> headers = List.of("#", "matrix", "role", "depth", "rows", "cols", "s_ls", "s_top", "s_mle",
        "s_hellinger", "r", "hel residual (" + chart.id() + ")", "k_eff", "stable rank", "entropy rank", "alpha",
        "KS D", "log norm", "svd", "sweeps", "converged", "svd ms");
    List<List<Object>> rows = new ArrayList<>();
    for (MatrixEntry e : entries) {
      LayerReport lr = e.report();
      ClassicMetrics c = lr.classic();
      boolean pl = c != null && c.powerLawValid();
      rows.add(java.util.Arrays.asList(e.index(), e.label(), e.role(), e.depth(), e.rows(), e.cols(),
          lr.chart(Chart.LS).s(), lr.chart(Chart.TOP).s(), lr.chart(Chart.MLE).s(), lr.chart(Chart.HELLINGER).s(),
          lr.topRadial(), lr.chart(chart).hellingerResidual(), lr.kEff(), lr.stableRank(), lr.entropyRank(),
          pl ? c.alpha() : null, pl ? c.ksDistance() : null, c == null ? null : c.logNorm(), e.svd().method(),
          e.svd().sweeps(), String.valueOf(e.svd().converged()), e.timings().svdMs()));
    }
    page.table("layers", headers, rows);
  }
}
