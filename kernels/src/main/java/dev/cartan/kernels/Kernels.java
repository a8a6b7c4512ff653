package dev.cartan.kernels;

/**
 * The checked entry point to Cartan's primitives: every method validates its arguments, then dispatches to
 * {@link KernelProvider#get()} ({@link DoubleKernels} for float64, {@link FloatKernels} for float32), whose
 * implementations do no checking of their own.
 *
 * <p>Conventions: vectors are {@code (array, offset)} with unit stride and must hold {@code n} elements from the
 * offset; matrices are column-major {@code (array, offset, ld)} with element (i, j) at {@code offset + i + j ld},
 * {@code ld >= max(1, rows)}, and must hold every element of the {@code rows x cols} block. Violations throw
 * {@link IllegalArgumentException} naming the argument. Values are not checked for NaN or infinity (that would
 * cost a pass over the data); use {@link #requireFinite(String, double[])} where the input comes from outside.
 * The GEMM micro-kernel is not exposed here: use {@link Gemm}.
 */
public final class Kernels {
  private Kernels() {}

  private static DoubleKernels d() {
    return KernelProvider.get().f64();
  }

  private static FloatKernels f() {
    return KernelProvider.get().f32();
  }

  // ---------------------------------------------------------------- float64

  /** {@code sum_i x[i] y[i]} over {@code n} elements. */
  public static double dot(int n, double[] x, int xOff, double[] y, int yOff) {
    checkVector("x", n, x == null ? -1 : x.length, xOff);
    checkVector("y", n, y == null ? -1 : y.length, yOff);
    return d().dot(n, x, xOff, y, yOff);
  }

  /** {@code y[i] += alpha x[i]} for {@code n} elements. */
  public static void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
    checkVector("x", n, x == null ? -1 : x.length, xOff);
    checkVector("y", n, y == null ? -1 : y.length, yOff);
    d().axpy(n, alpha, x, xOff, y, yOff);
  }

  /** {@code x[i] *= alpha} for {@code n} elements. */
  public static void scal(int n, double alpha, double[] x, int xOff) {
    checkVector("x", n, x == null ? -1 : x.length, xOff);
    d().scal(n, alpha, x, xOff);
  }

  /** {@code max_i |x[i]|} over {@code n} elements; 0 for n = 0, NaN if any element is NaN. */
  public static double amax(int n, double[] x, int xOff) {
    checkVector("x", n, x == null ? -1 : x.length, xOff);
    return d().amax(n, x, xOff);
  }

  /** {@code sum_i x[i]^2}, unscaled: may overflow to infinity or lose tiny entries; see {@link #nrm2}. */
  public static double sumSquares(int n, double[] x, int xOff) {
    checkVector("x", n, x == null ? -1 : x.length, xOff);
    return d().sumSquares(n, x, xOff);
  }

  /** Euclidean norm {@code sqrt(sum_i x[i]^2)}, accurate for entries anywhere in the float64 range. */
  public static double nrm2(int n, double[] x, int xOff) {
    checkVector("x", n, x == null ? -1 : x.length, xOff);
    return d().nrm2(n, x, xOff);
  }

  /**
   * Rotates the pair in place, {@code x' = c x - s y}, {@code y' = s x + c y}, and writes {@code |x'|^2},
   * {@code |y'|^2}, {@code x'.y'} to {@code out[0..2]} (see {@link DoubleKernels#rotate}).
   */
  public static void rotate(int n, double[] x, int xOff, double[] y, int yOff, double c, double s,
      double[] out) {
    checkVector("x", n, x == null ? -1 : x.length, xOff);
    checkVector("y", n, y == null ? -1 : y.length, yOff);
    checkOut(out);
    d().rotate(n, x, xOff, y, yOff, c, s, out);
  }

  /**
   * Generates the elementary reflector of the {@code n} elements at {@code x[xOff]} in place and returns tau
   * (LAPACK dlarfg; see {@link DoubleKernels#householder}).
   */
  public static double householder(int n, double[] x, int xOff) {
    checkVector("x", n, x == null ? -1 : x.length, xOff);
    return d().householder(n, x, xOff);
  }

  /**
   * {@code C := (I - tau v v^T) C} for the {@code m x n} block C; v has m elements (the first taken as 1),
   * {@code work} at least n.
   */
  public static void applyHouseholderLeft(int m, int n, double[] v, int vOff, double tau, double[] c, int cOff,
      int ldc, double[] work) {
    checkMatrix("C", m, n, c == null ? -1 : c.length, cOff, ldc);
    checkVector("v", m, v == null ? -1 : v.length, vOff);
    checkWork(n, work == null ? -1 : work.length);
    d().applyHouseholderLeft(m, n, v, vOff, tau, c, cOff, ldc, work);
  }

  /**
   * {@code C := C (I - tau v v^T)} for the {@code m x n} block C; v has n elements (the first taken as 1),
   * {@code work} at least m.
   */
  public static void applyHouseholderRight(int m, int n, double[] v, int vOff, double tau, double[] c,
      int cOff, int ldc, double[] work) {
    checkMatrix("C", m, n, c == null ? -1 : c.length, cOff, ldc);
    checkVector("v", n, v == null ? -1 : v.length, vOff);
    checkWork(m, work == null ? -1 : work.length);
    d().applyHouseholderRight(m, n, v, vOff, tau, c, cOff, ldc, work);
  }

  /** {@code y := alpha A x + beta y} for the {@code m x n} matrix A; x has n elements, y has m. */
  public static void gemv(int m, int n, double alpha, double[] a, int aOff, int lda, double[] x, int xOff,
      double beta, double[] y, int yOff) {
    checkMatrix("A", m, n, a == null ? -1 : a.length, aOff, lda);
    checkVector("x", n, x == null ? -1 : x.length, xOff);
    checkVector("y", m, y == null ? -1 : y.length, yOff);
    d().gemv(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
  }

  /** {@code y := alpha A^T x + beta y} for the {@code m x n} matrix A; x has m elements, y has n. */
  public static void gemvTransposed(int m, int n, double alpha, double[] a, int aOff, int lda, double[] x,
      int xOff, double beta, double[] y, int yOff) {
    checkMatrix("A", m, n, a == null ? -1 : a.length, aOff, lda);
    checkVector("x", m, x == null ? -1 : x.length, xOff);
    checkVector("y", n, y == null ? -1 : y.length, yOff);
    d().gemvTransposed(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
  }

  // ---------------------------------------------------------------- float32

  /** {@code sum_i x[i] y[i]} over {@code n} elements, accumulated in float32. */
  public static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
    checkVector("x", n, x == null ? -1 : x.length, xOff);
    checkVector("y", n, y == null ? -1 : y.length, yOff);
    return f().dot(n, x, xOff, y, yOff);
  }

  /** {@code y[i] += alpha x[i]} for {@code n} elements. */
  public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    checkVector("x", n, x == null ? -1 : x.length, xOff);
    checkVector("y", n, y == null ? -1 : y.length, yOff);
    f().axpy(n, alpha, x, xOff, y, yOff);
  }

  /** {@code x[i] *= alpha} for {@code n} elements. */
  public static void scal(int n, float alpha, float[] x, int xOff) {
    checkVector("x", n, x == null ? -1 : x.length, xOff);
    f().scal(n, alpha, x, xOff);
  }

  /** {@code max_i |x[i]|} over {@code n} elements; 0 for n = 0, NaN if any element is NaN. */
  public static float amax(int n, float[] x, int xOff) {
    checkVector("x", n, x == null ? -1 : x.length, xOff);
    return f().amax(n, x, xOff);
  }

  /** {@code sum_i x[i]^2} accumulated in float64 (exact squares; cannot overflow for float32 input). */
  public static double sumSquares(int n, float[] x, int xOff) {
    checkVector("x", n, x == null ? -1 : x.length, xOff);
    return f().sumSquares(n, x, xOff);
  }

  /** Euclidean norm, computed in float64. */
  public static double nrm2(int n, float[] x, int xOff) {
    checkVector("x", n, x == null ? -1 : x.length, xOff);
    return f().nrm2(n, x, xOff);
  }

  /**
   * Rotates the pair in place in float32 and writes {@code |x'|^2}, {@code |y'|^2}, {@code x'.y'} (float64) to
   * {@code out[0..2]} (see {@link FloatKernels#rotate}).
   */
  public static void rotate(int n, float[] x, int xOff, float[] y, int yOff, float c, float s, double[] out) {
    checkVector("x", n, x == null ? -1 : x.length, xOff);
    checkVector("y", n, y == null ? -1 : y.length, yOff);
    checkOut(out);
    f().rotate(n, x, xOff, y, yOff, c, s, out);
  }

  /** float32 elementary reflector (slarfg; see {@link FloatKernels#householder}); returns tau. */
  public static float householder(int n, float[] x, int xOff) {
    checkVector("x", n, x == null ? -1 : x.length, xOff);
    return f().householder(n, x, xOff);
  }

  /** float32 {@code C := (I - tau v v^T) C}; v has m elements (the first taken as 1), {@code work} at least n. */
  public static void applyHouseholderLeft(int m, int n, float[] v, int vOff, float tau, float[] c, int cOff,
      int ldc, float[] work) {
    checkMatrix("C", m, n, c == null ? -1 : c.length, cOff, ldc);
    checkVector("v", m, v == null ? -1 : v.length, vOff);
    checkWork(n, work == null ? -1 : work.length);
    f().applyHouseholderLeft(m, n, v, vOff, tau, c, cOff, ldc, work);
  }

  /** float32 {@code C := C (I - tau v v^T)}; v has n elements (the first taken as 1), {@code work} at least m. */
  public static void applyHouseholderRight(int m, int n, float[] v, int vOff, float tau, float[] c, int cOff,
      int ldc, float[] work) {
    checkMatrix("C", m, n, c == null ? -1 : c.length, cOff, ldc);
    checkVector("v", n, v == null ? -1 : v.length, vOff);
    checkWork(m, work == null ? -1 : work.length);
    f().applyHouseholderRight(m, n, v, vOff, tau, c, cOff, ldc, work);
  }

  /** float32 {@code y := alpha A x + beta y}; x has n elements, y has m. */
  public static void gemv(int m, int n, float alpha, float[] a, int aOff, int lda, float[] x, int xOff,
      float beta, float[] y, int yOff) {
    checkMatrix("A", m, n, a == null ? -1 : a.length, aOff, lda);
    checkVector("x", n, x == null ? -1 : x.length, xOff);
    checkVector("y", m, y == null ? -1 : y.length, yOff);
    f().gemv(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
  }

  /** float32 {@code y := alpha A^T x + beta y}; x has m elements, y has n. */
  public static void gemvTransposed(int m, int n, float alpha, float[] a, int aOff, int lda, float[] x,
      int xOff, float beta, float[] y, int yOff) {
    checkMatrix("A", m, n, a == null ? -1 : a.length, aOff, lda);
    checkVector("x", m, x == null ? -1 : x.length, xOff);
    checkVector("y", n, y == null ? -1 : y.length, yOff);
    f().gemvTransposed(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
  }

  // ---------------------------------------------------------------- finiteness

  /**
   * Throws {@link IllegalArgumentException} naming {@code name} and the first index holding NaN or an infinity.
   *
   * @return {@code x}, for chaining
   */
  public static double[] requireFinite(String name, double[] x) {
    if (x == null) {
      throw new IllegalArgumentException(name + " is null");
    }
    return requireFinite(name, x, 0, x.length);
  }

  /** As {@link #requireFinite(String, double[])} for the {@code n} elements from {@code off}. */
  public static double[] requireFinite(String name, double[] x, int off, int n) {
    checkVector(name, n, x == null ? -1 : x.length, off);
    for (int i = 0; i < n; i++) {
      double v = x[off + i];
      // v - v is 0 for every finite v and NaN for NaN and both infinities: one test instead of two.
      if (v - v != 0.0) {
        throw new IllegalArgumentException(name + "[" + (off + i) + "] is " + v + "; finite values required");
      }
    }
    return x;
  }

  /** float32 version of {@link #requireFinite(String, double[])}. */
  public static float[] requireFinite(String name, float[] x) {
    if (x == null) {
      throw new IllegalArgumentException(name + " is null");
    }
    return requireFinite(name, x, 0, x.length);
  }

  /** float32 version of {@link #requireFinite(String, double[], int, int)}. */
  public static float[] requireFinite(String name, float[] x, int off, int n) {
    checkVector(name, n, x == null ? -1 : x.length, off);
    for (int i = 0; i < n; i++) {
      float v = x[off + i];
      if (v - v != 0f) {
        throw new IllegalArgumentException(name + "[" + (off + i) + "] is " + v + "; finite values required");
      }
    }
    return x;
  }

  // ---------------------------------------------------------------- argument checks

  /** {@code length} is -1 for a null array. */
  private static void checkVector(String name, int n, int length, int off) {
    if (n < 0) {
      throw new IllegalArgumentException("length of " + name + " must be >= 0, got " + n);
    }
    if (length < 0) {
      throw new IllegalArgumentException(name + " is null");
    }
    if (off < 0) {
      throw new IllegalArgumentException("offset of " + name + " must be >= 0, got " + off);
    }
    if ((long) off + n > length) {
      throw new IllegalArgumentException(name + " needs " + n + " elements from offset " + off
          + " but has length " + length);
    }
  }

  private static void checkMatrix(String name, int rows, int cols, int length, int off, int ld) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException(name + " must have non-negative dimensions, got " + rows + " x " + cols);
    }
    if (length < 0) {
      throw new IllegalArgumentException(name + " is null");
    }
    if (off < 0) {
      throw new IllegalArgumentException("offset of " + name + " must be >= 0, got " + off);
    }
    if (ld < Math.max(1, rows)) {
      throw new IllegalArgumentException("leading dimension of " + name + " must be >= max(1, rows = " + rows
          + "), got " + ld);
    }
    if (rows > 0 && cols > 0) {
      long last = (long) off + (long) (cols - 1) * ld + rows;
      if (last > length) {
        throw new IllegalArgumentException(name + " (" + rows + " x " + cols + ", ld " + ld + ", offset " + off
            + ") needs " + last + " elements but has length " + length);
      }
    }
  }

  private static void checkWork(int needed, int length) {
    if (length < 0) {
      throw new IllegalArgumentException("work is null");
    }
    if (length < needed) {
      throw new IllegalArgumentException("work needs at least " + needed + " elements, has " + length);
    }
  }

  private static void checkOut(double[] out) {
    if (out == null || out.length < 3) {
      throw new IllegalArgumentException("out needs 3 elements, has " + (out == null ? "null" : out.length));
    }
  }
}
