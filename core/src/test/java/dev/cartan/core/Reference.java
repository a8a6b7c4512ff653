package dev.cartan.core;

/**
 * Independent reference computations for the tests: direct sums with {@link Math#pow}, written without the
 * library's shifted energies, tail forms or summation order.
 */
final class Reference {
  private Reference() {}

  /** {@code p_k(s) = k^(-s) / sum_j j^(-s)} by direct powers, summed in increasing k. */
  static double[] orbit(int d, double s) {
    double[] p = new double[d];
    double h = 0;
    for (int k = 1; k <= d; k++) {
      p[k - 1] = Math.pow(k, -s);
      h += p[k - 1];
    }
    for (int k = 0; k < d; k++) {
      p[k] /= h;
    }
    return p;
  }

  static double mean(double[] p) {
    double m = 0;
    for (int k = 0; k < p.length; k++) {
      m += p[k] * Math.log(k + 1);
    }
    return m;
  }

  static double variance(double[] p) {
    double m = mean(p);
    double v = 0;
    for (int k = 0; k < p.length; k++) {
      double x = Math.log(k + 1) - m;
      v += p[k] * x * x;
    }
    return v;
  }

  /** {@code (1/2) sum (sqrt p - sqrt q)^2}. */
  static double hellinger2(double[] p, double[] q) {
    double s = 0;
    for (int k = 0; k < p.length; k++) {
      double x = Math.sqrt(p[k]) - Math.sqrt(q[k]);
      s += x * x;
    }
    return 0.5 * s;
  }

  static double bc(double[] p, double[] q) {
    double s = 0;
    for (int k = 0; k < p.length; k++) {
      s += Math.sqrt(p[k] * q[k]);
    }
    return s;
  }

  static double kl(double[] p, double[] q) {
    double s = 0;
    for (int k = 0; k < p.length; k++) {
      if (p[k] > 0) {
        s += p[k] * Math.log(p[k] / q[k]);
      }
    }
    return s;
  }

  /** Singular values of an exact orbit point, up to the scale c: {@code c k^(-s/2)}. */
  static double[] orbitSigma(int d, double s, double c) {
    double[] sigma = new double[d];
    for (int k = 1; k <= d; k++) {
      sigma[k - 1] = c * Math.pow(k, -0.5 * s);
    }
    return sigma;
  }
}
