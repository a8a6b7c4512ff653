package dev.cartan.kernels.linalg;

import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.Gemm;
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
   * Loads the reflectors below the diagonal of {@code panel} ({@code m x k}, {@code m >= k}, not a transposed view;
   * its diagonal and upper triangle are not read) with scalars {@code tau[tauOff .. tauOff+k-1]}, and forms T.
   * Returns this.
   *
   * @throws IllegalArgumentException if an argument is null or transposed, {@code m < k}, or tau is too short
   */
  public FloatBlockReflectors load(FMatrix panel, float[] tau, int tauOff) {
    if (panel == null || panel.isTransposed()) {
      throw new IllegalArgumentException("reflector panel is " + (panel == null ? "null" : "a transposed view"));
    }
    if (tau == null) {
      throw new IllegalArgumentException("tau is null");
    }
    m = panel.rows();
    k = panel.cols();
    BlockReflectors.requireBlock(m, k, tau.length, tauOff);
    if (v.length < m * k) {
      v = new float[Math.multiplyExact(m, k)];
    }
    if (t.length < k * k) {
      t = new float[k * k];
      wide = new double[k * k];
      tauWide = new double[k];
    }
    float[] src = panel.data();
    for (int j = 0; j < k; j++) {
      int col = j * m;
      Arrays.fill(v, col, col + j, 0f);
      v[col + j] = 1f;
      System.arraycopy(src, panel.index(j + 1, j), v, col + j + 1, m - j - 1);
    }
    if (k > 0) {
      FMatrix vv = vMatrix();
      Gemm.gemm(1f, vv.transpose(), vv, 0f, t());
      for (int i = 0; i < k * k; i++) {
        wide[i] = t[i];
      }
      for (int i = 0; i < k; i++) {
        tauWide[i] = tau[tauOff + i];
      }
      BlockReflectors.recurrence(wide, k, tauWide, 0);
      for (int i = 0; i < k * k; i++) {
        t[i] = (float) wide[i];
      }
    }
    return this;
  }

  /** A view of T ({@code k x k}, upper triangular); the next {@link #load} overwrites it. */
  public FMatrix t() {
    return FMatrix.wrap(t, 0, k, k, Math.max(1, k));
  }

  /** {@code C := H C}, or {@code C := H^T C} with {@code transpose}, for C with {@code m} rows (any layout). */
  public void applyLeft(FMatrix c, boolean transpose) {
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
    FMatrix ww = FMatrix.wrap(w, 0, n, k, n);
    FMatrix ww2 = FMatrix.wrap(w2, 0, n, k, n);
    // W = C^T V, W := W op(T)^T, C := C - V W^T (BlockReflectors' left form).
    Gemm.gemm(1f, c.transpose(), vv, 0f, ww);
    Gemm.gemm(1f, ww, transpose ? t() : t().transpose(), 0f, ww2);
    Gemm.gemm(-1f, vv, ww2.transpose(), 1f, c);
  }

  private FMatrix vMatrix() {
    return FMatrix.wrap(v, 0, m, k, Math.max(1, m));
  }
}
