package dev.cartan.kernels;

/**
 * Plain-Java float32 primitives. Products and sums are float32 except where noted: sums of squares and norms
 * accumulate in float64 (they feed convergence tests and scaling decisions), as do the rotation's by-products.
 * The SIMD provider's loops call the static helpers here for their tails.
 */
public class ScalarFloatKernels implements FloatKernels {

  @Override
  public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
    return dotTail(0, n, x, xOff, y, yOff);
  }

  /** Dot product of elements {@code [from, to)} with four float32 partial sums. */
  public static float dotTail(int from, int to, float[] x, int xOff, float[] y, int yOff) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int i = from;
    for (; i + 3 < to; i += 4) {
      s0 += x[xOff + i] * y[yOff + i];
      s1 += x[xOff + i + 1] * y[yOff + i + 1];
      s2 += x[xOff + i + 2] * y[yOff + i + 2];
      s3 += x[xOff + i + 3] * y[yOff + i + 3];
    }
    for (; i < to; i++) {
      s0 += x[xOff + i] * y[yOff + i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  @Override
  public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    axpyTail(0, n, alpha, x, xOff, y, yOff);
  }

  /** {@code y[i] += alpha * x[i]} for {@code i} in {@code [from, to)}. */
  public static void axpyTail(int from, int to, float alpha, float[] x, int xOff, float[] y, int yOff) {
    for (int i = from; i < to; i++) {
      y[yOff + i] += alpha * x[xOff + i];
    }
  }

  @Override
  public void scal(int n, float alpha, float[] x, int xOff) {
    scalTail(0, n, alpha, x, xOff);
  }

  /** {@code x[i] *= alpha} for {@code i} in {@code [from, to)}. */
  public static void scalTail(int from, int to, float alpha, float[] x, int xOff) {
    for (int i = from; i < to; i++) {
      x[xOff + i] *= alpha;
    }
  }

  @Override
  public float amax(int n, float[] x, int xOff) {
    return amaxTail(0, n, x, xOff, 0f);
  }

  /** {@code max(start, max_i |x[i]|)} over {@code [from, to)}; NaN if any of them is NaN. */
  public static float amaxTail(int from, int to, float[] x, int xOff, float start) {
    float m = start;
    for (int i = from; i < to; i++) {
      m = Math.max(m, Math.abs(x[xOff + i]));
    }
    return m;
  }

  @Override
  public double sumSquares(int n, float[] x, int xOff) {
    return sumSquaresTail(0, n, x, xOff);
  }

  /** Sum of squares of elements {@code [from, to)} in float64 (a float32 squared cannot overflow float64). */
  public static double sumSquaresTail(int from, int to, float[] x, int xOff) {
    double s0 = 0, s1 = 0;
    int i = from;
    for (; i + 1 < to; i += 2) {
      double a = x[xOff + i];
      double b = x[xOff + i + 1];
      s0 += a * a;
      s1 += b * b;
    }
    for (; i < to; i++) {
      double a = x[xOff + i];
      s0 += a * a;
    }
    return s0 + s1;
  }

  /** Exact in float64: squares of float32 values neither overflow nor underflow there. */
  @Override
  public double nrm2(int n, float[] x, int xOff) {
    return Math.sqrt(sumSquares(n, x, xOff));
  }

  @Override
  public void rotate(int n, float[] x, int xOff, float[] y, int yOff, float c, float s, double[] out) {
    out[0] = 0;
    out[1] = 0;
    out[2] = 0;
    rotateTail(0, n, x, xOff, y, yOff, c, s, out);
  }

  /** Rotates elements {@code [from, to)} and adds their squares and product (float64) to {@code out[0..2]}. */
  public static void rotateTail(int from, int to, float[] x, int xOff, float[] y, int yOff, float c, float s,
      double[] out) {
    double xx = 0, yy = 0, xy = 0;
    for (int i = from; i < to; i++) {
      float a = x[xOff + i];
      float b = y[yOff + i];
      float u = c * a - s * b;
      float v = s * a + c * b;
      x[xOff + i] = u;
      y[yOff + i] = v;
      xx += (double) u * u;
      yy += (double) v * v;
      xy += (double) u * v;
    }
    out[0] += xx;
    out[1] += yy;
    out[2] += xy;
  }

  @Override
  public float householder(int n, float[] x, int xOff) {
    return householder(this, n, x, xOff);
  }

  /**
   * slarfg written once against the primitives; beta and tau are formed in float64 from the float64 norm, so no
   * rescaling loop is needed.
   */
  static float householder(FloatKernels k, int n, float[] x, int xOff) {
    if (n <= 1) {
      return 0f;
    }
    double alpha = x[xOff];
    double xnorm = k.nrm2(n - 1, x, xOff + 1);
    if (xnorm == 0.0) {
      return 0f;
    }
    double beta = -Math.copySign(Math.hypot(alpha, xnorm), alpha);
    double tau = (beta - alpha) / beta;
    double scale = 1.0 / (alpha - beta);
    for (int i = 1; i < n; i++) {
      x[xOff + i] = (float) (x[xOff + i] * scale);
    }
    x[xOff] = (float) beta;
    return (float) tau;
  }

  @Override
  public void applyHouseholderLeft(int m, int n, float[] v, int vOff, float tau, float[] c, int cOff, int ldc,
      float[] work) {
    applyHouseholderLeft(this, m, n, v, vOff, tau, c, cOff, ldc);
  }

  static void applyHouseholderLeft(FloatKernels k, int m, int n, float[] v, int vOff, float tau, float[] c,
      int cOff, int ldc) {
    if (tau == 0f || m == 0) {
      return;
    }
    for (int j = 0; j < n; j++) {
      int col = cOff + j * ldc;
      float w = c[col] + k.dot(m - 1, v, vOff + 1, c, col + 1);
      float t = -tau * w;
      c[col] += t;
      k.axpy(m - 1, t, v, vOff + 1, c, col + 1);
    }
  }

  @Override
  public void applyHouseholderRight(int m, int n, float[] v, int vOff, float tau, float[] c, int cOff, int ldc,
      float[] work) {
    applyHouseholderRight(this, m, n, v, vOff, tau, c, cOff, ldc, work);
  }

  static void applyHouseholderRight(FloatKernels k, int m, int n, float[] v, int vOff, float tau, float[] c,
      int cOff, int ldc, float[] work) {
    if (tau == 0f || n == 0) {
      return;
    }
    System.arraycopy(c, cOff, work, 0, m);
    for (int j = 1; j < n; j++) {
      k.axpy(m, v[vOff + j], c, cOff + j * ldc, work, 0);
    }
    k.axpy(m, -tau, work, 0, c, cOff);
    for (int j = 1; j < n; j++) {
      k.axpy(m, -tau * v[vOff + j], work, 0, c, cOff + j * ldc);
    }
  }

  @Override
  public void gemv(int m, int n, float alpha, float[] a, int aOff, int lda, float[] x, int xOff, float beta,
      float[] y, int yOff) {
    gemv(this, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
  }

  static void gemv(FloatKernels k, int m, int n, float alpha, float[] a, int aOff, int lda, float[] x, int xOff,
      float beta, float[] y, int yOff) {
    scaleY(m, beta, y, yOff);
    // No skip of zero x[j]: the SIMD provider fuses four columns, and both providers must agree on Inf/NaN in A.
    for (int j = 0; j < n; j++) {
      k.axpy(m, alpha * x[xOff + j], a, aOff + j * lda, y, yOff);
    }
  }

  /** {@code y := beta y} with the BLAS convention that beta = 0 overwrites y (so NaN in y does not survive). */
  public static void scaleY(int m, float beta, float[] y, int yOff) {
    if (beta == 1f) {
      return;
    }
    for (int i = 0; i < m; i++) {
      y[yOff + i] = beta == 0f ? 0f : beta * y[yOff + i];
    }
  }

  @Override
  public void gemvTransposed(int m, int n, float alpha, float[] a, int aOff, int lda, float[] x, int xOff,
      float beta, float[] y, int yOff) {
    gemvTransposed(this, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
  }

  static void gemvTransposed(FloatKernels k, int m, int n, float alpha, float[] a, int aOff, int lda, float[] x,
      int xOff, float beta, float[] y, int yOff) {
    for (int j = 0; j < n; j++) {
      float d = k.dot(m, a, aOff + j * lda, x, xOff);
      y[yOff + j] = (beta == 0f ? 0f : beta * y[yOff + j]) + alpha * d;
    }
  }

  /** Rows of the scalar micro-tile. */
  static final int GEMM_MR = 4;

  /** Columns of the scalar micro-tile. */
  static final int GEMM_NR = 4;

  @Override
  public int gemmMr() {
    return GEMM_MR;
  }

  @Override
  public int gemmNr() {
    return GEMM_NR;
  }

  /** The strided kernel on the packed layout ({@code rs = nr, cs = 1}): one loop for both. */
  @Override
  public void gemmMicroKernel(int kc, float[] pa, int paOff, float[] pb, int pbOff, float[] c, int cOff, int ldc) {
    gemmMicroKernelStrided(kc, pa, paOff, pb, pbOff, GEMM_NR, 1, c, cOff, ldc);
  }

  /**
   * A 4 x 4 tile in 16 local accumulators, unrolled so the JIT keeps them in registers: 16 independent
   * multiply-adds per step hide the add latency, and 4 + 4 loads feed 16 multiplies. B's element (p, j) at
   * {@code pbOff + p rs + j cs}. No allocation per call.
   */
  @Override
  public void gemmMicroKernelStrided(int kc, float[] pa, int paOff, float[] pb, int pbOff, int rs, int cs,
      float[] c, int cOff, int ldc) {
    float c00 = 0f, c10 = 0f, c01 = 0f, c11 = 0f, c02 = 0f, c12 = 0f, c03 = 0f, c13 = 0f;
    float c20 = 0f, c30 = 0f, c21 = 0f, c31 = 0f, c22 = 0f, c32 = 0f, c23 = 0f, c33 = 0f;
    for (int p = 0; p < kc; p++) {
      int ao = paOff + 4 * p;
      int bo = pbOff + p * rs;
      float a0 = pa[ao], a1 = pa[ao + 1], a2 = pa[ao + 2], a3 = pa[ao + 3];
      float b0 = pb[bo + 0];
      c00 += a0 * b0; c10 += a1 * b0; c20 += a2 * b0; c30 += a3 * b0;
      float b1 = pb[bo + 1 * cs];
      c01 += a0 * b1; c11 += a1 * b1; c21 += a2 * b1; c31 += a3 * b1;
      float b2 = pb[bo + 2 * cs];
      c02 += a0 * b2; c12 += a1 * b2; c22 += a2 * b2; c32 += a3 * b2;
      float b3 = pb[bo + 3 * cs];
      c03 += a0 * b3; c13 += a1 * b3; c23 += a2 * b3; c33 += a3 * b3;
    }
    int o0 = cOff + 0 * ldc;
    c[o0] += c00; c[o0 + 1] += c10; c[o0 + 2] += c20; c[o0 + 3] += c30;
    int o1 = cOff + 1 * ldc;
    c[o1] += c01; c[o1 + 1] += c11; c[o1 + 2] += c21; c[o1 + 3] += c31;
    int o2 = cOff + 2 * ldc;
    c[o2] += c02; c[o2 + 1] += c12; c[o2 + 2] += c22; c[o2 + 3] += c32;
    int o3 = cOff + 3 * ldc;
    c[o3] += c03; c[o3 + 1] += c13; c[o3 + 2] += c23; c[o3 + 3] += c33;
  }
}
