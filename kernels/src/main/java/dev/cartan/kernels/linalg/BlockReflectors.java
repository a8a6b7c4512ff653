package dev.cartan.kernels.linalg;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.Gemm;
import dev.cartan.kernels.Parallel;
import dev.cartan.kernels.TallGemm;
import java.util.Arrays;

/**
 * A block of {@code k} Householder reflectors in compact WY form (Schreiber and Van Loan, "A storage-efficient WY
 * representation for products of Householder transformations", SIAM J. Sci. Stat. Comput. 10(1), 1989; LAPACK
 * dlarft with direct = 'F', storev = 'C', and dlarfb), applied to matrices by GEMM.
 *
 * <p>The reflectors are {@code H_i = I - tau_i v_i v_i^T} ({@code i = 0 .. k-1}, LAPACK's convention) of order
 * {@code m >= k}. {@code v_i} has zeros in rows {@code 0 .. i-1}, an implicit 1 in row i, and its rows
 * {@code i+1 .. m-1} stored below the diagonal of column i of an {@code m x k} panel (as dgeqrf leaves them), so
 * {@code V = [v_0 ... v_{k-1}]} is unit lower trapezoidal. Their product is
 * <pre>
 *   H = H_0 H_1 ... H_{k-1} = I - V T V^T,
 * </pre>
 * with T {@code k x k} upper triangular, built column by column (Golub and Van Loan, <i>Matrix Computations</i>,
 * 4th ed., section 5.1.7, algorithm 5.1.2):
 * <pre>
 *   T(i, i) = tau_i,   T(0:i, i) = -tau_i T(0:i, 0:i) V(:, 0:i)^T v_i.
 * </pre>
 * Here {@code V(:, 0:i)^T v_i} is column i of {@code S = V^T V}, formed by one GEMM. Then, with
 * {@code op(T) = T} for H and {@code T^T} for {@code H^T = I - V T^T V^T}:
 * <pre>
 *   op(H) C = C - V (C^T V op(T)^T)^T     (left:  W = C^T V, W := W op(T)^T, C := C - V W^T)
 *   C op(H) = C - (C V op(T)) V^T         (right: W = C V,   W := W op(T),   C := C - W V^T)
 * </pre>
 * Each is three GEMMs: {@code 4 m n k} flops in the two big ones ({@code C} is {@code m x n} on the left,
 * {@code n x m} on the right) and {@code 2 n k^2} in the small one. Unlike dlarfb, which keeps V in place and
 * multiplies its triangle by dtrmm, {@link #load} copies V once into a workspace with its unit diagonal and zero
 * upper triangle made explicit, so every product runs at packed-GEMM speed and the caller's panel (whose upper
 * triangle usually holds R) is never read above the diagonal; the copy costs {@code m k} moves, against
 * {@code 4 m n k} flops per application.
 * On the left with a plain C, the first product is formed transposed, {@code W^T = V^T C}, by {@link TallGemm},
 * which reads C in place (docs/design-notes.md, "Trailing update: V^T C without packing C").
 *
 * <p>An instance keeps its workspace ({@code m k + k^2} doubles for V and T, {@code 2 n k} for W) and grows it
 * only when a larger block or C arrives, so loading and applying in a loop allocates nothing after the first
 * call. It is not thread-safe.
 */
public final class BlockReflectors {
  private double[] v = new double[0];
  private double[] t = new double[0];
  private double[] w = new double[0];
  private double[] w2 = new double[0];
  private int m;
  private int k;
  /**
   * The left product {@code V^T C} by {@link TallGemm} (default) or, off, by the packed {@link Gemm} as before: the
   * profilers' A/B switch (docs/design-notes.md, "Trailing update: V^T C without packing C").
   */
  static boolean tall = true;

  /** An empty block ({@code m = k = 0}); {@link #load} fills it. */
  public BlockReflectors() {}

  /** Order {@code m} of the reflectors (rows of V). */
  public int order() {
    return m;
  }

  /** Number {@code k} of reflectors (columns of V). */
  public int count() {
    return k;
  }

  /**
   * Loads the reflectors stored below the diagonal of {@code panel} ({@code m x k}, {@code m >= k}, any layout;
   * its diagonal and upper triangle are not read) with scalars {@code tau[tauOff .. tauOff+k-1]}, and forms T.
   * {@code tau_i = 0} gives {@code H_i = I}. Returns this.
   *
   * @throws IllegalArgumentException if an argument is null, {@code m < k}, or tau is too short
   */
  public BlockReflectors load(DMatrix panel, double[] tau, int tauOff) {
    if (panel == null) {
      throw new IllegalArgumentException("reflector panel is null");
    }
    if (tau == null) {
      throw new IllegalArgumentException("tau is null");
    }
    m = panel.rows();
    k = panel.cols();
    requireBlock(m, k, tau.length, tauOff);
    if (v.length < m * k) {
      v = new double[Math.multiplyExact(m, k)];
    }
    if (t.length < k * k) {
      t = new double[k * k];
    }
    copyUnitLower(panel);
    formT(tau, tauOff);
    return this;
  }

  /**
   * Loads the reflectors below the diagonal of {@code panel} ({@code m x k}) with their T already formed (the
   * {@code k x k} upper triangle of {@code tIn}, as {@link HouseholderQr}'s recursive panel leaves it), skipping the
   * {@code S = V^T V} product of {@link #load}. Returns this.
   */
  BlockReflectors load(DMatrix panel, DMatrix tIn) {
    m = panel.rows();
    k = panel.cols();
    if (v.length < m * k) {
      v = new double[Math.multiplyExact(m, k)];
    }
    if (t.length < k * k) {
      t = new double[k * k];
    }
    copyUnitLower(panel);
    tIn.copyInto(t());
    return this;
  }

  /**
   * A view of T ({@code k x k}, upper triangular with zeros below the diagonal). It shares this block's
   * workspace: the next {@link #load} overwrites it.
   */
  public DMatrix t() {
    return DMatrix.wrap(t, 0, k, k, Math.max(1, k));
  }

  /**
   * {@code C := H C}, or {@code C := H^T C} with {@code transpose}, for C with {@code m} rows (any layout; C may
   * share storage with the panel given to {@link #load}, which copied the reflectors and is not read again).
   *
   * @throws IllegalArgumentException if C is null or does not have {@code m} rows
   */
  public void applyLeft(DMatrix c, boolean transpose) {
    apply(c, false, transpose, 1);
  }

  /**
   * {@link #applyLeft(DMatrix, boolean)} on up to {@code threads} threads: C's columns in slabs
   * ({@link Parallel}), each updated by the same products as in the one-thread call, so the result does not
   * depend on the thread count.
   *
   * @throws IllegalArgumentException if C is null or does not have {@code m} rows, or {@code threads < 1}
   */
  public void applyLeft(DMatrix c, boolean transpose, int threads) {
    apply(c, false, transpose, threads);
  }

  /**
   * {@code C := C H}, or {@code C := C H^T} with {@code transpose}, for C with {@code m} columns (any layout; C may
   * share storage with the loaded panel).
   *
   * @throws IllegalArgumentException if C is null or does not have {@code m} columns
   */
  public void applyRight(DMatrix c, boolean transpose) {
    apply(c, true, transpose, 1);
  }

  /**
   * {@link #applyRight(DMatrix, boolean)} on up to {@code threads} threads: C's rows in slabs, as
   * {@link #applyLeft(DMatrix, boolean, int)}.
   *
   * @throws IllegalArgumentException if C is null or does not have {@code m} columns, or {@code threads < 1}
   */
  public void applyRight(DMatrix c, boolean transpose, int threads) {
    apply(c, true, transpose, threads);
  }

  /**
   * Columns (left) or rows (right) of C per slab unit of a multi-threaded application: a multiple of the GEMM
   * tiles' widths (6, 12) and of TallGemm's six columns, so every element of C is computed as in one thread.
   */
  static final int SLAB_UNIT = 24;

  private void apply(DMatrix c, boolean right, boolean transpose, int threads) {
    if (c == null) {
      throw new IllegalArgumentException("matrix C is null");
    }
    requireApplicable(m, right, c.rows(), c.cols());
    int n = right ? c.rows() : c.cols();
    if (k == 0 || n == 0) {
      return;
    }
    DMatrix vv = DMatrix.wrap(v, 0, m, k, Math.max(1, m));
    if (w.length < n * k) {
      w = new double[Math.multiplyExact(n, k)];
      w2 = new double[n * k];
    }
    // The small factor is op(T)^T on the left and op(T) on the right: T^T exactly when right == transpose.
    DMatrix small = right == transpose ? t().transpose() : t();
    boolean tallLeft = !right && tall && !c.isTransposed();
    // Slab [lo, hi) of C's columns (left) or rows (right) with the matching part of W.
    Parallel.forSlabs(threads, 4.0 * m * n * k, n, SLAB_UNIT, (lo, hi) -> {
      int len = hi - lo;
      if (right) {
        DMatrix cs = c.view(lo, 0, len, m);
        DMatrix ww = DMatrix.wrap(w, lo, len, k, n);
        DMatrix ww2 = DMatrix.wrap(w2, lo, len, k, n);
        Gemm.gemm(1.0, cs, vv, 0.0, ww);
        Gemm.gemm(1.0, ww, small, 0.0, ww2);
        Gemm.gemm(-1.0, ww2, vv.transpose(), 1.0, cs);
      } else if (tallLeft) {
        // W^T = V^T C with C read in place (TallGemm), then C -= V (op(T) W^T): the same products transposed.
        DMatrix cs = c.view(0, lo, m, len);
        DMatrix wt = DMatrix.wrap(w, lo * k, k, len, k);
        DMatrix wt2 = DMatrix.wrap(w2, lo * k, k, len, k);
        TallGemm.atb(1.0, vv, cs, 0.0, wt);
        Gemm.gemm(1.0, small.transpose(), wt, 0.0, wt2);
        Gemm.gemm(-1.0, vv, wt2, 1.0, cs);
      } else {
        DMatrix cs = c.view(0, lo, m, len);
        DMatrix ww = DMatrix.wrap(w, lo, len, k, n);
        DMatrix ww2 = DMatrix.wrap(w2, lo, len, k, n);
        Gemm.gemm(1.0, cs.transpose(), vv, 0.0, ww);
        Gemm.gemm(1.0, ww, small, 0.0, ww2);
        Gemm.gemm(-1.0, vv, ww2.transpose(), 1.0, cs);
      }
    });
  }

  /** Rejects a panel of {@code rows x cols} reflectors with too few rows or too few scalars at tauOff. */
  static void requireBlock(int rows, int cols, int tauLength, int tauOff) {
    if (rows < cols) {
      throw new IllegalArgumentException(
          "reflector panel is " + rows + "x" + cols + "; a block of k reflectors of order m needs m >= k");
    }
    if (tauOff < 0 || (long) tauOff + cols > tauLength) {
      throw new IllegalArgumentException(
          "tau of length " + tauLength + " has no " + cols + " elements at offset " + tauOff);
    }
  }

  /** Rejects a {@code rows x cols} C that reflectors of order m cannot multiply from the given side. */
  static void requireApplicable(int m, boolean right, int rows, int cols) {
    if ((right ? cols : rows) != m) {
      throw new IllegalArgumentException("cannot apply reflectors of order " + m + " from the "
          + (right ? "right" : "left") + " to a " + rows + "x" + cols + " matrix");
    }
  }

  /** V with explicit zeros above and ones on the diagonal, column-major with ld m. */
  private void copyUnitLower(DMatrix panel) {
    unitLower(panel, v, 0);
  }

  /**
   * Writes the reflectors below the diagonal of the {@code r x c} panel ({@code r >= c}) as an explicit unit lower
   * trapezoidal V (zeros above, ones on the diagonal) to {@code dst[off ..]}, column-major with ld r; returns it.
   */
  static DMatrix unitLower(DMatrix panel, double[] dst, int off) {
    double[] src = panel.data();
    int r = panel.rows();
    int c = panel.cols();
    boolean plain = !panel.isTransposed();
    for (int j = 0; j < c; j++) {
      int col = off + j * r;
      Arrays.fill(dst, col, col + j, 0.0);
      dst[col + j] = 1.0;
      if (plain) {
        System.arraycopy(src, panel.index(j + 1, j), dst, col + j + 1, r - j - 1);
      } else {
        for (int i = j + 1; i < r; i++) {
          dst[col + i] = src[panel.index(i, j)];
        }
      }
    }
    return DMatrix.wrap(dst, off, r, c, Math.max(1, r));
  }

  /** T from S = V^T V (one GEMM), then the column recurrence of the class documentation. */
  private void formT(double[] tau, int tauOff) {
    if (k == 0) {
      return;
    }
    DMatrix vv = DMatrix.wrap(v, 0, m, k, Math.max(1, m));
    Gemm.gemm(1.0, vv.transpose(), vv, 0.0, t());
    recurrence(t, k, tau, tauOff);
  }

  /**
   * T from {@code S = V^T V} held in {@code t} ({@code k x k}, ld k; only its strict upper triangle is read), in
   * place, by the column recurrence of the class documentation. Shared with {@link FloatBlockReflectors}, which runs
   * it on a float64 copy of its S.
   */
  static void recurrence(double[] t, int k, double[] tau, int tauOff) {
    recurrence(t, 0, k, tau, tauOff);
  }

  /** {@link #recurrence(double[], int, double[], int)} on the {@code k x k} array at {@code t[off ..]}. */
  static void recurrence(double[] t, int off, int k, double[] tau, int tauOff) {
    for (int i = 0; i < k; i++) {
      int col = off + i * k;
      double ti = tau[tauOff + i];
      // z = -tau_i S(0:i, i), held in T(0:i, i); then T(0:i, i) = T(0:i, 0:i) z, row r reading z_r .. z_{i-1}
      // only, so ascending r overwrites each z_r after its last use.
      for (int r = 0; r < i; r++) {
        t[col + r] *= -ti;
      }
      for (int r = 0; r < i; r++) {
        double s = 0.0;
        for (int c = r; c < i; c++) {
          s += t[off + r + c * k] * t[col + c];
        }
        t[col + r] = s;
      }
      t[col + i] = ti;
      Arrays.fill(t, col + i + 1, col + k, 0.0);
    }
  }
}
