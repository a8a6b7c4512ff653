package dev.cartan.kernels.svd;

import dev.cartan.kernels.DMatrix;

/**
 * The outcome of a float64 SVD {@code A = U diag(s) V^T} of an {@code m x n} matrix, {@code k = min(m, n)}.
 *
 * @param values singular values, descending, length k, all finite and {@code >= 0}
 * @param u the {@code m x k} left singular vectors (thin), or {@code m x m} when full vectors were asked for, or
 *     null when not computed
 * @param v the {@code n x k} right singular vectors (thin), or {@code n x n} when full, or null
 * @param method the algorithm that produced the result, e.g. {@code "jacobi"} or {@code "bidiagonal"}
 * @param sweeps Jacobi sweeps (or passes, after the fast start of {@link JacobiSvd}), or bidiagonal QR/dqds
 *     iterations, used
 * @param residual the largest remaining off-diagonal measure at exit (Jacobi: max |cos| of any column pair;
 *     bidiagonal: largest negligible off-diagonal relative to its neighbours), for diagnostics
 * @param converged false if an iteration cap was hit; the values are then the best available, not exact
 * @param relativeError per-value estimate of the relative error of {@code values[i]} (length k), or null when the
 *     method only bounds absolute error
 */
public record SvdResult(
    double[] values,
    DMatrix u,
    DMatrix v,
    String method,
    int sweeps,
    double residual,
    boolean converged,
    double[] relativeError) {}
