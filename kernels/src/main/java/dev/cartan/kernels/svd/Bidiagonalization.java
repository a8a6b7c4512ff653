package dev.cartan.kernels.svd;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.DoubleKernels;
import dev.cartan.kernels.Gemm;
import dev.cartan.kernels.linalg.BlockReflectors;
import dev.cartan.kernels.linalg.HouseholderQr;

/**
 * Householder reduction of an {@code m x n} matrix with {@code m >= n} to upper bidiagonal form,
 * {@code A = Q B P^T}, and the back-transformations that apply {@code Q} and {@code P}.
 *
 * <p>{@code Q = H_0 H_1 ... H_{n-1}} and {@code P = G_0 G_1 ... G_{n-2}} are products of reflectors
 * {@code H_i = I - tauq_i v_i v_i^T}, {@code G_i = I - taup_i u_i u_i^T}. As in LAPACK dgebrd, {@code v_i} is stored
 * below the diagonal of column i ({@code v_i(i) = 1} implicit) and {@code u_i} to the right of the superdiagonal
 * of row i ({@code u_i(i+1) = 1} implicit). B has diagonal {@code d} and superdiagonal {@code e}.
 *
 * <p>Blocked form (Golub and Van Loan, <i>Matrix Computations</i>, 4th ed., section 5.4.8; LAPACK dlabrd/dgebrd):
 * a panel of {@code nb} columns and rows is reduced with level-2 operations while two tall matrices {@code X},
 * {@code Y} accumulate the deferred update, then the trailing matrix gets
 * {@code A := A - V Y^T - X U^T}, two GEMMs holding half the flops. The last {@code nx} columns are reduced
 * unblocked (dgebd2). Level-2 parts use the provider's primitives (gemv, gemvTransposed, householder,
 * applyHouseholderLeft/Right) so the SIMD provider accelerates them.
 *
 * <p>Package-private: arguments are validated by {@link BidiagonalSvd}.
 */
final class Bidiagonalization {
  private Bidiagonalization() {}

  /**
   * Reduces the {@code m x n} block (column-major, leading dimension lda, m >= n >= 1) in place.
   *
   * @param nb panel width; {@code nb <= 0} or {@code n <= nx} reduces unblocked
   * @param nx crossover: once fewer than {@code nx} columns remain, the rest is reduced unblocked
   * @param x workspace of at least {@code m * nb} doubles
   * @param y workspace of at least {@code n * nb} doubles
   * @param buf workspace of at least {@code max(m, n) + 2 * nb + 2} doubles
   */
  static void reduce(DoubleKernels k, int m, int n, double[] a, int lda, double[] d, double[] e, double[] tauq,
      double[] taup, int nb, int nx, double[] x, double[] y, double[] buf) {
    reduce(k, m, n, a, lda, d, e, tauq, taup, nb, nx, x, y, buf, 1);
  }

  /**
   * {@link #reduce(DoubleKernels, int, int, double[], int, double[], double[], double[], double[], int, int,
   * double[], double[], double[])} with the trailing updates' GEMMs on up to {@code threads} threads (the panels,
   * half the flops as matrix-vector products, on the calling thread); the result does not depend on it.
   */
  static void reduce(DoubleKernels k, int m, int n, double[] a, int lda, double[] d, double[] e, double[] tauq,
      double[] taup, int nb, int nx, double[] x, double[] y, double[] buf, int threads) {
    int p = 0;
    if (nb > 0) {
      while (n - p > Math.max(nx, nb)) {
        panel(k, m - p, n - p, a, p + p * lda, lda, p, d, e, tauq, taup, nb, x, y, buf);
        int mm = m - p;
        int nn = n - p;
        // Trailing update A22 -= V2 Y2^T + X2 U2^T: the level-3 half of the reduction.
        DMatrix a22 = DMatrix.wrap(a, p + nb + (p + nb) * lda, mm - nb, nn - nb, lda);
        DMatrix v2 = DMatrix.wrap(a, p + nb + p * lda, mm - nb, nb, lda);
        DMatrix y2 = DMatrix.wrap(y, nb, nn - nb, nb, nn);
        DMatrix x2 = DMatrix.wrap(x, nb, mm - nb, nb, mm);
        DMatrix u2 = DMatrix.wrap(a, p + (p + nb) * lda, nb, nn - nb, lda);
        Gemm.gemm(-1.0, v2, y2.transpose(), 1.0, a22, threads);
        Gemm.gemm(-1.0, x2, u2, 1.0, a22, threads);
        p += nb;
      }
    }
    unblocked(k, m - p, n - p, a, p + p * lda, lda, p, d, e, tauq, taup, buf);
  }

  /** dgebd2 on the local block at {@code base}; results go to global index {@code g + i}. */
  private static void unblocked(DoubleKernels k, int mm, int nn, double[] a, int base, int lda, int g,
      double[] d, double[] e, double[] tauq, double[] taup, double[] buf) {
    int rowOff = Math.max(mm, nn) + 1;
    for (int i = 0; i < nn; i++) {
      int col = base + i * lda;
      double tq = k.householder(mm - i, a, col + i);
      tauq[g + i] = tq;
      d[g + i] = a[col + i];
      if (i < nn - 1) {
        k.applyHouseholderLeft(mm - i, nn - i - 1, a, col + i, tq, a, col + i + lda, lda, buf);
        int len = nn - i - 1;
        readRow(a, col + i + lda, lda, len, buf, rowOff);
        double tp = k.householder(len, buf, rowOff);
        taup[g + i] = tp;
        e[g + i] = buf[rowOff];
        writeRow(buf, rowOff, len, a, col + i + lda, lda);
        k.applyHouseholderRight(mm - i - 1, len, buf, rowOff, tp, a, col + i + 1 + lda, lda, buf);
      } else {
        taup[g + i] = 0.0;
      }
    }
  }

  /**
   * dlabrd: reduces the first nb rows and columns of the local {@code mm x nn} block at {@code base}, leaving
   * the reflectors in place (with explicit unit leading elements) and the update matrices in x ({@code mm x nb},
   * ld mm) and y ({@code nn x nb}, ld nn).
   */
  private static void panel(DoubleKernels k, int mm, int nn, double[] a, int base, int lda, int g, double[] d,
      double[] e, double[] tauq, double[] taup, int nb, double[] x, double[] y, double[] buf) {
    int ldx = mm;
    int ldy = nn;
    // buf layout: [0, nb] small row copies, [nb + 1, ...) the current row of A.
    int t1 = 0;
    int row = nb + 1;
    for (int i = 0; i < nb; i++) {
      int colI = base + i * lda;
      if (i > 0) {
        // A(i:, i) -= A(i:, 0:i) Y(i, 0:i)^T + X(i:, 0:i) A(0:i, i)
        for (int j = 0; j < i; j++) {
          buf[t1 + j] = y[i + j * ldy];
        }
        k.gemv(mm - i, i, -1.0, a, base + i, lda, buf, t1, 1.0, a, colI + i);
        k.gemv(mm - i, i, -1.0, x, i, ldx, a, colI, 1.0, a, colI + i);
      }
      double tq = k.householder(mm - i, a, colI + i);
      tauq[g + i] = tq;
      d[g + i] = a[colI + i];
      a[colI + i] = 1.0;
      int len = nn - i - 1;
      if (len <= 0) {
        taup[g + i] = 0.0;
        continue;
      }
      int yi = i + 1 + i * ldy;
      int aRight = base + i + (i + 1) * lda; // A(i, i+1)
      int aTop = base + (i + 1) * lda; // A(0, i+1)
      // Y(i+1:, i) = tauq (A(i:, i+1:)^T v - Y(i+1:, 0:i) V(i:, 0:i)^T v - U(0:i, i+1:)^T X(i:, 0:i)^T v)
      k.gemvTransposed(mm - i, len, 1.0, a, aRight, lda, a, colI + i, 0.0, y, yi);
      if (i > 0) {
        k.gemvTransposed(mm - i, i, 1.0, a, base + i, lda, a, colI + i, 0.0, y, i * ldy);
        k.gemv(len, i, -1.0, y, i + 1, ldy, y, i * ldy, 1.0, y, yi);
        k.gemvTransposed(mm - i, i, 1.0, x, i, ldx, a, colI + i, 0.0, y, i * ldy);
        k.gemvTransposed(i, len, -1.0, a, aTop, lda, y, i * ldy, 1.0, y, yi);
      }
      k.scal(len, tq, y, yi);

      // Row i: A(i, i+1:) -= Y(i+1:, 0:i+1) A(i, 0:i+1)^T + U(0:i, i+1:)^T X(i, 0:i)^T, worked on as a copy.
      readRow(a, aRight, lda, len, buf, row);
      for (int j = 0; j <= i; j++) {
        buf[t1 + j] = a[base + i + j * lda];
      }
      k.gemv(len, i + 1, -1.0, y, i + 1, ldy, buf, t1, 1.0, buf, row);
      if (i > 0) {
        for (int j = 0; j < i; j++) {
          buf[t1 + j] = x[i + j * ldx];
        }
        k.gemvTransposed(i, len, -1.0, a, aTop, lda, buf, t1, 1.0, buf, row);
      }
      double tp = k.householder(len, buf, row);
      taup[g + i] = tp;
      e[g + i] = buf[row];
      buf[row] = 1.0;
      writeRow(buf, row, len, a, aRight, lda);

      // X(i+1:, i) = taup (A(i+1:, i+1:) u - V(i+1:, 0:i+1) Y(i+1:, 0:i+1)^T u - X(i+1:, 0:i) U(0:i, i+1:) u)
      int xi = i + 1 + i * ldx;
      int xTmp = i * ldx;
      k.gemv(mm - i - 1, len, 1.0, a, aRight + 1, lda, buf, row, 0.0, x, xi);
      k.gemvTransposed(len, i + 1, 1.0, y, i + 1, ldy, buf, row, 0.0, x, xTmp);
      k.gemv(mm - i - 1, i + 1, -1.0, a, base + i + 1, lda, x, xTmp, 1.0, x, xi);
      if (i > 0) {
        k.gemv(i, len, 1.0, a, aTop, lda, buf, row, 0.0, x, xTmp);
        k.gemv(mm - i - 1, i, -1.0, x, i + 1, ldx, x, xTmp, 1.0, x, xi);
      }
      k.scal(mm - i - 1, tp, x, xi);
    }
  }

  private static void readRow(double[] a, int off, int lda, int len, double[] dst, int dOff) {
    for (int j = 0; j < len; j++) {
      dst[dOff + j] = a[off + j * lda];
    }
  }

  private static void writeRow(double[] src, int sOff, int len, double[] a, int off, int lda) {
    for (int j = 0; j < len; j++) {
      a[off + j * lda] = src[sOff + j];
    }
  }

  /**
   * Householder QR in place: {@code A = H_0 ... H_{n-1} R} with R in the upper triangle and {@code v_j} below the
   * diagonal of column j ({@link HouseholderQr#factorRecursive}: panels factored recursively, the trailing updates
   * by GEMM, on up to {@code threads} threads).
   */
  static void qr(DoubleKernels k, int m, int n, double[] a, int lda, double[] tau, int threads) {
    HouseholderQr.factorRecursive(k, DMatrix.wrap(a, 0, m, n, lda), tau, HouseholderQr.RECURSIVE_BLOCK,
        HouseholderQr.RECURSIVE_LEAF, threads);
  }

  /**
   * Columns of C that the back-transformations update together: all reflectors are applied to one block of
   * columns before the next, so the block (m x 32 doubles) stays in cache while the reflectors stream by, instead of
   * the whole of C streaming once per reflector (docs/design-notes.md, "Back-transformation").
   */
  static final int BACK_BLOCK = 32;

  /**
   * Reflectors per compact-WY block in {@link #applyQ} and {@link #applyP}: each block is applied by three GEMMs
   * ({@link BlockReflectors}); docs/design-notes.md, "Blocked back-transformation".
   */
  static final int WY_BLOCK = 64;

  /** Below this many reflectors the back-transformations apply them one at a time. */
  static final int WY_MIN = 32;

  /**
   * {@code C := Q C} for the {@code m x nc} matrix C (ld ldc) whose rows are indexed like A's: blocks of
   * {@link #WY_BLOCK} reflectors, last block first, each {@code I - V T V^T} applied by GEMM (LAPACK dormqr's
   * structure). Fewer than {@link #WY_MIN} reflectors go one at a time ({@link #applyQUnblocked}).
   */
  static void applyQ(DoubleKernels k, int m, int n, double[] a, int lda, double[] tauq, double[] c, int cOff,
      int ldc, int nc, double[] work) {
    applyQ(k, m, n, a, lda, tauq, c, cOff, ldc, nc, work, 1);
  }

  /**
   * {@link #applyQ(DoubleKernels, int, int, double[], int, double[], double[], int, int, int, double[])} with each
   * block's GEMMs on up to {@code threads} threads (C's columns in slabs); the result does not depend on it.
   */
  static void applyQ(DoubleKernels k, int m, int n, double[] a, int lda, double[] tauq, double[] c, int cOff,
      int ldc, int nc, double[] work, int threads) {
    if (n < WY_MIN) {
      applyQUnblocked(k, m, n, a, lda, tauq, c, cOff, ldc, nc, work);
      return;
    }
    BlockReflectors block = new BlockReflectors();
    for (int j0 = (n - 1) / WY_BLOCK * WY_BLOCK; j0 >= 0; j0 -= WY_BLOCK) {
      int kb = Math.min(WY_BLOCK, n - j0);
      block.load(DMatrix.wrap(a, j0 + j0 * lda, m - j0, kb, lda), tauq, j0);
      block.applyLeft(DMatrix.wrap(c, cOff + j0, m - j0, nc, ldc), false, threads);
    }
  }

  /**
   * {@code C := Q C} reflector by reflector: {@code H_{n-1}, ..., H_0} in that order, one block of columns at a
   * time. {@code work} has at least {@link #BACK_BLOCK} doubles.
   */
  static void applyQUnblocked(DoubleKernels k, int m, int n, double[] a, int lda, double[] tauq, double[] c,
      int cOff, int ldc, int nc, double[] work) {
    for (int j0 = 0; j0 < nc; j0 += BACK_BLOCK) {
      int w = Math.min(BACK_BLOCK, nc - j0);
      for (int i = n - 1; i >= 0; i--) {
        k.applyHouseholderLeft(m - i, w, a, i + i * lda, tauq[i], c, cOff + i + j0 * ldc, ldc, work);
      }
    }
  }

  /** Doubles {@link #applyP} needs in {@code packed}: the right reflectors, copied out of their rows. */
  static int packedSize(int n) {
    return n * (n + 1) / 2 + 1;
  }

  /**
   * {@code C := P C} for the {@code n x nc} matrix C (ld ldc): the right reflectors (rows of A) in blocks of
   * {@link #WY_BLOCK}, last block first, each applied by GEMM; {@code G_i} acts on rows {@code i+1 ..} of C. Fewer
   * than {@link #WY_MIN} reflectors go one at a time ({@link #applyPUnblocked}, which uses {@code packed} and
   * {@code work}).
   */
  static void applyP(DoubleKernels k, int n, double[] a, int lda, double[] taup, double[] c, int cOff, int ldc,
      int nc, double[] packed, double[] work) {
    applyP(k, n, a, lda, taup, c, cOff, ldc, nc, packed, work, 1);
  }

  /**
   * {@link #applyP(DoubleKernels, int, double[], int, double[], double[], int, int, int, double[], double[])} with
   * each block's GEMMs on up to {@code threads} threads; the result does not depend on it.
   */
  static void applyP(DoubleKernels k, int n, double[] a, int lda, double[] taup, double[] c, int cOff, int ldc,
      int nc, double[] packed, double[] work, int threads) {
    int count = n - 1;
    if (count < WY_MIN) {
      applyPUnblocked(k, n, a, lda, taup, c, cOff, ldc, nc, packed, work);
      return;
    }
    BlockReflectors block = new BlockReflectors();
    for (int j0 = (count - 1) / WY_BLOCK * WY_BLOCK; j0 >= 0; j0 -= WY_BLOCK) {
      int kb = Math.min(WY_BLOCK, count - j0);
      // Reflector j0 + c is row j0 + c of A from column j0 + c + 1: the transposed view holds it below the
      // diagonal of its column c, the unit at A(j0 + c, j0 + c + 1).
      block.load(DMatrix.wrap(a, j0 + (j0 + 1) * lda, kb, n - j0 - 1, lda).transpose(), taup, j0);
      block.applyLeft(DMatrix.wrap(c, cOff + j0 + 1, n - j0 - 1, nc, ldc), false, threads);
    }
  }

  /**
   * {@code C := P C} reflector by reflector: {@code G_{n-2}, ..., G_0}, one block of columns at a time. The
   * reflectors are first packed contiguously into {@code packed} (at least {@link #packedSize} doubles);
   * {@code work} has at least {@link #BACK_BLOCK} doubles.
   */
  static void applyPUnblocked(DoubleKernels k, int n, double[] a, int lda, double[] taup, double[] c, int cOff,
      int ldc, int nc, double[] packed, double[] work) {
    int[] start = new int[Math.max(n - 1, 0)];
    int off = 0;
    for (int i = 0; i < n - 1; i++) {
      start[i] = off;
      int len = n - i - 1;
      readRow(a, i + (i + 1) * lda, lda, len, packed, off);
      off += len;
    }
    for (int j0 = 0; j0 < nc; j0 += BACK_BLOCK) {
      int w = Math.min(BACK_BLOCK, nc - j0);
      for (int i = n - 2; i >= 0; i--) {
        if (taup[i] != 0.0) {
          k.applyHouseholderLeft(n - i - 1, w, packed, start[i], taup[i], c, cOff + i + 1 + j0 * ldc, ldc, work);
        }
      }
    }
  }
}
