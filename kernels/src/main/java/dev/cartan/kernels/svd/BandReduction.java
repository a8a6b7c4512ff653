package dev.cartan.kernels.svd;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.DoubleKernels;
import dev.cartan.kernels.linalg.BlockReflectors;

/**
 * Stage 1 of the two-stage reduction: an {@code m x n} matrix ({@code m >= n}) to upper band form with {@code b}
 * superdiagonals, {@code A = Q Band P^T}, by alternating blocked QR and LQ panels whose trailing updates are GEMMs
 * (Grosser and Lang, "Efficient parallel reduction to bidiagonal form", Parallel Comput. 25 (1999); Ltaief, Luszczek
 * and Dongarra, "High-performance bidiagonal reduction using tile algorithms on homogeneous multicore
 * architectures", ACM TOMS 39 (2013), the dense-to-band stage). For {@code p = 0, b, 2b, ...}:
 * <ol>
 *   <li>QR of the column panel {@code A(p:m, p:p+b)} (dgeqr2), then {@code A(p:m, p+b:n) := H^T A(p:m, p+b:n)}
 *       with {@code H = I - V T V^T} in compact WY form ({@link BlockReflectors}: two big GEMMs);
 *   <li>LQ of the row panel {@code A(p:p+b, p+b:n)} (as the QR of its transpose, copied to a contiguous buffer),
 *       then {@code A(p+b:m, p+b:n) := A(p+b:m, p+b:n) H}.
 * </ol>
 * Row block p then holds an upper triangle followed by a lower triangle: the band. All but the panel
 * factorizations ({@code O(m n b)} flops at level 2) is GEMM: {@code 4 m n^2 - 4 n^3 / 3} flops, as the one-stage
 * reduction, but none of it as matrix-vector products.
 *
 * <p>Values only: the reflectors are not kept (the QR panel's stay below the diagonal as garbage). On return the
 * band entries {@code (i, j)}, {@code 0 <= j - i <= b}, are in place; nothing else of A is meaningful.
 *
 * <p>An instance keeps its workspace and is not thread-safe; package-private (callers validate).
 */
final class BandReduction {
  private final BlockReflectors block = new BlockReflectors();
  private double[] tau = new double[0];
  private double[] lq = new double[0];
  private double[] work = new double[0];

  /** Reduces the {@code m x n} block of {@code a} (ld lda, {@code m >= n >= 1}) to an upper band of width b. */
  void reduce(DoubleKernels k, int m, int n, double[] a, int lda, int b) {
    if (tau.length < b) {
      tau = new double[b];
    }
    if (lq.length < n * b) {
      lq = new double[n * b];
    }
    if (work.length < Math.max(m, n)) {
      work = new double[Math.max(m, n)];
    }
    for (int p = 0; p < n; p += b) {
      int nb = Math.min(b, n - p);
      int rows = m - p;
      panelQr(k, rows, nb, a, p + p * lda, lda, tau, work);
      int cols = n - p - nb;
      if (cols == 0) {
        break;
      }
      block.load(DMatrix.wrap(a, p + p * lda, rows, nb, lda), tau, 0);
      block.applyLeft(DMatrix.wrap(a, p + (p + nb) * lda, rows, cols, lda), true);

      // LQ of the nb x cols row panel as the QR of its transpose (contiguous columns for the kernels).
      int top = p + (p + nb) * lda;
      for (int i = 0; i < nb; i++) {
        for (int j = 0; j < cols; j++) {
          lq[j + i * cols] = a[top + i + j * lda];
        }
      }
      int kk = Math.min(nb, cols);
      panelQr(k, cols, kk, lq, 0, cols, tau, work);
      if (kk < nb) {
        // Fewer columns than rows: the rows past the first kk are already combinations of the kk reflectors'
        // span, H^T applied to them is what the trailing update does; do it on the buffer alone.
        block.load(DMatrix.wrap(lq, 0, cols, kk, cols), tau, 0);
        block.applyLeft(DMatrix.wrap(lq, kk * cols, cols, nb - kk, cols), true);
      }
      for (int i = 0; i < nb; i++) {
        for (int j = 0; j <= Math.min(i, cols - 1); j++) {
          a[top + i + j * lda] = lq[j + i * cols];
        }
      }
      if (rows - nb > 0) {
        block.load(DMatrix.wrap(lq, 0, cols, kk, cols), tau, 0);
        block.applyRight(DMatrix.wrap(a, p + nb + (p + nb) * lda, rows - nb, cols, lda), false);
      }
    }
  }

  /** dgeqr2 on the {@code rows x cols} block at {@code off}: R on and above the diagonal, reflectors below. */
  private static void panelQr(DoubleKernels k, int rows, int cols, double[] a, int off, int lda, double[] tau,
      double[] work) {
    for (int j = 0; j < cols; j++) {
      int col = off + j + j * lda;
      tau[j] = k.householder(rows - j, a, col);
      if (j < cols - 1) {
        k.applyHouseholderLeft(rows - j, cols - j - 1, a, col, tau[j], a, col + lda, lda, work);
      }
    }
  }

  /**
   * Copies the band of the reduced {@code n x n} leading block ({@code 0 <= j - i <= b}) into the chase's storage
   * ({@code (i, j)} at {@code band[i + j * ld]}, see {@link BandBidiagonal}), zeroing the rest of each column's
   * window.
   */
  static void copyBand(int n, int b, double[] a, int lda, double[] band, int ld) {
    java.util.Arrays.fill(band, 0, BandBidiagonal.bandSize(n, ld), 0.0);
    for (int j = 0; j < n; j++) {
      int i0 = Math.max(0, j - b);
      System.arraycopy(a, i0 + j * lda, band, i0 + j * ld, j - i0 + 1);
    }
  }
}
