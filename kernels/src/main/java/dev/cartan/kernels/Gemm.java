package dev.cartan.kernels;

/**
 * General matrix multiply {@code C := alpha * A * B + beta * C} on {@link DMatrix}/{@link FMatrix} views, any of
 * which may be transposed views (so {@code A^T B} is {@code gemm(alpha, a.transpose(), b, beta, c)}).
 *
 * <p>Interim implementation: a correct, unblocked triple loop. It is replaced by the packed, register-blocked
 * algorithm (Goto/van de Geijn) on the provider's micro-kernel; the signatures stay.
 */
public final class Gemm {
  private Gemm() {}

  /** {@code C := alpha A B + beta C}; beta = 0 overwrites C (NaN in C does not survive). */
  public static void gemm(double alpha, DMatrix a, DMatrix b, double beta, DMatrix c) {
    checkShapes(a.rows(), a.cols(), b.rows(), b.cols(), c.rows(), c.cols());
    int m = c.rows();
    int n = c.cols();
    int k = a.cols();
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += a.get(i, p) * b.get(p, j);
        }
        double old = beta == 0.0 ? 0.0 : beta * c.get(i, j);
        c.set(i, j, old + alpha * s);
      }
    }
  }

  /** {@code C := alpha A B + beta C} in float32; beta = 0 overwrites C. */
  public static void gemm(float alpha, FMatrix a, FMatrix b, float beta, FMatrix c) {
    checkShapes(a.rows(), a.cols(), b.rows(), b.cols(), c.rows(), c.cols());
    int m = c.rows();
    int n = c.cols();
    int k = a.cols();
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        float s = 0;
        for (int p = 0; p < k; p++) {
          s += a.get(i, p) * b.get(p, j);
        }
        float old = beta == 0f ? 0f : beta * c.get(i, j);
        c.set(i, j, old + alpha * s);
      }
    }
  }

  /** A new matrix {@code A B}. */
  public static DMatrix multiply(DMatrix a, DMatrix b) {
    DMatrix c = DMatrix.zeros(a.rows(), b.cols());
    gemm(1.0, a, b, 0.0, c);
    return c;
  }

  /** A new matrix {@code A B}. */
  public static FMatrix multiply(FMatrix a, FMatrix b) {
    FMatrix c = FMatrix.zeros(a.rows(), b.cols());
    gemm(1f, a, b, 0f, c);
    return c;
  }

  static void checkShapes(int ar, int ac, int br, int bc, int cr, int cc) {
    if (ac != br || ar != cr || bc != cc) {
      throw new IllegalArgumentException(
          "gemm shapes do not match: A is " + ar + "x" + ac + ", B is " + br + "x" + bc + ", C is " + cr + "x"
              + cc);
    }
  }
}
