package dev.cartan.core;

/**
 * The classic heavy-tail diagnostics of THEORY.md section 10, on {@code lambda_i = sigma_i^2} of the
 * unnormalized W (numerically zero ranks excluded), for users coming from WeightWatcher.
 *
 * @param alpha power-law tail exponent of the eigenvalue density by continuous MLE, xmin by minimum KS
 *     ({@link PowerLaw}); 0 when {@code powerLawValid} is false
 * @param xmin the chosen lower cutoff on lambda; 0 when {@code xminFinite} is false
 * @param xminFinite whether {@code xmin} is representable ({@code sigma_1^2} can overflow for {@code sigma_1 >
 *     1e154}; {@code log10Xmin} is always finite)
 * @param log10Xmin {@code log10 xmin}
 * @param xminRelative {@code xmin / lambda_max}, in {@code (0, 1]}
 * @param ksDistance the KS distance D at xmin
 * @param tailCount number of eigenvalues {@code >= xmin}
 * @param alphaStandardError {@code (alpha - 1) / sqrt(tailCount)}
 * @param powerLawValid whether a fit exists (at least two distinct eigenvalues and a tail of {@code minTail})
 * @param alphaWeighted {@code alpha log10 lambda_max}
 * @param logNorm {@code log10 sum lambda = log10 ||W||_F^2}
 * @param logSpectralNorm {@code log10 lambda_max = 2 log10 sigma_1}
 * @param stableRank {@code sum lambda / lambda_max}
 * @param spectralEntropy {@code -sum p log p / log(rank)} with {@code p = lambda / sum lambda} and the numerical
 *     rank; in {@code [0, 1]}; 0 when {@code spectralEntropyDefined} is false (rank one)
 * @param spectralEntropyDefined whether the rank is at least 2
 */
public record ClassicMetrics(
    double alpha,
    double xmin,
    boolean xminFinite,
    double log10Xmin,
    double xminRelative,
    double ksDistance,
    int tailCount,
    double alphaStandardError,
    boolean powerLawValid,
    double alphaWeighted,
    double logNorm,
    double logSpectralNorm,
    double stableRank,
    double spectralEntropy,
    boolean spectralEntropyDefined) {

  /** The metrics of a spectrum with {@link PowerLaw#DEFAULT_MIN_TAIL}. */
  public static ClassicMetrics of(Spectrum spectrum) {
    return of(spectrum, PowerLaw.DEFAULT_MIN_TAIL);
  }

  /**
   * The metrics of a spectrum. The power law is fitted on {@code (sigma_k / sigma_1)^2} (the fit is
   * scale-equivariant; this keeps squares in range) and xmin is scaled back by {@code sigma_1^2}.
   *
   * @throws IllegalArgumentException if {@code spectrum} is null or {@code minTail < 2}
   */
  public static ClassicMetrics of(Spectrum spectrum, int minTail) {
    if (spectrum == null) {
      throw new IllegalArgumentException("spectrum is null");
    }
    int rank = spectrum.numericalRank();
    double[] sigma = spectrum.sigma();
    double s1 = sigma[0];
    double[] scaled = new double[rank];
    for (int k = 0; k < rank; k++) {
      double r = sigma[k] / s1;
      scaled[k] = r * r;
    }
    PowerLaw.Fit fit = PowerLaw.fit(scaled, minTail);
    double logSpectral = 2 * Math.log10(s1);
    double[] p = spectrum.energies();
    boolean entropyDefined = rank >= 2;
    double entropy = entropyDefined ? Math.min(1, RankStatistics.entropy(p) / Math.log(rank)) : 0;
    double xmin = fit.xmin() * s1 * s1;
    boolean xminFinite = Double.isFinite(xmin);
    double log10Xmin = fit.valid() ? Math.log10(fit.xmin()) + logSpectral : 0;
    return new ClassicMetrics(fit.alpha(), xminFinite ? xmin : 0, xminFinite, log10Xmin, fit.xmin(),
        fit.ksDistance(), fit.tailCount(),
        fit.standardError(), fit.valid(), fit.alpha() * logSpectral, 2 * Math.log10(spectrum.frobeniusNorm()),
        logSpectral, RankStatistics.stableRank(spectrum), entropy, entropyDefined);
  }
}
