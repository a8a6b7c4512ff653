package dev.cartan.core;

/**
 * Effective rank and rank summaries of an energy distribution (THEORY.md section 7).
 *
 * <p>With the energy CDF {@code F_k = sum_{j<=k} p_j}: {@code k_eff(tau) = min{k : F_k >= tau}} for
 * {@code tau in (0, 1]} (default {@link #DEFAULT_TAU}), reported with its margin {@code min_k |F_k - tau|};
 * stable rank {@code 1/p_1}; entropy rank {@code exp(-sum p_k log p_k)}; participation ratio
 * {@code 1 / sum p_k^2}. All three lie in {@code [1, d]}, equal 1 for rank one and d for an isotropic spectrum.
 */
public final class RankStatistics {
  /** Default energy quantile tau (THEORY.md 7.1). */
  public static final double DEFAULT_TAU = 0.9;

  private RankStatistics() {}

  /**
   * {@code k_eff(tau)} with its margin {@code min_k |F_k - tau|} (7.1, 7.5): when the margin exceeds
   * {@code 2 sqrt(2) Hel(p, q)}, q has the same {@code k_eff(tau)} (see {@link #windowStable}).
   */
  public record EffectiveRank(double tau, int kEff, double margin) {}

  static void checkTau(double tau) {
    if (!(tau > 0 && tau <= 1)) {
      throw new IllegalArgumentException("energy quantile tau must be in (0, 1], got " + tau);
    }
  }

  /** {@code k_eff(tau)} of a spectrum with its margin. Domain: {@code tau in (0, 1]}. */
  public static EffectiveRank effectiveRank(Spectrum spectrum, double tau) {
    checkTau(tau);
    double[] p = spectrum.energies();
    return new EffectiveRank(tau, effectiveRank(p, tau), margin(p, tau));
  }

  /**
   * {@code min{k : F_k >= tau}} (1-based) for a probability vector p. Because rounding may leave
   * {@code F_d} a few ulps below 1, {@code tau = 1} is read as "all ranks with positive energy".
   */
  static int effectiveRank(double[] p, double tau) {
    double f = 0;
    int last = 1;
    for (int k = 0; k < p.length; k++) {
      f += p[k];
      if (p[k] > 0) {
        last = k + 1;
      }
      if (f >= tau) {
        return k + 1;
      }
    }
    return last;
  }

  /** {@code min_k |F_k - tau|} over {@code k = 1..d}. */
  static double margin(double[] p, double tau) {
    double f = 0;
    double m = Double.MAX_VALUE;
    for (double x : p) {
      f += x;
      m = Math.min(m, Math.abs(f - tau));
    }
    return m;
  }

  /** The energy CDF {@code F_k}, {@code k = 1..d}. */
  public static double[] cdf(Spectrum spectrum) {
    double[] p = spectrum.energies();
    double f = 0;
    for (int k = 0; k < p.length; k++) {
      f += p[k];
      p[k] = f;
    }
    return p;
  }

  /** Stable rank {@code 1/p_1 = ||W||_F^2 / sigma_1^2 = 1 + T}, in {@code [1, d]}. */
  public static double stableRank(Spectrum spectrum) {
    return 1 + spectrum.tailRatio();
  }

  /** Entropy rank {@code exp(-sum p_k log p_k)} (0 log 0 = 0), in {@code [1, d]}. */
  public static double entropyRank(Spectrum spectrum) {
    return Math.exp(entropy(spectrum.energies()));
  }

  /** Shannon entropy {@code -sum p_k log p_k} (natural log, 0 log 0 = 0). */
  static double entropy(double[] p) {
    double h = 0;
    for (int k = p.length - 1; k >= 0; k--) {
      if (p[k] > 0) {
        h -= p[k] * Math.log(p[k]);
      }
    }
    return Math.max(0, h);
  }

  /** Participation ratio {@code 1 / sum p_k^2}, in {@code [1, d]}. */
  public static double participationRatio(Spectrum spectrum) {
    double[] p = spectrum.energies();
    double s = 0;
    for (int k = p.length - 1; k >= 0; k--) {
      s += p[k] * p[k];
    }
    return 1 / s;
  }

  /**
   * The window-stability test of 7.5: true when {@code min_k |F_k(p) - tau| > 2 sqrt(2) Hel(p, q)}, which
   * guarantees {@code k_eff(tau)} is the same for p and q. A false answer says nothing.
   *
   * @throws IllegalArgumentException if the dimensions differ or tau is outside {@code (0, 1]}
   */
  public static boolean windowStable(Spectrum p, Spectrum q, double tau) {
    checkTau(tau);
    return margin(p.energies(), tau) > 2 * Math.sqrt(2) * Distances.hellinger(p, q);
  }

  /**
   * The orbit form of 7.5: true when {@code |s - s'| (log d) / 4 < min_k |F_k(s) - tau|}, which guarantees
   * {@code k_eff(tau)} is the same at s and s'. Domain: {@code s, s' >= 0}, {@code tau in (0, 1]}.
   */
  public static boolean windowStableOnOrbit(Orbit orbit, double s, double s2, double tau) {
    checkTau(tau);
    Orbit.checkExponent(s, "exponent s");
    Orbit.checkExponent(s2, "exponent s2");
    double m = margin(orbit.energies(s), tau);
    return Math.abs(s - s2) * Math.log(orbit.dimension()) / 4 < m;
  }
}
