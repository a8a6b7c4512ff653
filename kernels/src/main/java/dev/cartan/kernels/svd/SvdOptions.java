package dev.cartan.kernels.svd;

/**
 * Options for {@link Svd#decompose(dev.cartan.kernels.DMatrix, SvdOptions)}.
 *
 * @param method which algorithm family to use (see {@link Method})
 * @param vectors which singular vectors to return (see {@link Vectors})
 * @param threads worker threads the SVD may use, {@code >= 1}: the FAST route runs its GEMM-rich steps (the QR of
 *     tall inputs, the reductions' trailing updates, the back-transformations) on up to this many threads of the
 *     common fork-join pool, with results that do not depend on the count; the Jacobi SVD runs on the calling
 *     thread
 */
public record SvdOptions(Method method, Vectors vectors, int threads) {

  /** Algorithm families. */
  public enum Method {
    /**
     * Preconditioned one-sided Jacobi: high relative accuracy for matrices that are well conditioned up to a
     * column (or row) scaling, see docs/svd.md.
     */
    ACCURATE,
    /**
     * Householder bidiagonalization with dqds or implicit QR ({@link BidiagonalSvd}): the usual backward-stable
     * guarantee, every value accurate to a small multiple of {@code max(m, n) * eps * s_1} (absolute).
     */
    FAST,
    /** Let Cartan choose; currently the accurate (Jacobi) SVD, see {@link Svd}. */
    AUTO
  }

  /** Which singular vectors to compute. */
  public enum Vectors {
    /** Values only. */
    NONE,
    /** Thin factors: U is {@code m x k}, V is {@code n x k}, {@code k = min(m, n)}. */
    THIN,
    /** Full factors: U is {@code m x m}, V is {@code n x n} (the extra columns complete orthonormal bases). */
    FULL
  }

  /** Validates the fields. */
  public SvdOptions {
    if (method == null) {
      throw new IllegalArgumentException("SvdOptions.method is null");
    }
    if (vectors == null) {
      throw new IllegalArgumentException("SvdOptions.vectors is null");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("SvdOptions.threads must be >= 1, not " + threads);
    }
  }

  /** Accurate values only, one thread. */
  public static SvdOptions valuesOnly() {
    return new SvdOptions(Method.AUTO, Vectors.NONE, 1);
  }

  /** Accurate thin SVD, one thread. */
  public static SvdOptions thin() {
    return new SvdOptions(Method.AUTO, Vectors.THIN, 1);
  }

  /** A copy with another method. */
  public SvdOptions withMethod(Method m) {
    return new SvdOptions(m, vectors, threads);
  }

  /** A copy with another choice of vectors. */
  public SvdOptions withVectors(Vectors v) {
    return new SvdOptions(method, v, threads);
  }

  /**
   * A copy with another thread count.
   *
   * @throws IllegalArgumentException if {@code t < 1}
   */
  public SvdOptions withThreads(int t) {
    return new SvdOptions(method, vectors, t);
  }
}
