package dev.cartan.kernels.svd;

import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.FloatKernels;
import dev.cartan.kernels.Gemm;
import dev.cartan.kernels.linalg.FloatBlockReflectors;
import java.util.Arrays;

/**
 * The float32 twin of {@link BandReduction}: stage 1 of the two-stage values route, an {@code m x n} float32 matrix
 * ({@code m >= n}) to upper band form with {@code b} superdiagonals by alternating QR and LQ panels with the merged
 * trailing update, every product a float32 {@link Gemm} (twice the SIMD lanes and half the memory traffic of the
 * float64 stage). The algorithm, the merged update and the storage are documented in {@link BandReduction}; the
 * panels use the float32 Householder primitives ({@link FloatKernels#householder},
 * {@link FloatKernels#applyHouseholderLeft}), T and S come from {@link FloatBlockReflectors}.
 *
 * <p>Backward stable in float32: the band is that of {@code A + E} with {@code ||E||_2 <= c(m, n) u_f32 ||A||_2}.
 * {@link #copyBand} widens the band to float64 for the chase. Workspace kept; not thread-safe; package-private.
 */
final class FloatBandReduction {
  private final FloatBlockReflectors block = new FloatBlockReflectors();
  private float[] tau = new float[0];
  private float[] lq = new float[0];
  private float[] work = new float[0];
  private float[] vx = new float[0];
  private float[] yu = new float[0];
  private float[] z = new float[0];
  private float[] scratch = new float[0];

  /** The narrow products through {@link NarrowGemm} (default) or the packed {@link Gemm}: the profiler's A/B switch. */
  boolean narrow = true;

  /** Threads for the products that read the trailing block, as {@link BandReduction#threads}. */
  int threads = 1;

  /** Reduces the {@code m x n} block of {@code a} (ld lda, {@code m >= n >= 1}) to an upper band of width b. */
  void reduce(FloatKernels k, int m, int n, float[] a, int lda, int b) {
    if (tau.length < b) {
      tau = new float[b];
      z = new float[2 * b * b];
    }
    if (lq.length < n * b) {
      lq = new float[n * b];
      yu = new float[2 * n * b];
    }
    if (vx.length < 2 * m * b) {
      vx = new float[2 * m * b];
    }
    if (work.length < Math.max(m, n)) {
      work = new float[Math.max(m, n)];
    }
    BandReduction.panels(m, n, b, (p, rows, nb) -> panelQr(k, rows, nb, a, p + p * lda, lda, tau, work),
        (p, rows, cols, nb) -> step(k, rows, cols, nb, a, p, lda));
  }

  /** {@link BandReduction}'s merged QR/LQ step (same formulas, float32 GEMMs). */
  private void step(FloatKernels k, int rows, int cols, int nb, float[] a, int p, int lda) {
    int rest = rows - nb;
    block.load(FMatrix.wrap(a, p + p * lda, rows, nb, lda), tau, 0);
    FMatrix t = block.t();
    explicitUnitLower(a, p + p * lda, lda, rows, nb, vx, 0);
    FMatrix v = FMatrix.wrap(vx, 0, rows, nb, rows);
    FMatrix a2 = FMatrix.wrap(a, p + (p + nb) * lda, rows, cols, lda);
    FMatrix y = FMatrix.wrap(yu, 0, cols, nb, cols);
    FMatrix w = FMatrix.wrap(yu, nb * cols, cols, nb, cols);
    BandReduction.product(narrow, a2.transpose(), v, w, threads);
    Gemm.gemm(1f, w, t, 0f, y);
    Gemm.gemm(-1f, v.view(0, 0, nb, nb), y.transpose(), 1f, a2.view(0, 0, nb, cols));
    int top = p + (p + nb) * lda;
    // Column by column: each column's nb entries are contiguous in A (the strided writes land in L2).
    for (int j = 0; j < cols; j++) {
      for (int i = 0; i < nb; i++) {
        lq[j + i * cols] = a[top + i + j * lda];
      }
    }
    int kk = Math.min(nb, cols);
    panelQr(k, cols, kk, lq, 0, cols, tau, work);
    block.load(FMatrix.wrap(lq, 0, cols, kk, cols), tau, 0);
    if (kk < nb) {
      block.applyLeft(FMatrix.wrap(lq, kk * cols, cols, nb - kk, cols), true);
    }
    for (int i = 0; i < nb; i++) {
      for (int j = 0; j <= Math.min(i, cols - 1); j++) {
        a[top + i + j * lda] = lq[j + i * cols];
      }
    }
    FMatrix s = block.t();
    explicitUnitLower(lq, 0, cols, cols, kk, yu, nb * cols);
    FMatrix u = FMatrix.wrap(yu, nb * cols, cols, kk, cols);
    FMatrix g = FMatrix.wrap(z, 0, nb, kk, nb);
    Gemm.gemm(1f, y.transpose(), u, 0f, g);
    if (scratch.length < rest * kk) {
      scratch = new float[rest * kk];
    }
    FMatrix xs = FMatrix.wrap(scratch, 0, rest, kk, rest);
    FMatrix a22 = a2.view(nb, 0, rest, cols);
    BandReduction.product(narrow, a22, u, xs, threads);
    Gemm.gemm(-1f, v.view(nb, 0, rest, nb), g, 1f, xs);
    Gemm.gemm(1f, xs, s, 0f, FMatrix.wrap(vx, nb * rows + nb, rest, kk, rows));
    FMatrix left = FMatrix.wrap(vx, nb, rest, nb + kk, rows);
    FMatrix right = FMatrix.wrap(yu, 0, cols, nb + kk, cols);
    Gemm.gemm(-1f, left, right.transpose(), 1f, a22, threads);
  }

  /**
   * The {@code rows x cols} reflectors below the diagonal at {@code src[off]} (ld lds), with their unit diagonal and
   * zero upper triangle made explicit, into {@code dst[dOff]} with ld rows.
   */
  private static void explicitUnitLower(float[] src, int off, int lds, int rows, int cols, float[] dst, int dOff) {
    for (int j = 0; j < cols; j++) {
      int col = dOff + j * rows;
      Arrays.fill(dst, col, col + j, 0f);
      dst[col + j] = 1f;
      System.arraycopy(src, off + j + 1 + j * lds, dst, col + j + 1, rows - j - 1);
    }
  }

  /** sgeqr2 on the {@code rows x cols} block at {@code off}: R on and above the diagonal, reflectors below. */
  private static void panelQr(FloatKernels k, int rows, int cols, float[] a, int off, int lda, float[] tau,
      float[] work) {
    for (int j = 0; j < cols; j++) {
      int col = off + j + j * lda;
      tau[j] = k.householder(rows - j, a, col);
      if (j < cols - 1) {
        k.applyHouseholderLeft(rows - j, cols - j - 1, a, col, tau[j], a, col + lda, lda, work);
      }
    }
  }

  /**
   * {@link BandReduction#copyBand} from a float32 reduced block: the band widened to float64 into the chase's
   * storage, the rest of each column's window zeroed.
   */
  static void copyBand(int n, int b, float[] a, int lda, double[] band, int ld) {
    Arrays.fill(band, 0, BandBidiagonal.bandSize(n, ld), 0.0);
    for (int j = 0; j < n; j++) {
      for (int i = Math.max(0, j - b); i <= j; i++) {
        band[i + j * ld] = a[i + j * lda];
      }
    }
  }
}
