package dev.cartan.kernels;

/**
 * Plain-Java float64 primitives. The SIMD provider's loops call the static helpers here for their tails, so
 * both providers share one definition of every edge case.
 */
public class ScalarDoubleKernels implements DoubleKernels {
  /**
   * Sums of squares at or above this value lost nothing to underflow (each lost square is below 2^-1022, and
   * n * 2^-1022 is far below eps * 2^-900 for any array length), and below 2^1000 they are far from overflow.
   */
  public static final double SSQ_SAFE_MIN = 0x1p-900;

  /** Upper end of the range where an unscaled sum of squares is trusted (see {@link #SSQ_SAFE_MIN}). */
  public static final double SSQ_SAFE_MAX = 0x1p1000;

  @Override
  public double dot(int n, double[] x, int xOff, double[] y, int yOff) {
    return dotTail(0, n, x, xOff, y, yOff);
  }

  /** Dot product of elements {@code [from, to)} with four partial sums. */
  public static double dotTail(int from, int to, double[] x, int xOff, double[] y, int yOff) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
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
  public void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
    axpyTail(0, n, alpha, x, xOff, y, yOff);
  }

  /** {@code y[i] += alpha * x[i]} for {@code i} in {@code [from, to)}. */
  public static void axpyTail(int from, int to, double alpha, double[] x, int xOff, double[] y, int yOff) {
    for (int i = from; i < to; i++) {
      y[yOff + i] += alpha * x[xOff + i];
    }
  }

  @Override
  public void scal(int n, double alpha, double[] x, int xOff) {
    scalTail(0, n, alpha, x, xOff);
  }

  /** {@code x[i] *= alpha} for {@code i} in {@code [from, to)}. */
  public static void scalTail(int from, int to, double alpha, double[] x, int xOff) {
    for (int i = from; i < to; i++) {
      x[xOff + i] *= alpha;
    }
  }

  @Override
  public double amax(int n, double[] x, int xOff) {
    return amaxTail(0, n, x, xOff, 0.0);
  }

  /** {@code max(start, max_i |x[i]|)} over {@code [from, to)}; NaN if any of them is NaN. */
  public static double amaxTail(int from, int to, double[] x, int xOff, double start) {
    double m = start;
    for (int i = from; i < to; i++) {
      double a = Math.abs(x[xOff + i]);
      // Math.max propagates NaN, so a NaN anywhere makes the result NaN.
      m = Math.max(m, a);
    }
    return m;
  }

  @Override
  public double sumSquares(int n, double[] x, int xOff) {
    return dotTail(0, n, x, xOff, x, xOff);
  }

  @Override
  public double nrm2(int n, double[] x, int xOff) {
    double ssq = sumSquares(n, x, xOff);
    if (ssq >= SSQ_SAFE_MIN && ssq <= SSQ_SAFE_MAX) {
      return Math.sqrt(ssq);
    }
    return scaledNorm(this, n, x, xOff, ssq);
  }

  /**
   * The slow path of nrm2: the unscaled sum of squares {@code ssq} overflowed or may have lost entries to
   * underflow, so scale by the largest magnitude (a power of two, so scaling is exact) and sum again.
   */
  public static double scaledNorm(DoubleKernels k, int n, double[] x, int xOff, double ssq) {
    if (Double.isNaN(ssq)) {
      return Double.NaN;
    }
    double max = k.amax(n, x, xOff);
    if (max == 0.0 || Double.isNaN(max)) {
      return max;
    }
    if (Double.isInfinite(max)) {
      return Double.POSITIVE_INFINITY;
    }
    int e = Math.getExponent(max);
    double down = Math.scalb(1.0, -e);
    double s = 0;
    double c0 = 0, c1 = 0;
    int i = 0;
    for (; i + 1 < n; i += 2) {
      double a = x[xOff + i] * down;
      double b = x[xOff + i + 1] * down;
      c0 += a * a;
      c1 += b * b;
    }
    for (; i < n; i++) {
      double a = x[xOff + i] * down;
      c0 += a * a;
    }
    s = c0 + c1;
    return Math.scalb(Math.sqrt(s), e);
  }

  @Override
  public void rotate(int n, double[] x, int xOff, double[] y, int yOff, double c, double s, double[] out) {
    out[0] = 0;
    out[1] = 0;
    out[2] = 0;
    rotateTail(0, n, x, xOff, y, yOff, c, s, out);
  }

  @Override
  public void rot(int n, double[] x, int xOff, double[] y, int yOff, double c, double s) {
    rotTail(0, n, x, xOff, y, yOff, c, s);
  }

  /** Rotates elements {@code [from, to)}, with the products rounded as in {@link #rotateTail}. */
  public static void rotTail(int from, int to, double[] x, int xOff, double[] y, int yOff, double c, double s) {
    for (int i = from; i < to; i++) {
      double a = x[xOff + i];
      double b = y[yOff + i];
      x[xOff + i] = c * a - s * b;
      y[yOff + i] = s * a + c * b;
    }
  }

  /** Rotates elements {@code [from, to)} and adds their squares and product to {@code out[0..2]}. */
  public static void rotateTail(int from, int to, double[] x, int xOff, double[] y, int yOff, double c,
      double s, double[] out) {
    double xx = 0, yy = 0, xy = 0;
    for (int i = from; i < to; i++) {
      double a = x[xOff + i];
      double b = y[yOff + i];
      double u = c * a - s * b;
      double v = s * a + c * b;
      x[xOff + i] = u;
      y[yOff + i] = v;
      xx += u * u;
      yy += v * v;
      xy += u * v;
    }
    out[0] += xx;
    out[1] += yy;
    out[2] += xy;
  }

  @Override
  public double householder(int n, double[] x, int xOff) {
    return householder(this, n, x, xOff);
  }

  /** dlarfg written once against the primitives (nrm2, scal), so both providers share it. */
  static double householder(DoubleKernels k, int n, double[] x, int xOff) {
    if (n <= 1) {
      return 0.0;
    }
    double alpha = x[xOff];
    double xnorm = k.nrm2(n - 1, x, xOff + 1);
    if (xnorm == 0.0) {
      return 0.0;
    }
    double beta = -Math.copySign(Math.hypot(alpha, xnorm), alpha);
    double safmin = Double.MIN_NORMAL / Math.ulp(1.0);
    int knt = 0;
    // Rescale a tiny vector so that beta and the reflector are computed to full accuracy (as dlarfg).
    while (Math.abs(beta) < safmin && knt < 20) {
      knt++;
      k.scal(n - 1, 1.0 / safmin, x, xOff + 1);
      beta /= safmin;
      alpha /= safmin;
    }
    if (knt > 0) {
      xnorm = k.nrm2(n - 1, x, xOff + 1);
      beta = -Math.copySign(Math.hypot(alpha, xnorm), alpha);
    }
    double tau = (beta - alpha) / beta;
    k.scal(n - 1, 1.0 / (alpha - beta), x, xOff + 1);
    for (int j = 0; j < knt; j++) {
      beta *= safmin;
    }
    x[xOff] = beta;
    return tau;
  }

  @Override
  public void applyHouseholderLeft(int m, int n, double[] v, int vOff, double tau, double[] c, int cOff,
      int ldc, double[] work) {
    applyHouseholderLeft(this, m, n, v, vOff, tau, c, cOff, ldc);
  }

  /** {@code C -= tau v (v^T C)}, one column at a time: a dot and an axpy on contiguous memory. */
  static void applyHouseholderLeft(DoubleKernels k, int m, int n, double[] v, int vOff, double tau, double[] c,
      int cOff, int ldc) {
    if (tau == 0.0 || m == 0) {
      return;
    }
    for (int j = 0; j < n; j++) {
      int col = cOff + j * ldc;
      double w = c[col] + k.dot(m - 1, v, vOff + 1, c, col + 1);
      double t = -tau * w;
      c[col] += t;
      k.axpy(m - 1, t, v, vOff + 1, c, col + 1);
    }
  }

  @Override
  public void applyHouseholderRight(int m, int n, double[] v, int vOff, double tau, double[] c, int cOff,
      int ldc, double[] work) {
    applyHouseholderRight(this, m, n, v, vOff, tau, c, cOff, ldc, work);
  }

  /** {@code w = C v} by axpys over columns, then {@code C -= tau w v^T}, again by columns. */
  static void applyHouseholderRight(DoubleKernels k, int m, int n, double[] v, int vOff, double tau,
      double[] c, int cOff, int ldc, double[] work) {
    if (tau == 0.0 || n == 0) {
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
  public void reflectLeft(int m, int n, double[] v, int vOff, double tau, double[] c, int cOff, int ldc,
      double[] work) {
    reflectLeft(this, m, n, v, vOff, tau, c, cOff, ldc, work);
  }

  /** {@code w = C^T v} (gemvTransposed), then {@code C -= tau v w^T} by axpys over columns. */
  static void reflectLeft(DoubleKernels k, int m, int n, double[] v, int vOff, double tau, double[] c, int cOff,
      int ldc, double[] work) {
    if (tau == 0.0 || m == 0 || n == 0) {
      return;
    }
    k.gemvTransposed(m, n, 1.0, c, cOff, ldc, v, vOff, 0.0, work, 0);
    for (int j = 0; j < n; j++) {
      k.axpy(m, -tau * work[j], v, vOff, c, cOff + j * ldc);
    }
  }

  @Override
  public void reflectRight(int m, int n, double[] v, int vOff, double tau, double[] c, int cOff, int ldc,
      double[] work) {
    reflectRight(this, m, n, v, vOff, tau, c, cOff, ldc, work);
  }

  /** {@code w = C v} (gemv), then {@code C -= tau w v^T} by axpys over columns. */
  static void reflectRight(DoubleKernels k, int m, int n, double[] v, int vOff, double tau, double[] c, int cOff,
      int ldc, double[] work) {
    if (tau == 0.0 || m == 0 || n == 0) {
      return;
    }
    k.gemv(m, n, 1.0, c, cOff, ldc, v, vOff, 0.0, work, 0);
    for (int j = 0; j < n; j++) {
      k.axpy(m, -tau * v[vOff + j], work, 0, c, cOff + j * ldc);
    }
  }

  @Override
  public void gemv(int m, int n, double alpha, double[] a, int aOff, int lda, double[] x, int xOff,
      double beta, double[] y, int yOff) {
    gemv(this, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
  }

  static void gemv(DoubleKernels k, int m, int n, double alpha, double[] a, int aOff, int lda, double[] x,
      int xOff, double beta, double[] y, int yOff) {
    scaleY(m, beta, y, yOff);
    // No skip of zero x[j] (reference BLAS has one): the SIMD provider fuses four columns, and both providers
    // must agree when A holds Inf or NaN (0 * Inf = NaN in both).
    for (int j = 0; j < n; j++) {
      k.axpy(m, alpha * x[xOff + j], a, aOff + j * lda, y, yOff);
    }
  }

  @Override
  public void gemvTransposed(int m, int n, double alpha, double[] a, int aOff, int lda, double[] x, int xOff,
      double beta, double[] y, int yOff) {
    gemvTransposed(this, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
  }

  static void gemvTransposed(DoubleKernels k, int m, int n, double alpha, double[] a, int aOff, int lda,
      double[] x, int xOff, double beta, double[] y, int yOff) {
    for (int j = 0; j < n; j++) {
      double d = k.dot(m, a, aOff + j * lda, x, xOff);
      y[yOff + j] = (beta == 0.0 ? 0.0 : beta * y[yOff + j]) + alpha * d;
    }
  }

  /** {@code y := beta y} with the BLAS convention that beta = 0 overwrites y (so NaN in y does not survive). */
  public static void scaleY(int m, double beta, double[] y, int yOff) {
    if (beta == 1.0) {
      return;
    }
    for (int i = 0; i < m; i++) {
      y[yOff + i] = beta == 0.0 ? 0.0 : beta * y[yOff + i];
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
  public void gemmMicroKernel(int kc, double[] pa, int paOff, double[] pb, int pbOff, double[] c, int cOff, int ldc) {
    gemmMicroKernelStrided(kc, pa, paOff, pb, pbOff, GEMM_NR, 1, c, cOff, ldc);
  }

  /**
   * A 4 x 4 tile in 16 local accumulators, unrolled so the JIT keeps them in registers: 16 independent
   * multiply-adds per step hide the add latency, and 4 + 4 loads feed 16 multiplies. B's element (p, j) at
   * {@code pbOff + p rs + j cs}. No allocation per call.
   */
  @Override
  public void gemmMicroKernelStrided(int kc, double[] pa, int paOff, double[] pb, int pbOff, int rs, int cs,
      double[] c, int cOff, int ldc) {
    double c00 = 0, c10 = 0, c01 = 0, c11 = 0, c02 = 0, c12 = 0, c03 = 0, c13 = 0;
    double c20 = 0, c30 = 0, c21 = 0, c31 = 0, c22 = 0, c32 = 0, c23 = 0, c33 = 0;
    for (int p = 0; p < kc; p++) {
      int ao = paOff + 4 * p;
      int bo = pbOff + p * rs;
      double a0 = pa[ao], a1 = pa[ao + 1], a2 = pa[ao + 2], a3 = pa[ao + 3];
      double b0 = pb[bo + 0];
      c00 += a0 * b0; c10 += a1 * b0; c20 += a2 * b0; c30 += a3 * b0;
      double b1 = pb[bo + 1 * cs];
      c01 += a0 * b1; c11 += a1 * b1; c21 += a2 * b1; c31 += a3 * b1;
      double b2 = pb[bo + 2 * cs];
      c02 += a0 * b2; c12 += a1 * b2; c22 += a2 * b2; c32 += a3 * b2;
      double b3 = pb[bo + 3 * cs];
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
