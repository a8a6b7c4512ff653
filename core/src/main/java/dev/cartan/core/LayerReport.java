package dev.cartan.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything core computes for one layer's spectrum (THEORY.md sections 1, 2, 3.2, 5, 7.1-7.2, 10), as plain
 * fields with no cycles, so a JSON mapper serializes it directly. No field is NaN or infinite (check with
 * {@link #allFinite()}); degenerate cases are flags.
 *
 * @param name the layer's name (free text)
 * @param rows m
 * @param cols n
 * @param dimension {@code d = min(m, n)}
 * @param numericalRank ranks with {@code sigma_k > max(m, n) eps sigma_1}
 * @param zeroCount {@code d - numericalRank}
 * @param frobeniusNorm {@code ||W||_F}
 * @param spectralNorm {@code sigma_1}
 * @param degenerate {@code d = 1}
 * @param rankDeficient numerical rank below d
 * @param isotropic all singular values equal ({@code r = 0})
 * @param topRadial {@code r = (1/2) log(d p_1)}
 * @param topRadialMax {@code (1/2) log d}
 * @param tau the energy quantile used for {@code kEff}
 * @param kEff {@code k_eff(tau)}
 * @param kEffMargin {@code min_k |F_k - tau|}
 * @param stableRank {@code 1 / p_1}
 * @param entropyRank {@code exp(-sum p log p)}
 * @param participationRatio {@code 1 / sum p^2}
 * @param sMax the exponent clamp
 * @param charts one fit per chart, in the order ls, top, mle, hellinger
 * @param classic the section-10 metrics
 */
public record LayerReport(
    String name,
    int rows,
    int cols,
    int dimension,
    int numericalRank,
    int zeroCount,
    double frobeniusNorm,
    double spectralNorm,
    boolean degenerate,
    boolean rankDeficient,
    boolean isotropic,
    double topRadial,
    double topRadialMax,
    double tau,
    int kEff,
    double kEffMargin,
    double stableRank,
    double entropyRank,
    double participationRatio,
    double sMax,
    List<ChartFit> charts,
    ClassicMetrics classic) {

  /** Copies the chart list so the record is immutable. */
  public LayerReport {
    charts = List.copyOf(charts);
  }

  /** The report with {@link ReportOptions#DEFAULTS}. */
  public static LayerReport of(String name, Spectrum spectrum) {
    return of(name, spectrum, ReportOptions.DEFAULTS);
  }

  /**
   * The report of one spectrum.
   *
   * @throws IllegalArgumentException if {@code spectrum} or {@code options} is null, or the chart window does not
   *     fit the spectrum
   */
  public static LayerReport of(String name, Spectrum spectrum, ReportOptions options) {
    if (spectrum == null) {
      throw new IllegalArgumentException("spectrum is null");
    }
    if (options == null) {
      throw new IllegalArgumentException("report options are null");
    }
    Orbit orbit = Orbit.of(spectrum.dimension());
    List<ChartFit> fits = new ArrayList<>();
    for (Chart c : Chart.values()) {
      fits.add(Charts.fit(spectrum, orbit, c, options.charts()));
    }
    RankStatistics.EffectiveRank keff = RankStatistics.effectiveRank(spectrum, options.tau());
    return new LayerReport(name == null ? "" : name, spectrum.rows(), spectrum.cols(), spectrum.dimension(),
        spectrum.numericalRank(), spectrum.zeroCount(), spectrum.frobeniusNorm(), spectrum.spectralNorm(),
        spectrum.isDegenerate(), spectrum.isRankDeficient(), spectrum.isIsotropic(), spectrum.topRadial(),
        orbit.phiMax(), options.tau(), keff.kEff(), keff.margin(), RankStatistics.stableRank(spectrum),
        RankStatistics.entropyRank(spectrum), RankStatistics.participationRatio(spectrum),
        options.charts().sMax(), fits, ClassicMetrics.of(spectrum, options.minTail()));
  }

  /** The fit of one chart. */
  public ChartFit chart(Chart chart) {
    return charts.get(chart.ordinal());
  }

  /** True if every double in the report (charts and classic metrics included) is finite. */
  public boolean allFinite() {
    double[] own = {frobeniusNorm, spectralNorm, topRadial, topRadialMax, tau, kEffMargin, stableRank, entropyRank,
        participationRatio, sMax, classic.alpha(), classic.xmin(), classic.log10Xmin(), classic.xminRelative(), classic.ksDistance(),
        classic.alphaStandardError(), classic.alphaWeighted(), classic.logNorm(), classic.logSpectralNorm(),
        classic.stableRank(), classic.spectralEntropy()};
    for (double v : own) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    for (ChartFit f : charts) {
      double[] v = {f.s(), f.alphaSigma(), f.alphaEsd(), f.topResidual(), f.vectorResidualNorm(),
          f.vectorResidualMax(), f.hellingerResidual(), f.buresResidual()};
      for (double x : v) {
        if (!Double.isFinite(x)) {
          return false;
        }
      }
    }
    return true;
  }
}
