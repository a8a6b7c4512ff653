package dev.cartan.core.chain;

import dev.cartan.kernels.DMatrix;

/**
 * LU factorization with partial pivoting {@code P A = L U} of a square matrix (Golub and Van Loan, <i>Matrix
 * Computations</i>, 4th ed., algorithm 3.4.1, the column-oriented "gaxpy" form), used to solve for chain
 * interfaces {@code T = X' X^{-1}} without forming an inverse (THEORY.md 8.2). Column-major, the pivot search and
 * the rank-1 updates run down contiguous columns.
 *
 * <p>Domain: a square matrix with finite entries. A pivot that is exactly zero, or below {@code n eps} times the
 * largest entry, marks the matrix singular to working precision ({@link #singular()}); solving with a singular
 * factorization is refused.
 */
final class Lu {
  private final int n;
  private final double[] lu;
  private final int[] perm;
  private final boolean singular;

  private Lu(int n, double[] lu, int[] perm, boolean singular) {
    this.n = n;
    this.lu = lu;
    this.perm = perm;
    this.singular = singular;
  }

  /** Factors {@code a} (not modified). */
  static Lu factor(DMatrix a) {
    int n = a.rows();
    if (a.cols() != n) {
      throw new IllegalArgumentException("LU needs a square matrix, got " + a.rows() + "x" + a.cols());
    }
    double[] m = new double[n * n];
    double max = 0;
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        double v = a.get(i, j);
        m[i + j * n] = v;
        max = Math.max(max, Math.abs(v));
      }
    }
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    double tiny = n * Math.ulp(1.0) * max;
    boolean singular = max == 0;
    for (int k = 0; k < n && !singular; k++) {
      int p = k;
      double best = Math.abs(m[k + k * n]);
      for (int i = k + 1; i < n; i++) {
        double v = Math.abs(m[i + k * n]);
        if (v > best) {
          best = v;
          p = i;
        }
      }
      if (best <= tiny) {
        singular = true;
        break;
      }
      if (p != k) {
        for (int j = 0; j < n; j++) {
          double t = m[k + j * n];
          m[k + j * n] = m[p + j * n];
          m[p + j * n] = t;
        }
        int t = perm[k];
        perm[k] = perm[p];
        perm[p] = t;
      }
      double inv = 1.0 / m[k + k * n];
      for (int i = k + 1; i < n; i++) {
        m[i + k * n] *= inv;
      }
      for (int j = k + 1; j < n; j++) {
        double f = m[k + j * n];
        if (f != 0) {
          int cj = j * n;
          int ck = k * n;
          for (int i = k + 1; i < n; i++) {
            m[i + cj] -= f * m[i + ck];
          }
        }
      }
    }
    return new Lu(n, m, perm, singular);
  }

  /** True if a pivot fell below {@code n eps max|a_ij|}. */
  boolean singular() {
    return singular;
  }

  /** Solves {@code A X = B} for every column of {@code b}; returns a new n x k matrix. */
  DMatrix solve(DMatrix b) {
    if (singular) {
      throw new IllegalStateException("cannot solve with a singular LU factorization");
    }
    if (b.rows() != n) {
      throw new IllegalArgumentException("right-hand side has " + b.rows() + " rows, expected " + n);
    }
    int k = b.cols();
    double[] x = new double[n * k];
    for (int c = 0; c < k; c++) {
      int o = c * n;
      for (int i = 0; i < n; i++) {
        x[o + i] = b.get(perm[i], c);
      }
      for (int j = 0; j < n; j++) {
        double v = x[o + j];
        if (v != 0) {
          for (int i = j + 1; i < n; i++) {
            x[o + i] -= v * lu[i + j * n];
          }
        }
      }
      for (int j = n - 1; j >= 0; j--) {
        x[o + j] /= lu[j + j * n];
        double v = x[o + j];
        if (v != 0) {
          for (int i = 0; i < j; i++) {
            x[o + i] -= v * lu[i + j * n];
          }
        }
      }
    }
    return DMatrix.wrap(x, n, k);
  }

  /**
   * {@code X' X^{-1}} for square {@code x}, {@code xNext}: solves {@code X^T Y = X'^T} and returns {@code Y^T}.
   *
   * @throws IllegalArgumentException naming {@code name} if X is singular to working precision
   */
  static DMatrix rightDivide(DMatrix xNext, DMatrix x, String name) {
    Lu f = factor(x.transpose());
    if (f.singular()) {
      throw new IllegalArgumentException(name + " is singular to working precision (an LU pivot vanished)");
    }
    return f.solve(xNext.transpose()).transpose().copy();
  }
}
