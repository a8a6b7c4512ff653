package dev.cartan.core;

import java.util.function.DoubleUnaryOperator;

/**
 * Brent's root finder (R. P. Brent, <i>Algorithms for Minimization without Derivatives</i>, 1973, chapter 4,
 * procedure zero): inverse quadratic interpolation safeguarded by bisection, on a bracket with a sign change.
 */
final class Roots {
  private static final double EPS = Math.ulp(1.0);

  private Roots() {}

  /** A root and whether it met the tolerance within the iteration cap. */
  record Root(double x, int iterations, boolean converged) {}

  /**
   * A zero of {@code f} in {@code [a, b]} given {@code fa = f(a)}, {@code fb = f(b)} with
   * {@code fa * fb <= 0}; tolerance {@code 2 eps |x| + xtol}.
   */
  static Root brent(DoubleUnaryOperator f, double a, double b, double fa, double fb, double xtol, int maxIter) {
    if (fa == 0) {
      return new Root(a, 0, true);
    }
    if (fb == 0) {
      return new Root(b, 0, true);
    }
    if (Math.signum(fa) == Math.signum(fb)) {
      throw new IllegalArgumentException("no sign change on [" + a + ", " + b + "]: f = " + fa + ", " + fb);
    }
    double c = a;
    double fc = fa;
    double d = b - a;
    double e = d;
    for (int it = 1; it <= maxIter; it++) {
      if (Math.signum(fb) == Math.signum(fc)) {
        c = a;
        fc = fa;
        d = b - a;
        e = d;
      }
      if (Math.abs(fc) < Math.abs(fb)) {
        a = b;
        b = c;
        c = a;
        fa = fb;
        fb = fc;
        fc = fa;
      }
      double tol = 2 * EPS * Math.abs(b) + 0.5 * xtol;
      double m = 0.5 * (c - b);
      if (Math.abs(m) <= tol || fb == 0) {
        return new Root(b, it, true);
      }
      if (Math.abs(e) < tol || Math.abs(fa) <= Math.abs(fb)) {
        d = m;
        e = m;
      } else {
        double s = fb / fa;
        double p;
        double q;
        if (a == c) {
          p = 2 * m * s;
          q = 1 - s;
        } else {
          double qq = fa / fc;
          double r = fb / fc;
          p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
          q = (qq - 1) * (r - 1) * (s - 1);
        }
        if (p > 0) {
          q = -q;
        } else {
          p = -p;
        }
        if (2 * p < 3 * m * q - Math.abs(tol * q) && p < Math.abs(0.5 * e * q)) {
          e = d;
          d = p / q;
        } else {
          d = m;
          e = m;
        }
      }
      a = b;
      fa = fb;
      b += Math.abs(d) > tol ? d : (m > 0 ? tol : -tol);
      fb = f.applyAsDouble(b);
    }
    return new Root(b, maxIter, false);
  }
}
