package dev.cartan.kernels.svd;

import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.FloatKernels;
import dev.cartan.kernels.Gemm;
import dev.cartan.kernels.linalg.FloatBlockReflectors;
import dev.cartan.kernels.linalg.HouseholderQr;
import java.util.Arrays;

/**
 * The float32 twin of {@link Bidiagonalization}: Householder reduction of an {@code m x n} float32 matrix
 * ({@code m >= n}) to upper bidiagonal form {@code A = Q B P^T}, and the back-transformations that apply Q and P.
 * The mathematics, the storage of the reflectors (LAPACK dgebrd's), the blocking (dlabrd panels of {@code nb},
 * trailing update by two GEMMs, the last {@code nx} columns unblocked) and the compact-WY back-transformations
 * are those of {@link Bidiagonalization}; here every operation runs on the float32 primitives
 * ({@link FloatKernels}), the float32 {@link Gemm} and {@link FloatBlockReflectors} (twice the SIMD lanes and half
 * the memory traffic of the float64 route).
 *
 * <p>Accuracy: backward stable in float32 (Golub and Van Loan, <i>Matrix Computations</i>, 4th ed., sections 5.1.11
 * and 5.4.8): the computed B is the exact bidiagonal form of {@code A + E} with
 * {@code ||E||_2 <= c(m, n) u_f32 ||A||_2} ({@code u_f32 = 2^-24}), and the applied Q and P are orthogonal to
 * {@code c(m, n) u_f32}.
 *
 * <p>Package-private: arguments are validated by {@link BidiagonalSvd}.
 */
final class FloatBidiagonalization {
  private FloatBidiagonalization() {}

  /**
   * Reduces the {@code m x n} block (column-major, leading dimension lda, {@code m >= n >= 1}) in place, as
   * {@link Bidiagonalization#reduce}, the trailing updates' GEMMs on up to {@code threads} threads (the panels on the
   * calling thread); the result does not depend on the thread count.
   *
   * @param nb panel width; {@code nb <= 0} or {@code n <= nx} reduces unblocked
   * @param nx crossover: once fewer than {@code nx} columns remain, the rest is reduced unblocked
   * @param x workspace of at least {@code m * nb} floats
   * @param y workspace of at least {@code n * nb} floats
   * @param buf workspace of at least {@code max(m, n) + 2 * nb + 2} floats
   */
  static void reduce(FloatKernels k, int m, int n, float[] a, int lda, float[] d, float[] e, float[] tauq,
      float[] taup, int nb, int nx, float[] x, float[] y, float[] buf, int threads) {
    int p = 0;
    if (nb > 0) {
      while (n - p > Math.max(nx, nb)) {
        panel(k, m - p, n - p, a, p + p * lda, lda, p, d, e, tauq, taup, nb, x, y, buf);
        int mm = m - p;
        int nn = n - p;
        // Trailing update A22 -= V2 Y2^T + X2 U2^T: the level-3 half of the reduction.
        FMatrix a22 = FMatrix.wrap(a, p + nb + (p + nb) * lda, mm - nb, nn - nb, lda);
        FMatrix v2 = FMatrix.wrap(a, p + nb + p * lda, mm - nb, nb, lda);
        FMatrix y2 = FMatrix.wrap(y, nb, nn - nb, nb, nn);
        FMatrix x2 = FMatrix.wrap(x, nb, mm - nb, nb, mm);
        FMatrix u2 = FMatrix.wrap(a, p + (p + nb) * lda, nb, nn - nb, lda);
        Gemm.gemm(-1f, v2, y2.transpose(), 1f, a22, threads);
        Gemm.gemm(-1f, x2, u2, 1f, a22, threads);
        p += nb;
      }
    }
    unblocked(k, m - p, n - p, a, p + p * lda, lda, p, d, e, tauq, taup, buf);
  }

  /** dgebd2 on the local block at {@code base}; results go to global index {@code g + i}. */
  private static void unblocked(FloatKernels k, int mm, int nn, float[] a, int base, int lda, int g,
      float[] d, float[] e, float[] tauq, float[] taup, float[] buf) {
    int rowOff = Math.max(mm, nn) + 1;
    for (int i = 0; i < nn; i++) {
      int col = base + i * lda;
      float tq = k.householder(mm - i, a, col + i);
      tauq[g + i] = tq;
      d[g + i] = a[col + i];
      if (i < nn - 1) {
        k.applyHouseholderLeft(mm - i, nn - i - 1, a, col + i, tq, a, col + i + lda, lda, buf);
        int len = nn - i - 1;
        readRow(a, col + i + lda, lda, len, buf, rowOff);
        float tp = k.householder(len, buf, rowOff);
        taup[g + i] = tp;
        e[g + i] = buf[rowOff];
        writeRow(buf, rowOff, len, a, col + i + lda, lda);
        k.applyHouseholderRight(mm - i - 1, len, buf, rowOff, tp, a, col + i + 1 + lda, lda, buf);
      } else {
        taup[g + i] = 0f;
      }
    }
  }

  /**
   * dlabrd: reduces the first nb rows and columns of the local {@code mm x nn} block at {@code base}, leaving the
   * reflectors in place (with explicit unit leading elements) and the update matrices in x ({@code mm x nb}, ld mm)
   * and y ({@code nn x nb}, ld nn). The formulas are those of {@link Bidiagonalization}'s panel.
   */
  private static void panel(FloatKernels k, int mm, int nn, float[] a, int base, int lda, int g, float[] d,
      float[] e, float[] tauq, float[] taup, int nb, float[] x, float[] y, float[] buf) {
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
        k.gemv(mm - i, i, -1f, a, base + i, lda, buf, t1, 1f, a, colI + i);
        k.gemv(mm - i, i, -1f, x, i, ldx, a, colI, 1f, a, colI + i);
      }
      float tq = k.householder(mm - i, a, colI + i);
      tauq[g + i] = tq;
      d[g + i] = a[colI + i];
      a[colI + i] = 1f;
      int len = nn - i - 1;
      if (len <= 0) {
        taup[g + i] = 0f;
        continue;
      }
      int yi = i + 1 + i * ldy;
      int aRight = base + i + (i + 1) * lda; // A(i, i+1)
      int aTop = base + (i + 1) * lda; // A(0, i+1)
      // Y(i+1:, i) = tauq (A(i:, i+1:)^T v - Y(i+1:, 0:i) V(i:, 0:i)^T v - U(0:i, i+1:)^T X(i:, 0:i)^T v)
      k.gemvTransposed(mm - i, len, 1f, a, aRight, lda, a, colI + i, 0f, y, yi);
      if (i > 0) {
        k.gemvTransposed(mm - i, i, 1f, a, base + i, lda, a, colI + i, 0f, y, i * ldy);
        k.gemv(len, i, -1f, y, i + 1, ldy, y, i * ldy, 1f, y, yi);
        k.gemvTransposed(mm - i, i, 1f, x, i, ldx, a, colI + i, 0f, y, i * ldy);
        k.gemvTransposed(i, len, -1f, a, aTop, lda, y, i * ldy, 1f, y, yi);
      }
      k.scal(len, tq, y, yi);

      // Row i: A(i, i+1:) -= Y(i+1:, 0:i+1) A(i, 0:i+1)^T + U(0:i, i+1:)^T X(i, 0:i)^T, worked on as a copy.
      readRow(a, aRight, lda, len, buf, row);
      for (int j = 0; j <= i; j++) {
        buf[t1 + j] = a[base + i + j * lda];
      }
      k.gemv(len, i + 1, -1f, y, i + 1, ldy, buf, t1, 1f, buf, row);
      if (i > 0) {
        for (int j = 0; j < i; j++) {
          buf[t1 + j] = x[i + j * ldx];
        }
        k.gemvTransposed(i, len, -1f, a, aTop, lda, buf, t1, 1f, buf, row);
      }
      float tp = k.householder(len, buf, row);
      taup[g + i] = tp;
      e[g + i] = buf[row];
      buf[row] = 1f;
      writeRow(buf, row, len, a, aRight, lda);

      // X(i+1:, i) = taup (A(i+1:, i+1:) u - V(i+1:, 0:i+1) Y(i+1:, 0:i+1)^T u - X(i+1:, 0:i) U(0:i, i+1:) u)
      int xi = i + 1 + i * ldx;
      int xTmp = i * ldx;
      k.gemv(mm - i - 1, len, 1f, a, aRight + 1, lda, buf, row, 0f, x, xi);
      k.gemvTransposed(len, i + 1, 1f, y, i + 1, ldy, buf, row, 0f, x, xTmp);
      k.gemv(mm - i - 1, i + 1, -1f, a, base + i + 1, lda, x, xTmp, 1f, x, xi);
      if (i > 0) {
        k.gemv(i, len, 1f, a, aTop, lda, buf, row, 0f, x, xTmp);
        k.gemv(mm - i - 1, i, -1f, x, i + 1, ldx, x, xTmp, 1f, x, xi);
      }
      k.scal(mm - i - 1, tp, x, xi);
    }
  }

  private static void readRow(float[] a, int off, int lda, int len, float[] dst, int dOff) {
    for (int j = 0; j < len; j++) {
      dst[dOff + j] = a[off + j * lda];
    }
  }

  private static void writeRow(float[] src, int sOff, int len, float[] a, int off, int lda) {
    for (int j = 0; j < len; j++) {
      a[off + j * lda] = src[sOff + j];
    }
  }

  /**
   * The float32 Householder QR of the {@code m x n} block {@code a} (ld lda) in place ({@link HouseholderQr}'s
   * recursive panels, the trailing updates on up to {@code threads} threads), {@code A = H_0 ... H_{n-1} R}, the
   * reflectors left below the diagonal with scalars in {@code tau}; R (zeros below its diagonal) is copied to
   * {@code r} with ld ldr. Backward stable in float32: R is that of {@code A + E},
   * {@code ||E|| <= c(m, n) u_f32 ||A||}.
   */
  static void qrToR(FloatKernels k, int m, int n, float[] a, int lda, float[] tau, float[] r, int ldr,
      int threads) {
    HouseholderQr.factorRecursive(k, FMatrix.wrap(a, 0, m, n, lda), tau, HouseholderQr.RECURSIVE_BLOCK,
        HouseholderQr.RECURSIVE_LEAF, threads);
    for (int j = 0; j < n; j++) {
      System.arraycopy(a, j * lda, r, j * ldr, j + 1);
      Arrays.fill(r, j * ldr + j + 1, (j + 1) * ldr, 0f);
    }
  }

  /**
   * {@code C := Q C} for the {@code m x nc} matrix C (ld ldc) whose rows are indexed like A's, as
   * {@link Bidiagonalization#applyQ}: blocks of {@link Bidiagonalization#WY_BLOCK} reflectors, last block first, each
   * applied by float32 GEMMs on up to {@code threads} threads; fewer than {@link Bidiagonalization#WY_MIN} reflectors
   * one at a time ({@code work}: at least {@link Bidiagonalization#BACK_BLOCK} floats). The result does not depend on
   * the thread count.
   */
  static void applyQ(FloatKernels k, int m, int n, float[] a, int lda, float[] tauq, float[] c, int cOff,
      int ldc, int nc, float[] work, int threads) {
    if (n < Bidiagonalization.WY_MIN) {
      applyQUnblocked(k, m, n, a, lda, tauq, c, cOff, ldc, nc, work);
      return;
    }
    FloatBlockReflectors block = new FloatBlockReflectors();
    int wb = Bidiagonalization.WY_BLOCK;
    for (int j0 = (n - 1) / wb * wb; j0 >= 0; j0 -= wb) {
      int kb = Math.min(wb, n - j0);
      block.load(FMatrix.wrap(a, j0 + j0 * lda, m - j0, kb, lda), tauq, j0);
      block.applyLeft(FMatrix.wrap(c, cOff + j0, m - j0, nc, ldc), false, threads);
    }
  }

  /** {@code C := Q C} reflector by reflector ({@code H_{n-1}, ..., H_0}), one block of columns at a time. */
  private static void applyQUnblocked(FloatKernels k, int m, int n, float[] a, int lda, float[] tauq, float[] c,
      int cOff, int ldc, int nc, float[] work) {
    for (int j0 = 0; j0 < nc; j0 += Bidiagonalization.BACK_BLOCK) {
      int w = Math.min(Bidiagonalization.BACK_BLOCK, nc - j0);
      for (int i = n - 1; i >= 0; i--) {
        k.applyHouseholderLeft(m - i, w, a, i + i * lda, tauq[i], c, cOff + i + j0 * ldc, ldc, work);
      }
    }
  }

  /**
   * {@code C := P C} for the {@code n x nc} matrix C (ld ldc), as {@link Bidiagonalization#applyP}: the right
   * reflectors (rows of A) in blocks of {@link Bidiagonalization#WY_BLOCK}, last block first, each applied by float32
   * GEMMs on up to {@code threads} threads; {@code G_i} acts on rows {@code i+1 ..} of C. Fewer than
   * {@link Bidiagonalization#WY_MIN} reflectors go one at a time, packed first into {@code packed} (at least
   * {@link Bidiagonalization#packedSize} floats), with {@code work} of at least
   * {@link Bidiagonalization#BACK_BLOCK} floats. The result does not depend on the thread count.
   */
  static void applyP(FloatKernels k, int n, float[] a, int lda, float[] taup, float[] c, int cOff, int ldc,
      int nc, float[] packed, float[] work, int threads) {
    int count = n - 1;
    if (count < Bidiagonalization.WY_MIN) {
      applyPUnblocked(k, n, a, lda, taup, c, cOff, ldc, nc, packed, work);
      return;
    }
    FloatBlockReflectors block = new FloatBlockReflectors();
    int wb = Bidiagonalization.WY_BLOCK;
    for (int j0 = (count - 1) / wb * wb; j0 >= 0; j0 -= wb) {
      int kb = Math.min(wb, count - j0);
      // Reflector j0 + c is row j0 + c of A from column j0 + c + 1: the transposed view holds it below the
      // diagonal of its column c, the unit at A(j0 + c, j0 + c + 1).
      block.load(FMatrix.wrap(a, j0 + (j0 + 1) * lda, kb, n - j0 - 1, lda).transpose(), taup, j0);
      block.applyLeft(FMatrix.wrap(c, cOff + j0 + 1, n - j0 - 1, nc, ldc), false, threads);
    }
  }

  /** {@code C := P C} reflector by reflector ({@code G_{n-2}, ..., G_0}), the reflectors packed contiguously first. */
  private static void applyPUnblocked(FloatKernels k, int n, float[] a, int lda, float[] taup, float[] c, int cOff,
      int ldc, int nc, float[] packed, float[] work) {
    int[] start = new int[Math.max(n - 1, 0)];
    int off = 0;
    for (int i = 0; i < n - 1; i++) {
      start[i] = off;
      int len = n - i - 1;
      readRow(a, i + (i + 1) * lda, lda, len, packed, off);
      off += len;
    }
    for (int j0 = 0; j0 < nc; j0 += Bidiagonalization.BACK_BLOCK) {
      int w = Math.min(Bidiagonalization.BACK_BLOCK, nc - j0);
      for (int i = n - 2; i >= 0; i--) {
        if (taup[i] != 0f) {
          k.applyHouseholderLeft(n - i - 1, w, packed, start[i], taup[i], c, cOff + i + 1 + j0 * ldc, ldc, work);
        }
      }
    }
  }
}
