package dev.cartan.kernels.linalg;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.Gemm;
import dev.cartan.kernels.Kernels;

/**
 * Cholesky factorization {@code A = L L^T} of a symmetric matrix held in its lower triangle, used as an inertia
 * test: it runs to completion with positive pivots iff A is positive definite (in exact arithmetic; the rounding
 * error of a completed factorization is bounded in {@link #backwardErrorBound}).
 *
 * <p>Algorithm: recursive, right-looking on column halves (Gustavson, "Recursion leads to automatic variable
 * blocking for dense linear-algebra algorithms", IBM J. Res. Dev. 41(6), 1997; Toledo, SIAM J. Matrix Anal. Appl.
 * 18(4), 1997, for LU). The tall panel of columns {@code [j0, j0 + w)} (rows {@code j0..n-1}) is factored by
 * factoring its left half, updating its right half with one {@link Gemm} call (the square top part through
 * {@link #syrkLower}, lower triangle only) and factoring the right half; panels of at most {@link #BASE} columns
 * are factored left-looking, one column at a time, with {@link Kernels#gemv}. So all but {@code O(n^2 BASE)} of the
 * {@code n^3 / 3} flops run in the packed GEMM. A non-positive or non-finite pivot stops the factorization and is
 * reported by its column; the trailing part is then left partly updated.
 *
 * <p>Only the lower triangle is read. The strict upper triangle is workspace: blocks on the diagonal of the
 * {@link #syrkLower} updates write it (computing whole square tiles is cheaper than skipping half of each).
 */
public final class Cholesky {
  /** Panel width below which columns are factored one by one (level 2); 16 keeps that part under 2% at n = 1024. */
  static final int BASE = 16;
  /** Column block of {@link #syrkLower}: wide enough for the GEMM to run near its peak (mc = 192, kc = 256). */
  static final int SYRK_BLOCK = 128;

  private Cholesky() {}

  /**
   * Factors the lower triangle of {@code a} in place, {@code A = L L^T} with L lower triangular and a positive
   * diagonal, stopping at the first pivot that is not positive and finite.
   *
   * @param a a square, non-transposed matrix (a view is fine); overwritten: its lower triangle by L (up to the
   *     failing column), its strict upper triangle by workspace values
   * @return -1 if every pivot was positive and finite (A is numerically positive definite), otherwise the index of
   *     the first column whose pivot was not
   * @throws IllegalArgumentException if {@code a} is null, not square or a transposed view
   */
  public static int factorLower(DMatrix a) {
    if (a == null) {
      throw new IllegalArgumentException("matrix a is null");
    }
    if (a.rows() != a.cols()) {
      throw new IllegalArgumentException("matrix a is " + a.rows() + "x" + a.cols() + ", not square");
    }
    if (a.isTransposed()) {
      throw new IllegalArgumentException("matrix a must not be a transposed view (copy it first)");
    }
    int n = a.rows();
    return panel(a, 0, n, new double[Math.max(1, BASE)]);
  }

  /**
   * {@code C := alpha A A^T + beta C} on the lower triangle of the square C ({@code n x n}, A {@code n x k}), in
   * column blocks of {@link #SYRK_BLOCK} through {@link Gemm}; the strict upper triangle of each diagonal block is
   * written too (workspace), the rest of the upper triangle is not touched.
   *
   * @throws IllegalArgumentException if an argument is null, C is not square or A has another number of rows
   */
  public static void syrkLower(double alpha, DMatrix a, double beta, DMatrix c) {
    if (a == null || c == null) {
      throw new IllegalArgumentException("matrices a and c must not be null");
    }
    int n = c.rows();
    if (c.cols() != n || a.rows() != n) {
      throw new IllegalArgumentException("syrkLower needs a square C with as many rows as A: A is " + a.rows() + "x"
          + a.cols() + ", C is " + c.rows() + "x" + c.cols());
    }
    int k = a.cols();
    for (int j = 0; j < n; j += SYRK_BLOCK) {
      int w = Math.min(SYRK_BLOCK, n - j);
      Gemm.gemm(alpha, a.view(j, 0, n - j, k), a.view(j, 0, w, k).transpose(), beta, c.view(j, j, n - j, w));
    }
  }

  /**
   * A bound on the rounding error of a completed factorization: if {@link #factorLower} returned -1 on the stored
   * symmetric A of order n, then {@code lambda_min(A) >= -backwardErrorBound(n, trace(A))}.
   *
   * <p>Proof (Higham, <i>Accuracy and Stability of Numerical Algorithms</i>, 2nd ed., Theorem 10.3, which holds for
   * any order of evaluation of the inner products, so for this blocked one too): the computed L satisfies
   * {@code L L^T = A + E}, {@code |E| <= gamma_{n+1} |L| |L|^T}. Then {@code ||E||_2 <= gamma_{n+1} || |L| ||_F^2
   * = gamma_{n+1} trace(L L^T) = gamma_{n+1} (trace(A) + trace(E))}, and {@code trace(E) <= gamma_{n+1} trace(L
   * L^T)} gives {@code ||E||_2 <= gamma_{n+1} / (1 - gamma_{n+1}) trace(A)}. Since {@code A + E = L L^T} is
   * positive semidefinite, {@code lambda_min(A) >= -||E||_2}. The returned value rounds that up by 1%.
   *
   * @throws IllegalArgumentException if {@code n < 0} or the trace is negative or not finite
   */
  public static double backwardErrorBound(int n, double trace) {
    if (n < 0 || !(trace >= 0) || trace == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("backwardErrorBound needs n >= 0 and a finite trace >= 0, got n = " + n
          + ", trace = " + trace);
    }
    double nu = (n + 1.0) * 0x1p-53; // < 2.4e-7 for any int n, so gamma is well defined

    double gamma = nu / (1 - nu);
    return 1.01 * gamma / (1 - gamma) * trace;
  }

  /** Factors the tall panel of columns {@code [j0, j0 + w)}, rows {@code j0..n-1}; returns -1 or the bad column. */
  private static int panel(DMatrix a, int j0, int w, double[] row) {
    int n = a.rows();
    if (w <= BASE) {
      return base(a, j0, w, row);
    }
    int h = w / 2;
    int bad = panel(a, j0, h, row);
    if (bad >= 0) {
      return bad;
    }
    int j1 = j0 + h;
    int w2 = w - h;
    DMatrix left = a.view(j1, j0, n - j1, h);
    // Right half -= L_left L_left(top)^T: the square top through the lower-only update, the rows below as a GEMM.
    syrkLower(-1, left.view(0, 0, w2, h), 1, a.view(j1, j1, w2, w2));
    if (n - j1 > w2) {
      Gemm.gemm(-1, left.view(w2, 0, n - j1 - w2, h), left.view(0, 0, w2, h).transpose(), 1,
          a.view(j1 + w2, j1, n - j1 - w2, w2));
    }
    return panel(a, j1, w2, row);
  }

  /** Left-looking factorization of at most {@link #BASE} columns {@code [j0, j0 + w)} of rows {@code j0..n-1}. */
  private static int base(DMatrix a, int j0, int w, double[] row) {
    int n = a.rows();
    double[] d = a.data();
    int ld = a.ld();
    for (int j = j0; j < j0 + w; j++) {
      int jj = a.index(j, j);
      if (j > j0) {
        // Column j (from the diagonal down) -= L[j.., j0..j) L[j, j0..j)^T; the row is copied to be contiguous.
        for (int t = 0; t < j - j0; t++) {
          row[t] = d[a.index(j, j0 + t)];
        }
        Kernels.gemv(n - j, j - j0, -1, d, a.index(j, j0), ld, row, 0, 1, d, jj);
      }
      double p = d[jj];
      if (!(p > 0) || p == Double.POSITIVE_INFINITY) {
        return j;
      }
      double r = Math.sqrt(p);
      d[jj] = r;
      if (j + 1 < n) {
        Kernels.scal(n - j - 1, 1 / r, d, jj + 1);
      }
    }
    return -1;
  }
}
