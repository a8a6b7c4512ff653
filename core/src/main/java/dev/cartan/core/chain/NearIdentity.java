package dev.cartan.core.chain;

import dev.cartan.core.Chart;
import dev.cartan.core.ChartOptions;
import dev.cartan.core.Charts;
import dev.cartan.core.Spectrum;
import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.eig.SymmetricEigen;
import dev.cartan.kernels.svd.Svd;

/**
 * The near-identity expansion of THEORY.md 8.13. For {@code A = I + D} with {@code D = eps B} small, let
 * {@code S = (D + D^T)/2} with eigenvalues {@code mu_1 >= ... >= mu_d}. Then {@code sigma_k(A) = 1 + mu_k + O(eps^2)}
 * and {@code ||A||_F^2 = d + 2 tr D + O(eps^2)}, so
 * {@code h_k(A) = mu_k - tr(D)/d + O(eps^2)}, {@code r = mu_1 - tr(S)/d + O(eps^2)} and the {@code ls} exponent over
 * the full window is {@code shat = -2 cov(log k, mu_k) / var(log k) + O(eps^2)} (since {@code log p_k = 2 h_k - log d}).
 * The predictions are linear in D, so the scale {@code eps} only normalizes the reported remainders; this class
 * uses {@code eps = ||A - I||_F / sqrt(d)} (the RMS singular value of D).
 */
public final class NearIdentity {
  private NearIdentity() {}

  /**
   * The expansion of one factor.
   *
   * @param name the factor's name
   * @param eps {@code ||A - I||_F / sqrt(d)}
   * @param predictedR first-order {@code r}
   * @param measuredR measured {@code r}
   * @param predictedS first-order {@code ls} exponent (may be below 0 only by rounding; not clamped)
   * @param measuredS measured {@code ls} exponent (clamped to {@code [0, sMax]} as the chart does)
   * @param hRemainder {@code max_k |h_k - h_k^pred| / eps^2}
   * @param rRemainder {@code |r - r^pred| / eps^2}
   * @param sRemainder {@code |shat - shat^pred| / eps^2}
   * @param eigenConverged the symmetric eigensolver converged
   */
  public record Expansion(String name, double eps, double predictedR, double measuredR, double predictedS,
      double measuredS, double hRemainder, double rRemainder, double sRemainder, boolean eigenConverged) {}

  /**
   * The expansion of the square factor {@code a} (8.13).
   *
   * @throws IllegalArgumentException if {@code a} is null, not square, smaller than 2 x 2, non-finite, equal to
   *     I (eps = 0: nothing to expand) or singular
   */
  public static Expansion expand(String name, DMatrix a) {
    if (a == null) {
      throw new IllegalArgumentException("factor " + name + " is null");
    }
    int d = a.rows();
    if (a.cols() != d || d < 2) {
      throw new IllegalArgumentException("factor " + name + " must be square with d >= 2, got " + a.rows() + "x"
          + a.cols());
    }
    a.requireFinite("factor " + name);
    DMatrix sym = DMatrix.zeros(d, d);
    double trace = 0;
    double ss = 0;
    for (int j = 0; j < d; j++) {
      for (int i = 0; i < d; i++) {
        double dij = a.get(i, j) - (i == j ? 1 : 0);
        double dji = a.get(j, i) - (i == j ? 1 : 0);
        sym.set(i, j, 0.5 * (dij + dji));
        ss += dij * dij;
      }
      trace += a.get(j, j) - 1;
    }
    double eps = Math.sqrt(ss / d);
    if (eps == 0) {
      throw new IllegalArgumentException("factor " + name + " is the identity: eps = 0, nothing to expand");
    }
    SymmetricEigen.Result eig = SymmetricEigen.decompose(sym);
    double[] mu = eig.values();
    double[] hPred = new double[d];
    for (int k = 0; k < d; k++) {
      hPred[k] = mu[k] - trace / d;
    }
    double sPred = -2 * slope(hPred);
    Spectrum sp = Spectrum.ofSingularValues(Svd.values(a));
    if (sp.isRankDeficient()) {
      throw new IllegalArgumentException("factor " + name + " is singular: no Cartan coordinate for every rank");
    }
    double[] h = sp.cartan();
    double hRem = 0;
    for (int k = 0; k < d; k++) {
      hRem = Math.max(hRem, Math.abs(h[k] - hPred[k]));
    }
    double r = sp.topRadial();
    double s = Charts.fit(sp, Chart.LS, ChartOptions.DEFAULTS).s();
    double e2 = eps * eps;
    return new Expansion(name, eps, hPred[0], r, sPred, s, hRem / e2, Math.abs(r - hPred[0]) / e2,
        Math.abs(s - sPred) / e2, eig.converged());
  }

  /** Least-squares slope of {@code y_k} against {@code log k}, {@code k = 1..n}: {@code cov(log k, y) / var(log k)}. */
  static double slope(double[] y) {
    int n = y.length;
    double mx = 0;
    double my = 0;
    for (int k = 0; k < n; k++) {
      mx += Math.log(k + 1);
      my += y[k];
    }
    mx /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    for (int k = 0; k < n; k++) {
      double x = Math.log(k + 1) - mx;
      sxy += x * (y[k] - my);
      sxx += x * x;
    }
    return sxy / sxx;
  }
}
