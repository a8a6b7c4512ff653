package dev.cartan.core;

/**
 * The Gibbs family {@code q_k(s) ∝ k^(-s)} on a rank window {@code k = lo..hi} (THEORY.md 4.1 restricted to a
 * window; the full orbit is {@code lo = 1, hi = d}). Energies are shifted to {@code e_k = log(k / lo) >= 0}, so
 * every weight {@code exp(-s e_k)} is at most 1 (no overflow at any s >= 0) and moments near {@code s = inf},
 * where the mass sits on {@code k = lo}, keep their relative accuracy.
 */
final class RankFamily {
  final int lo;
  final int hi;
  final double[] e;

  RankFamily(int lo, int hi) {
    this.lo = lo;
    this.hi = hi;
    this.e = new double[hi - lo + 1];
    for (int k = lo; k <= hi; k++) {
      e[k - lo] = Math.log((double) k / lo);
    }
  }

  int size() {
    return e.length;
  }

  /**
   * {@code {Z, mean, variance}} of the shifted energy under {@code q(s)}: {@code Z = sum exp(-s e_k)}, the mean
   * {@code E[e]} and the two-pass variance {@code E[(e - E e)^2]} (never {@code E[e^2] - E[e]^2}).
   */
  double[] moments(double s) {
    int n = e.length;
    double[] w = new double[n];
    double z = 0;
    double m = 0;
    // Weights decrease with k: summing from the end adds the smallest terms first.
    for (int i = n - 1; i >= 0; i--) {
      w[i] = Math.exp(-s * e[i]);
      z += w[i];
      m += w[i] * e[i];
    }
    m /= z;
    double v = 0;
    for (int i = n - 1; i >= 0; i--) {
      double dlt = e[i] - m;
      v += w[i] * dlt * dlt;
    }
    return new double[] {z, m, v / z};
  }

  /** {@code sum_{k > lo} exp(-s e_k) = Z - 1}, the part of Z beyond the first rank, smallest terms first. */
  double tail(double s) {
    double t = 0;
    for (int i = e.length - 1; i >= 1; i--) {
      t += Math.exp(-s * e[i]);
    }
    return t;
  }

  /** Mean shifted energy over ranks {@code > lo} under weights {@code exp(-s e_k)}: {@code -d log tail / ds}. */
  double tailMean(double s) {
    double t = 0;
    double m = 0;
    for (int i = e.length - 1; i >= 1; i--) {
      double w = Math.exp(-s * e[i]);
      t += w;
      m += w * e[i];
    }
    return m / t;
  }
}
