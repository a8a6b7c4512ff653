package dev.cartan.kernels;

/**
 * The float32 primitives every Cartan algorithm is written against (BLAS-1/2 style, plus a GEMM micro-kernel).
 *
 * <p>Vectors are given as {@code (array, offset)} with unit stride; matrices as {@code (array, offset, ld)} in
 * column-major order: element (i, j) at {@code offset + i + j * ld}. Implementations do not check arguments;
 * callers (the {@link Kernels} facade, or algorithms that validated their input once) do. A provider swaps these
 * primitives, never the algorithms built on them.
 */
public interface FloatKernels {

  /** {@code sum_i x[i] * y[i]}, accumulated in several independent partial sums. */
  float dot(int n, float[] x, int xOff, float[] y, int yOff);

  /** {@code y[i] += alpha * x[i]}. */
  void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

  /** {@code x[i] *= alpha}. */
  void scal(int n, float alpha, float[] x, int xOff);

  /** {@code max_i |x[i]|} (0 for n = 0; NaN if any element is NaN). */
  float amax(int n, float[] x, int xOff);

  /** {@code sum_i x[i]^2}, unscaled (may overflow or underflow; see {@link #nrm2}). */
  double sumSquares(int n, float[] x, int xOff);

  /**
   * Euclidean norm {@code sqrt(sum_i x[i]^2)} without overflow or harmful underflow: entries anywhere in the
   * float64 range give a result accurate to a few ulps.
   */
  double nrm2(int n, float[] x, int xOff);

  /**
   * The one-sided Jacobi inner step, fused: rotates the pair {@code (x, y)} in place,
   * {@code x' = c x - s y}, {@code y' = s x + c y}, and writes {@code out[0] = |x'|^2}, {@code out[1] = |y'|^2},
   * {@code out[2] = x' . y'} computed from the rotated values in the same pass. Callers keep the columns scaled so
   * the squares neither overflow nor underflow.
   */
  void rotate(int n, float[] x, int xOff, float[] y, int yOff, float c, float s, double[] out);

  /**
   * Generates an elementary reflector (LAPACK dlarfg): given {@code alpha = x[xOff]} and the tail
   * {@code t = x[xOff+1 .. xOff+n-1]}, finds {@code tau} and {@code v = (1, v_tail)} with
   * {@code (I - tau v v^T) (alpha, t) = (beta, 0)}. Overwrites {@code x[xOff]} with {@code beta} and the tail
   * with {@code v_tail}; returns {@code tau} (0 when the tail is zero, so H = I). Scales to avoid overflow and
   * underflow in the norm.
   */
  float householder(int n, float[] x, int xOff);

  /**
   * {@code C := (I - tau v v^T) C} for the {@code m x n} block C; {@code v} has length m and its first element
   * is taken as 1 without being read. {@code work} has length at least n.
   */
  void applyHouseholderLeft(int m, int n, float[] v, int vOff, float tau, float[] c, int cOff, int ldc,
      float[] work);

  /**
   * {@code C := C (I - tau v v^T)} for the {@code m x n} block C; {@code v} has length n and its first element is
   * taken as 1 without being read. {@code work} has length at least m.
   */
  void applyHouseholderRight(int m, int n, float[] v, int vOff, float tau, float[] c, int cOff, int ldc,
      float[] work);

  /** {@code y := alpha A x + beta y} for the {@code m x n} matrix A ({@code y} has length m). */
  void gemv(int m, int n, float alpha, float[] a, int aOff, int lda, float[] x, int xOff, float beta,
      float[] y, int yOff);

  /** {@code y := alpha A^T x + beta y} for the {@code m x n} matrix A ({@code y} has length n). */
  void gemvTransposed(int m, int n, float alpha, float[] a, int aOff, int lda, float[] x, int xOff,
      float beta, float[] y, int yOff);

  /** Rows of the GEMM micro-tile ({@link #gemmMicroKernel}); a multiple of the vector length. */
  int gemmMr();

  /** Columns of the GEMM micro-tile. */
  int gemmNr();

  /**
   * The GEMM micro-kernel: {@code C[0..mr, 0..nr] += Apanel * Bpanel} where {@code Apanel} is packed as
   * {@code kc} consecutive groups of {@code mr} elements (column k of the mr x kc block) starting at
   * {@code pa[paOff]}, and {@code Bpanel} as {@code kc} consecutive groups of {@code nr} elements (row k of the
   * kc x nr block) starting at {@code pb[pbOff]}. C is column-major at {@code c[cOff]} with leading dimension
   * {@code ldc}, and the whole {@code mr x nr} tile must be inside it.
   */
  void gemmMicroKernel(int kc, float[] pa, int paOff, float[] pb, int pbOff, float[] c, int cOff, int ldc);

  /**
   * {@link #gemmMicroKernel} with B read in place instead of packed: element {@code (p, j)} of the {@code kc x nr}
   * block is {@code pb[pbOff + p rs + j cs]} ({@code rs = nr, cs = 1} is the packed layout). For products whose large
   * operand is read once ({@link NarrowGemm}), where packing it would cost as much as the multiply. Adds
   * {@code Apanel * B} to the tile at {@code c[cOff]} like the packed kernel, possibly in another summation order.
   */
  void gemmMicroKernelStrided(int kc, float[] pa, int paOff, float[] pb, int pbOff, int rs, int cs, float[] c,
      int cOff, int ldc);

  /**
   * Rows of the wide micro-tile ({@link #gemmMicroKernelWide}, {@link #gemmWideNr()} columns), or 0 when the provider
   * has none.
   */
  default int gemmWideMr() {
    return 0;
  }

  /**
   * Columns of the wide micro-tile ({@link #gemmMicroKernelWide}): 6, or 5 where the 16-register GEMM tiles have
   * five columns ({@link dev.cartan.kernels.KernelProvider#gemmColumns()}).
   */
  default int gemmWideNr() {
    return 6;
  }

  /**
   * A {@code gemmWideMr() x gemmWideNr()} tile: {@code C += Apanel * B} with the A panel packed as in
   * {@link #gemmMicroKernel} (groups of {@code gemmWideMr()} elements) and B read in place as in
   * {@link #gemmMicroKernelStrided}.
   *
   * @throws UnsupportedOperationException if {@link #gemmWideMr()} is 0
   */
  default void gemmMicroKernelWide(int kc, float[] pa, int paOff, float[] pb, int pbOff, int rs, int cs,
      float[] c, int cOff, int ldc) {
    throw new UnsupportedOperationException("no wide GEMM micro-kernel in " + getClass().getSimpleName());
  }
}
