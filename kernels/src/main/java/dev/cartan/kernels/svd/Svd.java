package dev.cartan.kernels.svd;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.FMatrix;

/**
 * The SVD facade: {@code A = U diag(s) V^T} for any finite real matrix, float64 or float32, without naming an
 * algorithm. It validates the input (null, NaN or infinite elements, each reported with the matrix's name and
 * the element's position), never modifies it, and dispatches on {@link SvdOptions}:
 *
 * <ul>
 *   <li>{@link SvdOptions.Method#ACCURATE}: the preconditioned Jacobi SVD ({@link JacobiSvd}), whose values
 *       carry relative-accuracy guarantees (docs/svd.md);
 *   <li>{@link SvdOptions.Method#FAST}: Householder reduction (two-stage dense -> band -> bidiagonal, then dqds, for
 *       values; blocked one-stage bidiagonalization, divide and conquer and blocked back-transformation for
 *       vectors; QR first for tall matrices) ({@link BidiagonalSvd}); every value is accurate to a small multiple of
 *       {@code max(m, n) * eps * sigma_1}, so values far below {@code sigma_1} carry only absolute accuracy;
 *   <li>{@link SvdOptions.Method#AUTO}: currently the accurate route, which keeps relative accuracy on small
 *       values. FAST is now several times faster on large matrices (docs/benchmarks.md); moving large matrices
 *       to FAST under AUTO trades that accuracy for speed and is left as an explicit decision.
 * </ul>
 *
 * <p>Shapes: tall, wide (handled through the transpose), square, {@code 1 x n}, {@code n x 1} and empty
 * ({@code 0 x n} gives zero values and empty factors). float32 input with FAST runs natively in float32: values
 * only reduce to band in float32 and finish in float64; with vectors the QR, the bidiagonalization and the
 * back-transformations run in float32 and the bidiagonal SVD in float64 ({@link BidiagonalSvd#compute(FMatrix,
 * boolean, int)}). Both are backward stable in float32: values within a small multiple of
 * {@code max(m, n) u_f32 sigma_1} ({@code u_f32 = 2^-24}), U and V orthonormal to {@code O(n u_f32)}. Otherwise
 * (ACCURATE, AUTO) float32 input is widened exactly to float64 and decomposed there. Values are returned in float64
 * and the vectors in float32.
 *
 * <p>Workspace: the FAST route keeps its arrays per thread for inputs of up to
 * {@code BidiagonalSvd.KEPT_WORKSPACE_LIMIT} elements ({@code 2^22}), so a thread that decomposes many such matrices
 * allocates once and keeps at most about 60 MB; larger inputs use arrays freed with the call.
 */
public final class Svd {
  private Svd() {}

  /** The singular values of A, descending, {@code min(m, n)} of them. */
  public static double[] values(DMatrix a) {
    return decompose(a, SvdOptions.valuesOnly()).values();
  }

  /** The singular values of a float32 matrix, descending, in float64. */
  public static double[] values(FMatrix a) {
    return decompose(a, SvdOptions.valuesOnly()).values();
  }

  /** The SVD of A with thin vectors ({@code wantVectors}) or values only. */
  public static SvdResult decompose(DMatrix a, boolean wantVectors) {
    return decompose(a, wantVectors ? SvdOptions.thin() : SvdOptions.valuesOnly());
  }

  /** The SVD of a float32 matrix with thin vectors ({@code wantVectors}) or values only. */
  public static FloatSvdResult decompose(FMatrix a, boolean wantVectors) {
    return decompose(a, wantVectors ? SvdOptions.thin() : SvdOptions.valuesOnly());
  }

  /**
   * The SVD of A as the options ask.
   *
   * @throws IllegalArgumentException naming "matrix A" if it is null or has a non-finite element, or if the
   *     options are null
   */
  public static SvdResult decompose(DMatrix a, SvdOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("SVD options are null");
    }
    if (a == null) {
      throw new IllegalArgumentException("matrix A is null");
    }
    a.requireFinite("matrix A");
    // The bidiagonal driver refuses empty shapes; the Jacobi route returns the empty decomposition they have.
    if (options.method() == SvdOptions.Method.FAST && Math.min(a.rows(), a.cols()) > 0) {
      BidiagonalSvd fast = BidiagonalSvd.forInput(a.rows(), a.cols());
      switch (options.vectors()) {
        case NONE:
          return fast.computeValues(a, options.threads());
        case THIN:
          return fast.compute(a, false, options.threads());
        default:
          return fast.compute(a, true, options.threads());
      }
    }
    boolean vectors = options.vectors() != SvdOptions.Vectors.NONE;
    SvdResult r = new JacobiSvd().decompose(a, vectors);
    if (options.vectors() == SvdOptions.Vectors.FULL) {
      return new SvdResult(r.values(), complete(r.u()), complete(r.v()), r.method(), r.sweeps(), r.residual(),
          r.converged(), r.relativeError());
    }
    return r;
  }

  /**
   * The SVD of a float32 matrix as the options ask: FAST by the native float32 routes
   * ({@link BidiagonalSvd#computeValues(FMatrix, int)} for values only, {@link BidiagonalSvd#compute(FMatrix,
   * boolean, int)} with thin or full vectors), everything else computed in float64 (see the class documentation).
   *
   * @throws IllegalArgumentException naming "matrix A" if it is null or has a non-finite element, or if the
   *     options are null
   */
  public static FloatSvdResult decompose(FMatrix a, SvdOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("SVD options are null");
    }
    if (a == null) {
      throw new IllegalArgumentException("matrix A is null");
    }
    a.requireFinite("matrix A");
    if (options.method() == SvdOptions.Method.FAST && Math.min(a.rows(), a.cols()) > 0) {
      BidiagonalSvd fast = BidiagonalSvd.forInput(a.rows(), a.cols());
      return options.vectors() == SvdOptions.Vectors.NONE
          ? fast.computeValues(a, options.threads())
          : fast.compute(a, options.vectors() == SvdOptions.Vectors.FULL, options.threads());
    }
    SvdResult r = decompose(a.toDouble(), options);
    return new FloatSvdResult(r.values(), narrow(r.u()), narrow(r.v()), r.method(), r.sweeps(), r.residual(),
        r.converged(), r.relativeError());
  }

  private static FMatrix narrow(DMatrix d) {
    return d == null ? null : d.toFloat();
  }

  /** Extends the orthonormal columns of q ({@code r x c}) to an {@code r x r} orthogonal matrix. */
  private static DMatrix complete(DMatrix q) {
    int r = q.rows();
    int c = q.cols();
    if (c == r) {
      return q;
    }
    DMatrix full = DMatrix.zeros(r, r);
    q.copyInto(full.view(0, 0, r, c));
    boolean[] missing = new boolean[r];
    for (int j = c; j < r; j++) {
      missing[j] = true;
    }
    JacobiSvd.completeOrthonormal(r, r, full.data(), missing);
    return full;
  }
}
