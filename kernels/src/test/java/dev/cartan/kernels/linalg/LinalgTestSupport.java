package dev.cartan.kernels.linalg;

import dev.cartan.kernels.DMatrix;
import java.util.Random;

/** Inputs with known spectra for the linalg tests, built with plain loops (independent of the code under test). */
final class LinalgTestSupport {
  static final double U = 0x1p-53;

  private LinalgTestSupport() {}

  /** A random orthogonal matrix: the product of n Householder reflections {@code I - 2 v v^T / v^T v}. */
  static DMatrix orthogonal(int n, Random rnd) {
    DMatrix q = DMatrix.identity(n);
    double[] v = new double[n];
    for (int r = 0; r < n; r++) {
      double vv = 0;
      for (int i = 0; i < n; i++) {
        v[i] = rnd.nextGaussian();
        vv += v[i] * v[i];
      }
      for (int j = 0; j < n; j++) { // q := (I - 2 v v^T / vv) q, column by column
        double d = 0;
        for (int i = 0; i < n; i++) {
          d += v[i] * q.get(i, j);
        }
        double f = 2 * d / vv;
        for (int i = 0; i < n; i++) {
          q.set(i, j, q.get(i, j) - f * v[i]);
        }
      }
    }
    return q;
  }

  /** {@code Q diag(s) P^T}, a matrix with singular values |s| (up to rounding of the products). */
  static DMatrix withSingularValues(double[] s, Random rnd) {
    int n = s.length;
    return scaledProduct(orthogonal(n, rnd), s, orthogonal(n, rnd));
  }

  /** {@code Q diag(s) P^T} by a triple loop. */
  static DMatrix scaledProduct(DMatrix q, double[] s, DMatrix p) {
    int n = s.length;
    DMatrix t = DMatrix.zeros(n, n);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        double x = 0;
        for (int k = 0; k < n; k++) {
          x += q.get(i, k) * s[k] * p.get(j, k);
        }
        t.set(i, j, x);
      }
    }
    return t;
  }

  /** A Gaussian n x n matrix. */
  static DMatrix gaussian(int n, Random rnd) {
    DMatrix t = DMatrix.zeros(n, n);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        t.set(i, j, rnd.nextGaussian());
      }
    }
    return t;
  }

  /** {@code C = A A^T} by a triple loop (full, symmetric). */
  static DMatrix aat(DMatrix a) {
    int n = a.rows();
    DMatrix c = DMatrix.zeros(n, n);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        double x = 0;
        for (int k = 0; k < a.cols(); k++) {
          x += a.get(i, k) * a.get(j, k);
        }
        c.set(i, j, x);
      }
    }
    return c;
  }
}
