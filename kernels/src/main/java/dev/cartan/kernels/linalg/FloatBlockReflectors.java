package dev.cartan.kernels.linalg;

import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.Gemm;
import dev.cartan.kernels.Parallel;
import dev.cartan.kernels.TallGemm;
import java.util.Arrays;

/**
 * The float32 twin of {@link BlockReflectors}: {@code k} Householder reflectors {@code H_i = I - tau_i v_i v_i^T}
 * stored below the diagonal of an {@code m x k} float panel, gathered into {@code H = I - V T V^T} and applied by
 * the float32 GEMM (twice the lanes and half the memory traffic of the float64 one). The mathematics, the storage
 * convention and the three-GEMM application are those of {@link BlockReflectors}; T is formed from
 * {@code S = V^T V} (a float32 GEMM) by the same column recurrence run in float64 on a {@code k x k} copy, then
 * rounded to float32.
 *
 * <p>An instance keeps its workspace and is not thread-safe.
 */
public final class FloatBlockReflectors {
  private float[] v = new float[0];
  private float[] t = new float[0];
  private float[] w = new float[0];
  private float[] w2 = new float[0];
  private double[] wide = new double[0];
  private double[] tauWide = new double[0];
  private int m;
  private int k;

  /** An empty block ({@code m = k = 0}); {@link #load} fills it. */
  public FloatBlockReflectors() {}

  /**
   * Loads the reflectors below the diagonal of {@code panel} ({@code m x k}, {@code m >= k}, any layout, as
   * {@link BlockReflectors#load}: a transposed view holds row reflectors; its diagonal and upper triangle are not
   * read) with scalars {@code tau[tauOff .. tauOff+k-1]}, and forms T. Returns this.
   *
   * @throws IllegalArgumentException if an argument is null, {@code m < k}, or tau is too short
   */
  public FloatBlockReflectors load(FMatrix panel, float[] tau, int tauOff) {
    if (panel == null) {
      throw new IllegalArgumentException("reflector panel is null");
    }
    if (tau == null) {
      throw new IllegalArgumentException("tau is null");
    }
    BlockReflectors.requireBlock(panel.rows(), panel.cols(), tau.length, tauOff);
    reserve(panel);
    if (k > 0) {
      FMatrix vv = vMatrix();
      Gemm.gemm(1f, vv.transpose(), vv, 0f, t());
      recurrence(t, 0, k, tau, tauOff, wide, tauWide);
    }
    return this;
  }

  /** Takes the panel's shape, grows the workspace if needed, and copies its reflectors to V. */
  private void reserve(FMatrix panel) {
    m = panel.rows();
    k = panel.cols();
    if (v.length < m * k) {
      v = new float[Math.multiplyExact(m, k)];
    }
    if (t.length < k * k) {
      t = new float[k * k];
      wide = new double[k * k];
      tauWide = new double[k];
    }
    unitLower(panel, v, 0);
  }

  /**
   * T from the float32 {@code S = V^T V} held at {@code s[off ..]} ({@code k x k}, ld k), in place: the column
   * recurrence of {@link BlockReflectors} run in float64 on {@code wide} ({@code >= k^2}) and {@code tauWide}
   * ({@code >= k}), then rounded to float32.
   */
  static void recurrence(float[] s, int off, int k, float[] tau, int tauOff, double[] wide, double[] tauWide) {
    for (int i = 0; i < k * k; i++) {
      wide[i] = s[off + i];
    }
    for (int i = 0; i < k; i++) {
      tauWide[i] = tau[tauOff + i];
    }
    BlockReflectors.recurrence(wide, k, tauWide, 0);
    for (int i = 0; i < k * k; i++) {
      s[off + i] = (float) wide[i];
    }
  }

  /**
   * Loads the reflectors below the diagonal of the plain {@code panel} ({@code m x k}) with their T already formed
   * (the {@code k x k} {@code tIn}, as {@link HouseholderQr}'s recursive panel leaves it). Returns this.
   */
  FloatBlockReflectors load(FMatrix panel, FMatrix tIn) {
    reserve(panel);
    tIn.copyInto(t());
    return this;
  }

  /**
   * Writes the reflectors below the diagonal of the {@code r x c} panel ({@code r >= c}, any layout) as an explicit
   * unit lower trapezoidal V to {@code dst[off ..]}, column-major with ld r; returns it.
   */
  static FMatrix unitLower(FMatrix panel, float[] dst, int off) {
    float[] src = panel.data();
    int r = panel.rows();
    int c = panel.cols();
    boolean plain = !panel.isTransposed();
    for (int j = 0; j < c; j++) {
      int col = off + j * r;
      Arrays.fill(dst, col, col + j, 0f);
      dst[col + j] = 1f;
      if (plain) {
        System.arraycopy(src, panel.index(j + 1, j), dst, col + j + 1, r - j - 1);
      } else {
        for (int i = j + 1; i < r; i++) {
          dst[col + i] = src[panel.index(i, j)];
        }
      }
    }
    return FMatrix.wrap(dst, off, r, c, Math.max(1, r));
  }

  /** A view of T ({@code k x k}, upper triangular); the next {@link #load} overwrites it. */
  public FMatrix t() {
    return FMatrix.wrap(t, 0, k, k, Math.max(1, k));
  }

  /** {@code C := H C}, or {@code C := H^T C} with {@code transpose}, for C with {@code m} rows (any layout). */
  public void applyLeft(FMatrix c, boolean transpose) {
    applyLeft(c, transpose, 1);
  }

  /**
   * {@link #applyLeft(FMatrix, boolean)} on up to {@code threads} threads, C's columns in slabs as
   * {@link BlockReflectors#applyLeft(DMatrix, boolean, int)}; the result does not depend on the thread count.
   *
   * @throws IllegalArgumentException if C is null or does not have {@code m} rows, or {@code threads < 1}
   */
  public void applyLeft(FMatrix c, boolean transpose, int threads) {
    if (c == null) {
      throw new IllegalArgumentException("matrix C is null");
    }
    BlockReflectors.requireApplicable(m, false, c.rows(), c.cols());
    int n = c.cols();
    if (k == 0 || n == 0) {
      return;
    }
    if (w.length < n * k) {
      w = new float[Math.multiplyExact(n, k)];
      w2 = new float[n * k];
    }
    FMatrix vv = vMatrix();
    boolean tallLeft = BlockReflectors.tall && !c.isTransposed();
    Parallel.forSlabs(threads, 4.0 * m * n * k, n, BlockReflectors.SLAB_UNIT, (lo, hi) -> {
      int len = hi - lo;
      FMatrix cs = c.view(0, lo, m, len);
      if (tallLeft) {
        // W^T = V^T C with C read in place (TallGemm), then C -= V (op(T) W^T), as BlockReflectors does.
        FMatrix wt = FMatrix.wrap(w, lo * k, k, len, k);
        FMatrix wt2 = FMatrix.wrap(w2, lo * k, k, len, k);
        TallGemm.atb(1f, vv, cs, 0f, wt);
        Gemm.gemm(1f, transpose ? t().transpose() : t(), wt, 0f, wt2);
        Gemm.gemm(-1f, vv, wt2, 1f, cs);
        return;
      }
      FMatrix ww = FMatrix.wrap(w, lo, len, k, n);
      FMatrix ww2 = FMatrix.wrap(w2, lo, len, k, n);
      // W = C^T V, W := W op(T)^T, C := C - V W^T (BlockReflectors' left form).
      Gemm.gemm(1f, cs.transpose(), vv, 0f, ww);
      Gemm.gemm(1f, ww, transpose ? t() : t().transpose(), 0f, ww2);
      Gemm.gemm(-1f, vv, ww2.transpose(), 1f, cs);
    });
  }

  private FMatrix vMatrix() {
    return FMatrix.wrap(v, 0, m, k, Math.max(1, m));
  }
}
