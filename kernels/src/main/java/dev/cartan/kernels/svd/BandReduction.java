package dev.cartan.kernels.svd;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.DoubleKernels;
import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.Gemm;
import dev.cartan.kernels.NarrowGemm;
import dev.cartan.kernels.Parallel;
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
 * reduction, but none of it as matrix-vector products. The two products that read the trailing block once with
 * only b columns on the other side ({@code A2^T V}, {@code A2 U}) go through {@link NarrowGemm}, which does not pack
 * the trailing block (docs/design-notes.md, "Stage 1: narrow GEMMs without packing").
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
  private double[] vx = new double[0];
  private double[] yu = new double[0];
  private double[] z = new double[0];
  private double[] scratch = new double[0];

  /** The narrow products through {@link NarrowGemm} (default) or the packed {@link Gemm}: the profiler's A/B switch. */
  boolean narrow = true;

  /**
   * Threads for the products that read the trailing block (>= 1; set by the caller before {@link #reduce}): the
   * narrow products split C's rows ({@link #product(boolean, DMatrix, DMatrix, DMatrix, int)}), the merged update
   * C's longer side ({@link Gemm}); the panels run on the calling thread. Results do not depend on it.
   */
  int threads = 1;

  /** Optional phase marks for the profiler ({@code StageOneProfile}); null (and no cost but a test) otherwise. */
  Laps laps;

  /** Receives -1 at the start of the reduction, then a mark at the end of each part, numbered as in {@link #PARTS}. */
  interface Laps {
    void lap(int part);
  }

  /** Names of the parts {@link Laps} marks, in order. */
  static final String[] PARTS = {"qr panel", "T (qr) + V copy", "Y = A2^T V T", "lq rows update + copy in",
      "lq panel", "S (lq)", "copy back + U", "X = (A22 U - V2 G) S", "merged update"};

  private void lap(int part) {
    if (laps != null) {
      laps.lap(part);
    }
  }

  /** Reduces the {@code m x n} block of {@code a} (ld lda, {@code m >= n >= 1}) to an upper band of width b. */
  void reduce(DoubleKernels k, int m, int n, double[] a, int lda, int b) {
    if (tau.length < b) {
      tau = new double[b];
      z = new double[2 * b * b];
    }
    if (lq.length < n * b) {
      lq = new double[n * b];
      yu = new double[2 * n * b];
    }
    if (vx.length < 2 * m * b) {
      vx = new double[2 * m * b];
    }
    if (work.length < Math.max(m, n)) {
      work = new double[Math.max(m, n)];
    }
    lap(-1);
    panels(m, n, b, (p, rows, nb) -> {
      panelQr(k, rows, nb, a, p + p * lda, lda, tau, work);
      lap(0);
    }, (p, rows, cols, nb) -> step(k, rows, cols, nb, a, p, lda));
  }

  /** The QR panel of {@code nb} columns at {@code (p, p)}, {@code rows = m - p} tall. */
  interface Panel {
    void factor(int p, int rows, int nb);
  }

  /** The merged QR/LQ step after the panel at {@code (p, p)}, with the trailing {@code rows x cols} block. */
  interface Step {
    void update(int p, int rows, int cols, int nb);
  }

  /**
   * The outer loop of the reduction, shared by both precisions ({@link FloatBandReduction}): for
   * {@code p = 0, b, 2b, ...} the QR panel, then the step while columns remain right of it.
   */
  static void panels(int m, int n, int b, Panel panel, Step step) {
    for (int p = 0; p < n; p += b) {
      int nb = Math.min(b, n - p);
      panel.factor(p, m - p, nb);
      int cols = n - p - nb;
      if (cols == 0) {
        break;
      }
      step.update(p, m - p, cols, nb);
    }
  }

  /**
   * One QR/LQ pair after the QR panel at {@code (p, p)} ({@code rows x nb}, reflectors V with factor T) is
   * factored, with {@code A2 = A(p:m, p+nb:n)} ({@code rows x cols}). The two one-sided updates are merged as in
   * dgebrd/dlabrd, so the big trailing block is read twice and written once, by GEMMs whose inner dimension is
   * {@code nb + kk} instead of nb:
   * <pre>
   *   Y = A2^T V T                                  (Q^T A2 = A2 - V Y^T)
   *   P = A2(0:nb, :) - V(0:nb, :) Y^T              the LQ panel, P^T = (I - U S U^T) R
   *   X = (A2(nb:, :) U - V2 (Y^T U)) S              (V2 = V(nb:, :))
   *   A2(nb:, :) -= [V2 X] [Y U]^T                   = (Q^T A2)(nb:, :) (I - U S U^T)
   * </pre>
   */
  private void step(DoubleKernels k, int rows, int cols, int nb, double[] a, int p, int lda) {
    int rest = rows - nb;
    block.load(DMatrix.wrap(a, p + p * lda, rows, nb, lda), tau, 0);
    DMatrix t = block.t();
    // [V X] in vx (ld rows): V explicit (unit diagonal, zeros above) in columns 0..nb-1.
    for (int j = 0; j < nb; j++) {
      int col = j * rows;
      java.util.Arrays.fill(vx, col, col + j, 0.0);
      vx[col + j] = 1.0;
      System.arraycopy(a, p + j + 1 + (p + j) * lda, vx, col + j + 1, rows - j - 1);
    }
    lap(1);
    DMatrix v = DMatrix.wrap(vx, 0, rows, nb, rows);
    DMatrix a2 = DMatrix.wrap(a, p + (p + nb) * lda, rows, cols, lda);
    // [Y U] in yu (ld cols): Y = (A2^T V) T, the product first into the U half as scratch.
    DMatrix y = DMatrix.wrap(yu, 0, cols, nb, cols);
    DMatrix w = DMatrix.wrap(yu, nb * cols, cols, nb, cols);
    product(narrow, a2.transpose(), v, w, threads);
    Gemm.gemm(1.0, w, t, 0.0, y);
    lap(2);
    // The LQ panel: rows 0..nb-1 of Q^T A2.
    DMatrix panel = a2.view(0, 0, nb, cols);
    Gemm.gemm(-1.0, v.view(0, 0, nb, nb), y.transpose(), 1.0, panel);
    int top = p + (p + nb) * lda;
    // Column by column: each column's nb entries are contiguous in A (the strided writes land in L2).
    for (int j = 0; j < cols; j++) {
      for (int i = 0; i < nb; i++) {
        lq[j + i * cols] = a[top + i + j * lda];
      }
    }
    lap(3);
    int kk = Math.min(nb, cols);
    panelQr(k, cols, kk, lq, 0, cols, tau, work);
    lap(4);
    block.load(DMatrix.wrap(lq, 0, cols, kk, cols), tau, 0);
    if (kk < nb) {
      // Fewer columns than rows: the last nb - kk rows of the panel take H^T too.
      block.applyLeft(DMatrix.wrap(lq, kk * cols, cols, nb - kk, cols), true);
    }
    for (int i = 0; i < nb; i++) {
      for (int j = 0; j <= Math.min(i, cols - 1); j++) {
        a[top + i + j * lda] = lq[j + i * cols];
      }
    }
    lap(5);
    DMatrix s = block.t();
    // U explicit into the second half of yu.
    for (int j = 0; j < kk; j++) {
      int col = (nb + j) * cols;
      java.util.Arrays.fill(yu, col, col + j, 0.0);
      yu[col + j] = 1.0;
      System.arraycopy(lq, j + 1 + j * cols, yu, col + j + 1, cols - j - 1);
    }
    DMatrix u = DMatrix.wrap(yu, nb * cols, cols, kk, cols);
    lap(6);
    // X = (A2(nb:, :) U - V2 (Y^T U)) S into vx columns nb.., rows nb.. (ld rows).
    DMatrix g = DMatrix.wrap(z, 0, nb, kk, nb);
    Gemm.gemm(1.0, y.transpose(), u, 0.0, g);
    DMatrix xs = DMatrix.wrap(work2(rest * kk), 0, rest, kk, rest);
    DMatrix a22 = a2.view(nb, 0, rest, cols);
    DMatrix v2 = v.view(nb, 0, rest, nb);
    product(narrow, a22, u, xs, threads);
    Gemm.gemm(-1.0, v2, g, 1.0, xs);
    DMatrix x = DMatrix.wrap(vx, nb * rows + nb, rest, kk, rows);
    Gemm.gemm(1.0, xs, s, 0.0, x);
    lap(7);
    // The merged trailing update.
    DMatrix left = DMatrix.wrap(vx, nb, rest, nb + kk, rows);
    DMatrix right = DMatrix.wrap(yu, 0, cols, nb + kk, cols);
    Gemm.gemm(-1.0, left, right.transpose(), 1.0, a22, threads);
    lap(8);
  }

  /** {@code C := A B} with a narrow B and C, by {@link NarrowGemm} or, with {@code narrow} off, {@link Gemm}. */
  static void product(boolean narrow, DMatrix a, DMatrix b, DMatrix c) {
    if (narrow) {
      NarrowGemm.gemm(1.0, a, b, 0.0, c);
    } else {
      Gemm.gemm(1.0, a, b, 0.0, c);
    }
  }

  /** Rows of C per slab unit of a multi-threaded narrow product (two of NarrowGemm's tiles of six). */
  static final int SLAB_UNIT = 12;

  /**
   * {@link #product(boolean, DMatrix, DMatrix, DMatrix)} on up to {@code threads} threads, C's rows in slabs
   * ({@link Parallel}); each row of C is computed as in the one-thread call.
   */
  static void product(boolean narrow, DMatrix a, DMatrix b, DMatrix c, int threads) {
    Parallel.forSlabs(threads, 2.0 * c.rows() * c.cols() * a.cols(), c.rows(), SLAB_UNIT, (lo, hi) ->
        product(narrow, a.view(lo, 0, hi - lo, a.cols()), b, c.view(lo, 0, hi - lo, c.cols())));
  }

  /** The float32 {@link #product(boolean, DMatrix, DMatrix, DMatrix, int)}. */
  static void product(boolean narrow, FMatrix a, FMatrix b, FMatrix c, int threads) {
    Parallel.forSlabs(threads, 2.0 * c.rows() * c.cols() * a.cols(), c.rows(), SLAB_UNIT, (lo, hi) ->
        product(narrow, a.view(lo, 0, hi - lo, a.cols()), b, c.view(lo, 0, hi - lo, c.cols())));
  }

  /** The float32 {@link #product(boolean, DMatrix, DMatrix, DMatrix)}. */
  static void product(boolean narrow, FMatrix a, FMatrix b, FMatrix c) {
    if (narrow) {
      NarrowGemm.gemm(1f, a, b, 0f, c);
    } else {
      Gemm.gemm(1f, a, b, 0f, c);
    }
  }

  private double[] work2(int len) {
    if (scratch.length < len) {
      scratch = new double[len];
    }
    return scratch;
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
