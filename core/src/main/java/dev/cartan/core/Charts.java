package dev.cartan.core;

/**
 * Fits the four power-law charts of THEORY.md section 5 and computes their residuals.
 *
 * <p>Charts on a window {@code [lo, hi]} compare the window's renormalized energies {@code q_k = p_k / sum_win p}
 * with the Gibbs family {@code k^(-s)} on the same ranks (the orbit restricted to the window); for the default
 * window {@code [1, d]} on a full-rank spectrum this is the orbit itself.
 * <ul>
 *   <li>{@code ls}: {@code shat = -2 * slope} of the least-squares line of {@code h_k} on {@code log k}
 *       ({@code log p_k = 2 h_k - log d}), centred two-pass sums;
 *   <li>{@code top}: solves {@code Phi(s) = r} in the equivalent form {@code log(H(d, s) - 1) = log T} with
 *       {@code T = 1/p_1 - 1} (Brent), which keeps full accuracy for steep spectra; ignores the window;
 *   <li>{@code mle}: solves {@code E_s[log(k/lo)] = sum_k q_k log(k/lo)} (log form, Brent): the KL projection;
 *   <li>{@code hellinger}: maximizes {@code BC(q, q(s))}; its derivative is {@code (mu(s) - m_a(s)) / 2} where
 *       {@code m_a} is the mean energy under {@code a_k ∝ sqrt(q_k) k^(-s/2)}; sign changes on a grid of 49 points
 *       {@code sMax (i/48)^2} are refined by Brent and the best local maximum (and the ends) wins.
 * </ul>
 * Estimates within {@code 1e-12} of a bound are set to the bound without a clamp flag (rounding, not clamping).
 */
public final class Charts {
  private static final int MAX_ITER = 200;
  private static final int GRID = 48;
  private static final double FLAG_SLACK = 1e-12;

  private Charts() {}

  /** Fits {@code chart} with {@link ChartOptions#DEFAULTS}. */
  public static ChartFit fit(Spectrum spectrum, Chart chart) {
    return fit(spectrum, chart, ChartOptions.DEFAULTS);
  }

  /**
   * Fits {@code chart} on {@code spectrum} with {@code options} and computes the residuals 5.5-5.7.
   *
   * @throws IllegalArgumentException if an argument is null or the window does not fit the spectrum
   */
  public static ChartFit fit(Spectrum spectrum, Chart chart, ChartOptions options) {
    if (spectrum == null) {
      throw new IllegalArgumentException("spectrum is null");
    }
    if (chart == null) {
      throw new IllegalArgumentException("chart is null");
    }
    if (options == null) {
      throw new IllegalArgumentException("chart options are null");
    }
    return fit(spectrum, Orbit.of(spectrum.dimension()), chart, options);
  }

  static ChartFit fit(Spectrum spectrum, Orbit orbit, Chart chart, ChartOptions options) {
    int[] w = options.window().resolve(spectrum);
    int lo = w[0];
    int hi = w[1];
    double sMax = options.sMax();
    Estimate est;
    if (spectrum.isDegenerate() || (chart != Chart.TOP && hi == lo)) {
      est = new Estimate(0, false, false, true, true);
    } else {
      switch (chart) {
        case TOP:
          est = top(spectrum, orbit, sMax);
          break;
        case MLE:
          est = mle(spectrum, lo, hi, sMax);
          break;
        case HELLINGER:
          est = hellinger(spectrum, lo, hi, sMax);
          break;
        default:
          est = ls(spectrum, lo, hi, sMax);
          break;
      }
    }
    return residuals(spectrum, orbit, chart, est, lo, hi);
  }

  private record Estimate(double s, boolean low, boolean high, boolean degenerate, boolean converged) {}

  private static Estimate clampRaw(double raw, double sMax, boolean converged) {
    if (raw < 0) {
      return new Estimate(0, raw < -FLAG_SLACK, false, false, converged);
    }
    if (raw > sMax) {
      return new Estimate(sMax, false, raw > sMax * (1 + FLAG_SLACK), false, converged);
    }
    return new Estimate(raw, false, false, false, converged);
  }

  private static Estimate ls(Spectrum spectrum, int lo, int hi, double sMax) {
    double[] h = spectrum.cartan();
    int n = hi - lo + 1;
    double mx = 0;
    double my = 0;
    for (int k = lo; k <= hi; k++) {
      mx += Math.log(k);
      my += h[k - 1];
    }
    mx /= n;
    my /= n;
    double sxx = 0;
    double sxy = 0;
    for (int k = lo; k <= hi; k++) {
      double dx = Math.log(k) - mx;
      sxx += dx * dx;
      sxy += dx * (h[k - 1] - my);
    }
    return clampRaw(-2 * sxy / sxx, sMax, true);
  }

  private static Estimate top(Spectrum spectrum, Orbit orbit, double sMax) {
    double t = spectrum.tailRatio();
    if (spectrum.isIsotropic()) {
      return new Estimate(0, false, false, false, true);
    }
    RankFamily f = orbit.family();
    double tMax = f.tail(sMax);
    if (t <= tMax) {
      return new Estimate(sMax, false, t < tMax * (1 - FLAG_SLACK), false, true);
    }
    double logT = Math.log(t);
    double f0 = Math.log(orbit.dimension() - 1.0) - logT;
    if (f0 <= 0) {
      return new Estimate(0, false, false, false, true);
    }
    Roots.Root root = Roots.brent(s -> Math.log(f.tail(s)) - logT, 0, sMax, f0, Math.log(tMax) - logT, 0, MAX_ITER);
    return new Estimate(root.x(), false, false, false, root.converged());
  }

  /** Window energies renormalized to sum 1. */
  private static double[] windowEnergies(Spectrum spectrum, int lo, int hi) {
    double[] q = new double[hi - lo + 1];
    double s = 0;
    for (int k = hi; k >= lo; k--) {
      q[k - lo] = spectrum.energy(k - 1);
      s += q[k - lo];
    }
    for (int i = 0; i < q.length; i++) {
      q[i] /= s;
    }
    return q;
  }

  private static Estimate mle(Spectrum spectrum, int lo, int hi, double sMax) {
    RankFamily f = new RankFamily(lo, hi);
    double[] q = windowEnergies(spectrum, lo, hi);
    double target = 0;
    for (int i = q.length - 1; i >= 1; i--) {
      target += q[i] * f.e[i];
    }
    double m0 = f.moments(0)[1];
    if (target >= m0) {
      return new Estimate(0, target > m0 * (1 + FLAG_SLACK), false, false, true);
    }
    double mMax = f.moments(sMax)[1];
    if (target <= mMax) {
      return new Estimate(sMax, false, target < mMax * (1 - FLAG_SLACK), false, true);
    }
    double logTarget = Math.log(target);
    Roots.Root root = Roots.brent(s -> Math.log(f.moments(s)[1]) - logTarget, 0, sMax, Math.log(m0) - logTarget,
        Math.log(mMax) - logTarget, 0, MAX_ITER);
    return new Estimate(root.x(), false, false, false, root.converged());
  }

  /** {@code {g(s), log BC(s)}} for the hellinger chart, {@code g = mu(s) - m_a(s)} (twice d log BC / ds). */
  private static double[] hellingerState(RankFamily f, double[] a, double s) {
    double z = 0;
    double mz = 0;
    double y = 0;
    double my = 0;
    for (int i = a.length - 1; i >= 0; i--) {
      double half = Math.exp(-0.5 * s * f.e[i]);
      double w = half * half;
      z += w;
      mz += w * f.e[i];
      double v = a[i] * half;
      y += v;
      my += v * f.e[i];
    }
    return new double[] {mz / z - my / y, Math.log(y) - 0.5 * Math.log(z)};
  }

  private static Estimate hellinger(Spectrum spectrum, int lo, int hi, double sMax) {
    RankFamily f = new RankFamily(lo, hi);
    double[] q = windowEnergies(spectrum, lo, hi);
    double[] a = new double[q.length];
    for (int i = 0; i < q.length; i++) {
      a[i] = Math.sqrt(q[i]);
    }
    double[] grid = new double[GRID + 1];
    double[] g = new double[GRID + 1];
    double[] bc = new double[GRID + 1];
    for (int i = 0; i <= GRID; i++) {
      double x = (double) i / GRID;
      grid[i] = sMax * x * x;
      double[] st = hellingerState(f, a, grid[i]);
      g[i] = st[0];
      bc[i] = st[1];
    }
    double m0 = f.moments(0)[1];
    // Start at the lower end: a local maximum there if BC decreases from s = 0.
    double best = 0;
    double bestLogBc = bc[0];
    boolean low = g[0] < -FLAG_SLACK * m0;
    boolean high = false;
    boolean converged = true;
    for (int i = 0; i < GRID; i++) {
      if (g[i] > 0 && g[i + 1] <= 0) {
        Roots.Root r = Roots.brent(s -> hellingerState(f, a, s)[0], grid[i], grid[i + 1], g[i], g[i + 1], 0,
            MAX_ITER);
        double lb = hellingerState(f, a, r.x())[1];
        if (lb > bestLogBc) {
          best = r.x();
          bestLogBc = lb;
          low = false;
          converged = r.converged();
        }
      }
    }
    if (g[GRID] > 0 && bc[GRID] > bestLogBc) {
      best = sMax;
      low = false;
      high = true;
      converged = true;
    }
    return new Estimate(best, low, high, false, converged);
  }

  private static ChartFit residuals(Spectrum spectrum, Orbit orbit, Chart chart, Estimate est, int lo, int hi) {
    double s = est.s();
    int d = spectrum.dimension();
    double rho = 0;
    double norm = 0;
    double max = 0;
    double e = 0;
    if (d > 1) {
      // rho = r - Phi(s) = (1/2)(log1p(H(d, s) - 1) - log1p(T)), both tails with full relative accuracy.
      rho = spectrum.isIsotropic() && s == 0 ? 0
          : 0.5 * (Math.log1p(orbit.family().tail(s)) - Math.log1p(spectrum.tailRatio()));
      double[] h = spectrum.cartan();
      int n = hi - lo + 1;
      double mh = 0;
      double mx = 0;
      for (int k = lo; k <= hi; k++) {
        mh += h[k - 1];
        mx += Math.log(k);
      }
      mh /= n;
      mx /= n;
      double ss = 0;
      for (int k = lo; k <= hi; k++) {
        double rk = (h[k - 1] - mh) + 0.5 * s * (Math.log(k) - mx);
        ss += rk * rk;
        max = Math.max(max, Math.abs(rk));
      }
      norm = Math.sqrt(ss);
      e = Math.sqrt(Distances.halfSquaredDifference(spectrum.sqrtEnergies(), orbit.sqrtEnergies(s)));
    }
    boolean esd = s > 0 && !est.degenerate();
    return new ChartFit(chart, s, est.low(), est.high(), est.degenerate(), est.converged(), lo, hi, 0.5 * s,
        esd ? 1 + 1 / s : 0, esd, rho, norm, max, e, Math.sqrt(2.0 * d) * e);
  }
}
