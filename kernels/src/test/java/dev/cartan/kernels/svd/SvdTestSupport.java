package dev.cartan.kernels.svd;

import dev.cartan.kernels.DMatrix;
import java.util.Random;

/** Test-only linear algebra written independently of the code under test (plain loops, no provider). */
final class SvdTestSupport {
  static final double EPS = 0x1p-53;

  private SvdTestSupport() {}

  /** A Gaussian {@code m x n} matrix. */
  static DMatrix gaussian(Random rnd, int m, int n) {
    DMatrix a = DMatrix.zeros(m, n);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        a.set(i, j, rnd.nextGaussian());
      }
    }
    return a;
  }

  /** An {@code m x n} matrix with orthonormal columns (m >= n): modified Gram-Schmidt twice on a Gaussian. */
  static DMatrix orthonormal(Random rnd, int m, int n) {
    DMatrix q = gaussian(rnd, m, n);
    for (int j = 0; j < n; j++) {
      for (int pass = 0; pass < 2; pass++) {
        for (int p = 0; p < j; p++) {
          double d = 0;
          for (int i = 0; i < m; i++) {
            d += q.get(i, p) * q.get(i, j);
          }
          for (int i = 0; i < m; i++) {
            q.set(i, j, q.get(i, j) - d * q.get(i, p));
          }
        }
      }
      double s = 0;
      for (int i = 0; i < m; i++) {
        s += q.get(i, j) * q.get(i, j);
      }
      s = Math.sqrt(s);
      for (int i = 0; i < m; i++) {
        q.set(i, j, q.get(i, j) / s);
      }
    }
    return q;
  }

  /** {@code U diag(s) V^T} with random orthonormal U ({@code m x k}) and V ({@code n x k}). */
  static DMatrix withValues(Random rnd, int m, int n, double[] s) {
    int k = s.length;
    DMatrix u = orthonormal(rnd, m, k);
    DMatrix v = orthonormal(rnd, n, k);
    DMatrix a = DMatrix.zeros(m, n);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        double t = 0;
        for (int l = 0; l < k; l++) {
          t += u.get(i, l) * s[l] * v.get(j, l);
        }
        a.set(i, j, t);
      }
    }
    return a;
  }

  /** {@code ||Q^T Q - I||_F} computed with plain loops. */
  static double orthogonalityError(DMatrix q) {
    double s = 0;
    for (int a = 0; a < q.cols(); a++) {
      for (int b = 0; b < q.cols(); b++) {
        double d = 0;
        for (int i = 0; i < q.rows(); i++) {
          d += q.get(i, a) * q.get(i, b);
        }
        double e = d - (a == b ? 1.0 : 0.0);
        s += e * e;
      }
    }
    return Math.sqrt(s);
  }

  /**
   * {@code ||A - U diag(s) V^T||_F / ||A||_F} (0/0 = 0), evaluated on A and s scaled by the same power of two so
   * that matrices near the ends of the float64 range do not lose the residual to underflow.
   */
  static double reconstructionError(DMatrix a, double[] s, DMatrix u, DMatrix v) {
    double max = 0;
    for (int j = 0; j < a.cols(); j++) {
      for (int i = 0; i < a.rows(); i++) {
        max = Math.max(max, Math.abs(a.get(i, j)));
      }
    }
    if (max == 0) {
      for (double x : s) {
        if (x != 0) {
          return Double.POSITIVE_INFINITY;
        }
      }
      return 0;
    }
    int e = -Math.getExponent(max);
    double num = 0;
    double den = 0;
    for (int j = 0; j < a.cols(); j++) {
      for (int i = 0; i < a.rows(); i++) {
        double t = 0;
        for (int l = 0; l < s.length; l++) {
          t += u.get(i, l) * Math.scalb(s[l], e) * v.get(j, l);
        }
        double x = Math.scalb(a.get(i, j), e);
        num += (x - t) * (x - t);
        den += x * x;
      }
    }
    return Math.sqrt(num / den);
  }
}
