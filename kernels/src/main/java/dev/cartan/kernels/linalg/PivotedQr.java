package dev.cartan.kernels.linalg;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.DoubleKernels;
import dev.cartan.kernels.Gemm;

/**
 * Householder QR with column pivoting, {@code A P = Q R}, blocked (LAPACK dgeqp3 with dlaqps; Quintana-Ortí, Sun
 * and Bischof, "A BLAS-3 version of the QR factorization with column pivoting", SIAM J. Sci. Comput. 19(5), 1998).
 *
 * <p>Step i brings the remaining column of largest partial norm (its norm below row i) to position i, then
 * reflects it to {@code (r_ii, 0)}. The partial norms are downdated, {@code vn1_j := vn1_j sqrt(1 - (|r_ij| /
 * vn1_j)^2)}, and recomputed from the column when the downdate has cancelled too many digits: when
 * {@code (1 - (|r_ij| / vn1_j)^2) (vn1_j / vn2_j)^2 <= tol3z}, {@code vn2_j} being the norm at the last
 * recomputation (LAPACK's safeguard, Drmač and Bujanović, LAPACK Working Note 176).
 *
 * <p>Blocked form: within a block of up to {@code nb} steps the trailing columns are not updated; instead
 * {@code F = A^T V T} (dlaqps's F, built column by column with gemv) accumulates the update
 * {@code A := A - V F^T}, and only the pivot column and the pivot row are brought up to date at each step (the
 * row is what the norm downdate reads). At the end of the block the rest of the trailing matrix gets
 * {@code A := A - V F^T} in one GEMM. A norm that needs recomputing cannot be recomputed from a column that is
 * not up to date, so the block ends early at such a step and the norms are recomputed after the GEMM. The last
 * {@code nx} columns are factored unblocked (dlaqp2).
 *
 * <p>The pivots are those of the unblocked algorithm in exact arithmetic; R differs by rounding. A is given in
 * place: R on and above the diagonal, the reflectors below it ({@code v_i(i) = 1} implicit, scalars in tau) as
 * {@link HouseholderQr#factor} leaves them, so {@link HouseholderQr#applyQ} and {@link HouseholderQr#formQ} apply
 * or form Q.
 */
public final class PivotedQr {
  /** Steps per block (dgeqp3's nb); docs/design-notes.md, "Blocked pivoted QR". */
  public static final int DEFAULT_BLOCK = 32;

  /** Columns left to the unblocked code (dgeqp3's nx). */
  public static final int DEFAULT_CROSSOVER = 64;

  /** Recompute a downdated norm once its squared ratio has lost this much: LAPACK's tol3z, sqrt(2^-52). */
  private static final double TOL3Z = Math.sqrt(Math.ulp(1.0));

  private PivotedQr() {}

  /**
   * Factors the {@code m x n} matrix A (plain view) in place with the given primitives and blocking
   * ({@code nb <= 1}: unblocked). On return {@code perm[j]} is the original index of column j of {@code A P},
   * and {@code tau[0 .. min(m, n) - 1]} the reflectors' scalars.
   *
   * @throws IllegalArgumentException if an argument is null, A is a transposed view, an array is too short or
   *     {@code nx < 0}
   */
  public static void factor(DoubleKernels k, DMatrix a, double[] tau, int[] perm, int nb, int nx) {
    if (a == null) {
      throw new IllegalArgumentException("matrix A is null");
    }
    if (a.isTransposed()) {
      throw new IllegalArgumentException("matrix A is a transposed view; the QR works on contiguous columns");
    }
    int m = a.rows();
    int n = a.cols();
    int kr = Math.min(m, n);
    if (tau == null || tau.length < kr) {
      throw new IllegalArgumentException("tau needs " + kr + " elements");
    }
    if (perm == null || perm.length < n) {
      throw new IllegalArgumentException("perm needs " + n + " elements");
    }
    if (nx < 0) {
      throw new IllegalArgumentException("crossover nx must be >= 0, not " + nx);
    }
    double[] d = a.data();
    int base = a.offset();
    int lda = a.ld();
    double[] vn1 = new double[n];
    double[] vn2 = new double[n];
    for (int j = 0; j < n; j++) {
      vn1[j] = k.nrm2(m, d, base + j * lda);
      vn2[j] = vn1[j];
      perm[j] = j;
    }
    int j = 0;
    if (nb > 1 && nb < kr && nx < kr) {
      double[] f = new double[n * nb];
      double[] aux = new double[nb + n];
      int[] next = new int[n];
      while (j < kr - nx) {
        int jb = Math.min(nb, kr - nx - j);
        j += block(k, m, n - j, j, jb, d, base + j * lda, lda, tau, perm, vn1, vn2, f, aux, next);
      }
    }
    unblocked(k, m, n - j, j, d, base + j * lda, lda, tau, perm, vn1, vn2, new double[Math.max(n, 1)]);
  }

  /**
   * dlaqp2 on the {@code m x nn} block at {@code off} (columns j.. of A, all rows), whose rows above
   * {@code offset} are already R: steps {@code offset .. min(m, offset + nn) - 1}.
   */
  private static void unblocked(DoubleKernels k, int m, int nn, int offset, double[] a, int off, int lda,
      double[] tau, int[] perm, double[] vn1, double[] vn2, double[] work) {
    int steps = Math.min(m - offset, nn);
    for (int i = 0; i < steps; i++) {
      int rk = offset + i;
      pivot(m, nn, i, a, off, lda, perm, offset, vn1, vn2, null, 0, 0);
      int dd = off + rk + i * lda;
      tau[rk] = rk < m - 1 ? k.householder(m - rk, a, dd) : 0.0;
      if (i < nn - 1) {
        k.applyHouseholderLeft(m - rk, nn - i - 1, a, dd, tau[rk], a, dd + lda, lda, work);
      }
      for (int j = i + 1; j < nn; j++) {
        if (vn1[offset + j] != 0.0 && downdate(a[off + rk + j * lda], vn1, vn2, offset + j)) {
          vn1[offset + j] = rk < m - 1 ? k.nrm2(m - rk - 1, a, off + rk + 1 + j * lda) : 0.0;
          vn2[offset + j] = vn1[offset + j];
        }
      }
    }
  }

  /**
   * Downdates {@code vn1[j]} for the new R element {@code r}; returns true, leaving it alone, when it must be
   * recomputed instead.
   */
  private static boolean downdate(double r, double[] vn1, double[] vn2, int j) {
    double q = Math.abs(r) / vn1[j];
    double temp = Math.max(0.0, (1.0 + q) * (1.0 - q));
    double ratio = vn1[j] / vn2[j];
    if (temp * ratio * ratio <= TOL3Z) {
      return true;
    }
    vn1[j] *= Math.sqrt(temp);
    return false;
  }

  /**
   * Brings the column of largest {@code vn1} among local columns {@code i..nn-1} to local column i: swaps the
   * whole columns of A (all m rows), their rows of F ({@code i} columns of it, ld ldf; none when f is null), the
   * permutation and the norms.
   */
  private static void pivot(int m, int nn, int i, double[] a, int off, int lda, int[] perm, int g, double[] vn1,
      double[] vn2, double[] f, int ldf, int fCols) {
    int pvt = i;
    for (int j = i + 1; j < nn; j++) {
      if (vn1[g + j] > vn1[g + pvt]) {
        pvt = j;
      }
    }
    if (pvt == i) {
      return;
    }
    int x = off + pvt * lda;
    int y = off + i * lda;
    for (int r = 0; r < m; r++) {
      double t = a[x + r];
      a[x + r] = a[y + r];
      a[y + r] = t;
    }
    for (int c = 0; c < fCols; c++) {
      double t = f[pvt + c * ldf];
      f[pvt + c * ldf] = f[i + c * ldf];
      f[i + c * ldf] = t;
    }
    int t = perm[g + pvt];
    perm[g + pvt] = perm[g + i];
    perm[g + i] = t;
    vn1[g + pvt] = vn1[g + i];
    vn2[g + pvt] = vn2[g + i];
  }

  /**
   * dlaqps: up to {@code nb} steps on the {@code m x nn} block at {@code off} (global columns
   * {@code offset ..}), F being {@code nn x nb} (ld nn). Returns the number of steps taken.
   */
  private static int block(DoubleKernels k, int m, int nn, int offset, int nb, double[] a, int off, int lda,
      double[] tau, int[] perm, double[] vn1, double[] vn2, double[] f, double[] aux, int[] next) {
    int ldf = nn;
    int lastrk = Math.min(m, nn + offset);
    int recompute = -1; // head of the list of columns whose norm must be recomputed, linked through next
    int kk = 0;
    while (kk < nb && recompute < 0) {
      int rk = offset + kk;
      pivot(m, nn, kk, a, off, lda, perm, offset, vn1, vn2, f, ldf, kk);
      int colK = off + kk * lda;
      // Column kk up to date: A(rk:, kk) -= A(rk:, 0:kk) F(kk, 0:kk)^T.
      if (kk > 0) {
        for (int c = 0; c < kk; c++) {
          aux[c] = f[kk + c * ldf];
        }
        k.gemv(m - rk, kk, -1.0, a, off + rk, lda, aux, 0, 1.0, a, colK + rk);
      }
      double t = rk < m - 1 ? k.householder(m - rk, a, colK + rk) : 0.0;
      tau[rk] = t;
      double akk = a[colK + rk];
      a[colK + rk] = 1.0;
      // F(kk+1:, kk) = tau A(rk:, kk+1:)^T v; F(0:kk+1, kk) = 0.
      if (kk < nn - 1) {
        k.gemvTransposed(m - rk, nn - kk - 1, t, a, colK + lda + rk, lda, a, colK + rk, 0.0, f,
            kk + 1 + kk * ldf);
      }
      for (int r = 0; r <= kk; r++) {
        f[r + kk * ldf] = 0.0;
      }
      // F(:, kk) -= tau F(:, 0:kk) (A(rk:, 0:kk)^T v): the earlier reflectors' share of the update.
      if (kk > 0) {
        k.gemvTransposed(m - rk, kk, -t, a, off + rk, lda, a, colK + rk, 0.0, aux, 0);
        k.gemv(nn, kk, 1.0, f, 0, ldf, aux, 0, 1.0, f, kk * ldf);
      }
      // Row rk up to date: A(rk, kk+1:) -= A(rk, 0:kk+1) F(kk+1:, 0:kk+1)^T, through a copy of the row.
      if (kk < nn - 1) {
        int len = nn - kk - 1;
        for (int c = 0; c <= kk; c++) {
          aux[c] = a[off + rk + c * lda];
        }
        for (int c = 0; c < len; c++) {
          aux[nb + c] = a[colK + rk + (c + 1) * lda];
        }
        k.gemv(len, kk + 1, -1.0, f, kk + 1, ldf, aux, 0, 1.0, aux, nb);
        for (int c = 0; c < len; c++) {
          a[colK + rk + (c + 1) * lda] = aux[nb + c];
        }
      }
      // Norm downdates; a column that needs recomputing ends the block (its column is not up to date yet).
      if (rk < lastrk - 1) {
        for (int j = kk + 1; j < nn; j++) {
          if (vn1[offset + j] != 0.0 && downdate(a[off + rk + j * lda], vn1, vn2, offset + j)) {
            next[j] = recompute;
            recompute = j;
          }
        }
      }
      a[colK + rk] = akk;
      kk++;
    }
    int rk = offset + kk;
    // The rest of the trailing matrix: A(rk:, kk:) -= A(rk:, 0:kk) F(kk:, 0:kk)^T.
    if (kk < Math.min(nn, m - offset)) {
      DMatrix trailing = DMatrix.wrap(a, off + rk + kk * lda, m - rk, nn - kk, lda);
      DMatrix v = DMatrix.wrap(a, off + rk, m - rk, kk, lda);
      DMatrix ft = DMatrix.wrap(f, kk, nn - kk, kk, ldf).transpose();
      Gemm.gemm(-1.0, v, ft, 1.0, trailing);
    }
    while (recompute >= 0) {
      int j = recompute;
      vn1[offset + j] = rk < m ? k.nrm2(m - rk, a, off + rk + j * lda) : 0.0;
      vn2[offset + j] = vn1[offset + j];
      recompute = next[j];
    }
    return kk;
  }
}
