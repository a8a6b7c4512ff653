package dev.cartan.core;

/**
 * The power-law orbit on {@code d} ranks and its information geometry (THEORY.md sections 3, 4, 6.5, 6.6, 7.3,
 * 7.4).
 *
 * <p>For an exponent {@code s >= 0} on energies: {@code p_k(s) = k^(-s) / H(d, s)} with the generalized harmonic
 * number {@code H(d, s) = sum_{k=1..d} k^(-s)} (summed smallest terms first); {@code sigmahat_k(s) =
 * sqrt(d p_k(s))}. It is the Gibbs family with energy {@code E_k = log k}, partition function {@code Z = H(d, s)},
 * log-partition {@code psi(s) = log H(d, s)}, mean {@code mu(s) = E_s[log k] = -psi'(s)} and Fisher information
 * {@code I(s) = Var_s(log k) = psi''(s)} (computed as a two-pass variance about the mean). The top coordinate is
 * {@code Phi(s) = (1/2) log(d / H(d, s))}, {@code Phi' = mu/2}, {@code Phi'' = -I/2}.
 *
 * <p>Domain: {@code d >= 1}; exponents finite and {@code >= 0} (an {@link IllegalArgumentException} names the
 * argument otherwise). {@code d = 1} is degenerate: one point, {@code Phi = mu = I = 0}; see
 * {@link #isDegenerate()}.
 */
public final class Orbit {
  private final int d;
  private final RankFamily family;
  private final double logD;

  private Orbit(int d) {
    this.d = d;
    this.family = new RankFamily(1, d);
    this.logD = Math.log(d);
  }

  /**
   * The orbit on {@code d} ranks.
   *
   * @throws IllegalArgumentException if {@code d < 1}
   */
  public static Orbit of(int d) {
    if (d < 1) {
      throw new IllegalArgumentException("dimension d must be >= 1, got " + d);
    }
    return new Orbit(d);
  }

  /** The number of ranks d. */
  public int dimension() {
    return d;
  }

  /** True if {@code d = 1}: the orbit is a single point and has no exponent. */
  public boolean isDegenerate() {
    return d == 1;
  }

  RankFamily family() {
    return family;
  }

  static double checkExponent(double s, String name) {
    if (!Double.isFinite(s) || s < 0) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, got " + s);
    }
    return s;
  }

  /**
   * The generalized harmonic number {@code H(n, s) = sum_{k=1..n} k^(-s)}, summed from {@code k = n} down (smallest
   * terms first for {@code s >= 0}).
   *
   * @throws IllegalArgumentException if {@code n < 1} or {@code s} is not finite
   */
  public static double harmonic(int n, double s) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, got " + n);
    }
    if (!Double.isFinite(s)) {
      throw new IllegalArgumentException("exponent s must be finite, got " + s);
    }
    double h = 0;
    for (int k = n; k >= 1; k--) {
      h += Math.exp(-s * Math.log(k));
    }
    return h;
  }

  /** {@code H(d, s)}. Domain: {@code s >= 0} finite. */
  public double harmonic(double s) {
    checkExponent(s, "exponent s");
    return 1 + family.tail(s);
  }

  /** {@code H(d, s) - 1 = sum_{k=2..d} k^(-s)}, with full relative accuracy when small. Domain: {@code s >= 0}. */
  public double tail(double s) {
    checkExponent(s, "exponent s");
    return family.tail(s);
  }

  /** {@code psi(s) = log H(d, s)}. Domain: {@code s >= 0}. */
  public double logPartition(double s) {
    return Math.log1p(tail(s));
  }

  /** Energies {@code p_k(s) = k^(-s) / H(d, s)}, {@code k = 1..d}. Domain: {@code s >= 0}. */
  public double[] energies(double s) {
    double h = harmonic(s);
    double[] p = new double[d];
    for (int k = 1; k <= d; k++) {
      p[k - 1] = Math.exp(-s * family.e[k - 1]) / h;
    }
    return p;
  }

  /** {@code sqrt(p_k(s)) = k^(-s/2) / sqrt(H(d, s))}. Domain: {@code s >= 0}. */
  public double[] sqrtEnergies(double s) {
    double h = Math.sqrt(harmonic(s));
    double[] q = new double[d];
    for (int k = 1; k <= d; k++) {
      q[k - 1] = Math.exp(-0.5 * s * family.e[k - 1]) / h;
    }
    return q;
  }

  /** {@code sigmahat_k(s) = sqrt(d p_k(s))}, so {@code sum sigmahat_k^2 = d}. Domain: {@code s >= 0}. */
  public double[] normalizedSigma(double s) {
    double[] q = sqrtEnergies(s);
    double sd = Math.sqrt(d);
    for (int k = 0; k < d; k++) {
      q[k] *= sd;
    }
    return q;
  }

  /** {@code mu(s) = E_s[log k]}. Domain: {@code s >= 0}. */
  public double mu(double s) {
    checkExponent(s, "exponent s");
    return d == 1 ? 0 : family.moments(s)[1];
  }

  /** Fisher information {@code I(s) = Var_s(log k)} (two-pass). Domain: {@code s >= 0}; 0 iff d = 1. */
  public double fisher(double s) {
    checkExponent(s, "exponent s");
    return d == 1 ? 0 : family.moments(s)[2];
  }

  /** {@code Phi(s) = (1/2) log(d / H(d, s)) = (1/2)(log d - log1p(H - 1))}, in {@code [0, (1/2) log d)}. */
  public double phi(double s) {
    if (d == 1) {
      checkExponent(s, "exponent s");
      return 0;
    }
    return 0.5 * (logD - Math.log1p(tail(s)));
  }

  /** {@code Phi'(s) = mu(s) / 2 > 0} for {@code d >= 2}. */
  public double phiPrime(double s) {
    return 0.5 * mu(s);
  }

  /** {@code Phi''(s) = -I(s) / 2 < 0} for {@code d >= 2}. */
  public double phiSecond(double s) {
    return -0.5 * fisher(s);
  }

  /** {@code Phi(inf) = (1/2) log d}, the supremum of r. */
  public double phiMax() {
    return 0.5 * logD;
  }

  /** {@code alpha_sigma = s / 2}, the singular-value rank exponent (3.2). Domain: {@code s >= 0}. */
  public static double alphaSigma(double s) {
    return 0.5 * checkExponent(s, "exponent s");
  }

  /**
   * {@code alpha_esd = 1 + 1/s}, the eigenvalue-density tail exponent matching an exact rank power law (3.2).
   *
   * @throws IllegalArgumentException unless {@code s > 0} is finite
   */
  public static double alphaEsd(double s) {
    if (!(s > 0) || Double.isInfinite(s)) {
      throw new IllegalArgumentException("alpha_esd needs a finite exponent s > 0, got " + s);
    }
    return 1 + 1 / s;
  }

  /**
   * Fisher-Rao length {@code ell(s1, s2) = | integral_{s1}^{s2} sqrt(I(u)) du |} by adaptive Gauss-Kronrod to
   * {@code 1e-10} relative (interval cap {@link Quadrature#DEFAULT_MAX_INTERVALS}; the result says whether it
   * converged). Domain: {@code s1, s2 >= 0}.
   */
  public Quadrature.Result fisherRaoLength(double s1, double s2) {
    checkExponent(s1, "exponent s1");
    checkExponent(s2, "exponent s2");
    Quadrature.Result q = Quadrature.integrate(u -> Math.sqrt(fisher(u)), Math.min(s1, s2), Math.max(s1, s2),
        Quadrature.DEFAULT_REL_TOL, 1e-300, Quadrature.DEFAULT_MAX_INTERVALS);
    return q;
  }

  /**
   * Bhattacharyya coefficient on the orbit, closed form (6.5):
   * {@code BC(s1, s2) = H(d, (s1+s2)/2) / sqrt(H(d, s1) H(d, s2))}, in {@code (0, 1]}. Domain: {@code s1, s2 >= 0}.
   */
  public double bhattacharyya(double s1, double s2) {
    checkExponent(s1, "exponent s1");
    checkExponent(s2, "exponent s2");
    double x = logPartition(0.5 * (s1 + s2)) - 0.5 * (logPartition(s1) + logPartition(s2));
    return Math.min(1, Math.exp(x));
  }

  /** Hellinger distance on the orbit from the closed form, {@code sqrt(1 - BC(s1, s2))}. */
  public double hellinger(double s1, double s2) {
    return Math.sqrt(Math.max(0, 1 - bhattacharyya(s1, s2)));
  }

  /** Squared spectral Bures-Wasserstein distance on the orbit, {@code d_BW^2 = 2d (1 - BC(s1, s2))} (6.5). */
  public double buresWasserstein2(double s1, double s2) {
    return 2.0 * d * Math.max(0, 1 - bhattacharyya(s1, s2));
  }

  /**
   * {@code KL(p(s1) || p(s2)) = log(H(d, s2) / H(d, s1)) + (s2 - s1) mu(s1)} (6.5), finite for every
   * {@code s1, s2 >= 0}.
   */
  public double kl(double s1, double s2) {
    checkExponent(s1, "exponent s1");
    checkExponent(s2, "exponent s2");
    return Math.max(0, logPartition(s2) - logPartition(s1) + (s2 - s1) * mu(s1));
  }

  /**
   * The integral form of the orbit KL, {@code integral_{s1}^{s2} (s2 - u) I(u) du}, by adaptive quadrature (used to
   * check {@link #kl}).
   */
  public Quadrature.Result klIntegral(double s1, double s2) {
    checkExponent(s1, "exponent s1");
    checkExponent(s2, "exponent s2");
    return Quadrature.integrate(u -> (s2 - u) * fisher(u), s1, s2, Quadrature.DEFAULT_REL_TOL, 1e-300,
        Quadrature.DEFAULT_MAX_INTERVALS);
  }

  /** Line element coefficient of BW along the orbit: {@code ds_BW^2 / ds^2 = (d/4) I(s)} (6.6). */
  public double buresLineElement(double s) {
    return 0.25 * d * fisher(s);
  }

  /** Line element coefficient of Hellinger along the orbit: {@code ds_Hel^2 / ds^2 = I(s) / 8} (6.6). */
  public double hellingerLineElement(double s) {
    return 0.125 * fisher(s);
  }

  /**
   * Energy CDF on the orbit {@code F_k(s) = H(k, s) / H(d, s)} (7.3). Domain: {@code 1 <= k <= d}, {@code s >= 0}.
   */
  public double cdf(int k, double s) {
    checkRank(k);
    checkExponent(s, "exponent s");
    return Math.min(1, harmonic(k, s) / harmonic(s));
  }

  /**
   * {@code dF_k/ds = F_k(s) (mu_d(s) - mu_k(s))}, where {@code mu_k} is the mean of {@code log j} under
   * {@code j^(-s)} on ranks {@code 1..k}; in {@code [0, (log d)/4]} (7.3).
   */
  public double cdfDerivative(int k, double s) {
    checkRank(k);
    checkExponent(s, "exponent s");
    if (k == d) {
      return 0;
    }
    double muK = k == 1 ? 0 : new RankFamily(1, k).moments(s)[1];
    return cdf(k, s) * (mu(s) - muK);
  }

  /** The smallest k with {@code F_k(s) >= tau}: {@code k_eff(tau)} on the orbit. Domain: {@code tau in (0, 1]}. */
  public int effectiveRank(double s, double tau) {
    checkExponent(s, "exponent s");
    RankStatistics.checkTau(tau);
    return RankStatistics.effectiveRank(energies(s), tau);
  }

  private void checkRank(int k) {
    if (k < 1 || k > d) {
      throw new IllegalArgumentException("rank k must be in [1, " + d + "], got " + k);
    }
  }

  /**
   * Lower bound on the tail sum {@code sum_{j=k+1..d} j^(-s)} (7.4): {@code ((k+1)^(1-s) - (d+1)^(1-s)) / (s-1)}
   * for {@code s != 1}, {@code log((d+1)/(k+1))} for {@code s = 1}. Domain: {@code 1 <= k < d}, {@code s >= 0}.
   */
  public static double tailLowerBound(int k, int d, double s) {
    checkTail(k, d, s);
    if (s == 1) {
      return Math.log((d + 1.0) / (k + 1.0));
    }
    return powerDifference(k + 1.0, d + 1.0, s);
  }

  /**
   * Upper bound on the tail sum (7.4): {@code (k^(1-s) - d^(1-s)) / (s-1)} for {@code s != 1},
   * {@code log(d/k)} for {@code s = 1}. Domain as {@link #tailLowerBound}.
   */
  public static double tailUpperBound(int k, int d, double s) {
    checkTail(k, d, s);
    if (s == 1) {
      return Math.log((double) d / k);
    }
    return powerDifference(k, d, s);
  }

  /** {@code (a^(1-s) - b^(1-s)) / (s - 1)} for {@code a < b}, written to avoid cancellation near s = 1. */
  private static double powerDifference(double a, double b, double s) {
    double t = 1 - s;
    // a^t - b^t = a^t (1 - (b/a)^t) = -a^t expm1(t log(b/a)); divided by (s - 1) = -t.
    return Math.exp(t * Math.log(a)) * Math.expm1(t * Math.log(b / a)) / t;
  }

  private static void checkTail(int k, int d, double s) {
    if (d < 2 || k < 1 || k >= d) {
      throw new IllegalArgumentException("tail bounds need 1 <= k < d, got k = " + k + ", d = " + d);
    }
    checkExponent(s, "exponent s");
  }
}
