package dev.cartan.core;

/**
 * Distances between two energy distributions p, q on the same d ranks (THEORY.md 6.1, 6.2, 6.4).
 *
 * <ul>
 *   <li>Hellinger: {@code Hel^2(p, q) = (1/2) sum (sqrt p_k - sqrt q_k)^2 = 1 - BC(p, q)}; computed from the sum of
 *       squares (no cancellation in {@code 1 - BC}), in {@code [0, 1]};
 *   <li>Bhattacharyya coefficient {@code BC = sum sqrt(p_k q_k)} in {@code [0, 1]} and distance {@code -log BC}
 *       ({@code +inf} for disjoint supports);
 *   <li>spectral Bures-Wasserstein between {@code S = d diag(p)} and {@code S' = d diag(q)}:
 *       {@code d_BW = sqrt(d) ||sqrt p - sqrt q||_2 = sqrt(2d) Hel(p, q)};
 *   <li>KL: {@code KL(p || q) = sum p_k log(p_k / q_k)}, {@code 0 log 0 = 0}, {@code +inf} when
 *       {@code q_k = 0 < p_k} (never NaN).
 * </ul>
 *
 * <p>Array arguments must be probability vectors: same nonzero length, finite, nonnegative, summing to 1 within
 * {@code 1e-9}; spectra must have the same d. Otherwise an {@link IllegalArgumentException} names the argument.
 */
public final class Distances {
  private static final double SUM_TOLERANCE = 1e-9;

  private Distances() {}

  static void checkProbability(double[] p, String name) {
    if (p == null || p.length == 0) {
      throw new IllegalArgumentException(name + " is null or empty");
    }
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      if (!Double.isFinite(p[i]) || p[i] < 0) {
        throw new IllegalArgumentException(name + "[" + i + "] = " + p[i] + " is not a finite nonnegative number");
      }
      s += p[i];
    }
    if (Math.abs(s - 1) > SUM_TOLERANCE) {
      throw new IllegalArgumentException(name + " sums to " + s + ", not 1");
    }
  }

  private static void checkPair(double[] p, double[] q) {
    checkProbability(p, "p");
    checkProbability(q, "q");
    if (p.length != q.length) {
      throw new IllegalArgumentException("p has " + p.length + " ranks but q has " + q.length);
    }
  }

  private static void checkPair(Spectrum p, Spectrum q) {
    if (p == null || q == null) {
      throw new IllegalArgumentException("spectrum " + (p == null ? "p" : "q") + " is null");
    }
    if (p.dimension() != q.dimension()) {
      throw new IllegalArgumentException(
          "spectra have different dimensions: p has d = " + p.dimension() + ", q has d = " + q.dimension());
    }
  }

  /** {@code (1/2) sum (a_k - b_k)^2} for square-root vectors a, b, smallest-index-last. */
  static double halfSquaredDifference(double[] a, double[] b) {
    double s = 0;
    for (int k = a.length - 1; k >= 0; k--) {
      double x = a[k] - b[k];
      s += x * x;
    }
    return Math.min(1, 0.5 * s);
  }

  private static double[] sqrt(double[] p) {
    double[] r = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      r[i] = Math.sqrt(p[i]);
    }
    return r;
  }

  /** Hellinger distance {@code sqrt((1/2) sum (sqrt p_k - sqrt q_k)^2)}, in {@code [0, 1]}. */
  public static double hellinger(double[] p, double[] q) {
    checkPair(p, q);
    return Math.sqrt(halfSquaredDifference(sqrt(p), sqrt(q)));
  }

  /** Hellinger distance between the energy distributions of two spectra with the same d. */
  public static double hellinger(Spectrum p, Spectrum q) {
    checkPair(p, q);
    return Math.sqrt(halfSquaredDifference(p.sqrtEnergies(), q.sqrtEnergies()));
  }

  /** Bhattacharyya coefficient {@code BC = sum sqrt(p_k q_k)}, in {@code [0, 1]}. */
  public static double bhattacharyyaCoefficient(double[] p, double[] q) {
    checkPair(p, q);
    double s = 0;
    for (int k = p.length - 1; k >= 0; k--) {
      s += Math.sqrt(p[k] * q[k]);
    }
    return Math.min(1, s);
  }

  /** Bhattacharyya coefficient of two spectra with the same d. */
  public static double bhattacharyyaCoefficient(Spectrum p, Spectrum q) {
    checkPair(p, q);
    double[] a = p.sqrtEnergies();
    double[] b = q.sqrtEnergies();
    double s = 0;
    for (int k = a.length - 1; k >= 0; k--) {
      s += a[k] * b[k];
    }
    return Math.min(1, s);
  }

  /** Bhattacharyya distance {@code -log BC}, in {@code [0, +inf]} ({@code +inf} iff the supports are disjoint). */
  public static double bhattacharyyaDistance(double[] p, double[] q) {
    double bc = bhattacharyyaCoefficient(p, q);
    return bc == 0 ? Double.POSITIVE_INFINITY : Math.max(0, -Math.log(bc));
  }

  /**
   * {@code KL(p || q) = sum p_k log(p_k / q_k)} with {@code 0 log 0 = 0}; {@code +inf} when some
   * {@code q_k = 0 < p_k}. Never NaN.
   */
  public static double kl(double[] p, double[] q) {
    checkPair(p, q);
    double s = 0;
    for (int k = p.length - 1; k >= 0; k--) {
      if (p[k] == 0) {
        continue;
      }
      if (q[k] == 0) {
        return Double.POSITIVE_INFINITY;
      }
      s += p[k] * Math.log(p[k] / q[k]);
    }
    return Math.max(0, s);
  }

  /** KL between the energy distributions of two spectra with the same d (see {@link #kl(double[], double[])}). */
  public static double kl(Spectrum p, Spectrum q) {
    checkPair(p, q);
    return kl(p.energies(), q.energies());
  }

  /** Spectral Bures-Wasserstein {@code d_BW = sqrt(d) ||sqrt p - sqrt q||_2 = sqrt(2d) Hel(p, q)} (6.2). */
  public static double spectralBuresWasserstein(double[] p, double[] q) {
    return Math.sqrt(2.0 * p.length) * hellinger(p, q);
  }

  /** Spectral Bures-Wasserstein between two spectra with the same d. */
  public static double spectralBuresWasserstein(Spectrum p, Spectrum q) {
    return Math.sqrt(2.0 * p.dimension()) * hellinger(p, q);
  }
}
