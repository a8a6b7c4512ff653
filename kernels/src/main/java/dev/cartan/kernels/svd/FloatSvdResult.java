package dev.cartan.kernels.svd;

import dev.cartan.kernels.FMatrix;

/**
 * The outcome of a float32 SVD; fields as in {@link SvdResult}. Values are returned in float64 (they are
 * computed in float32 but a float64 array avoids a second conversion in callers).
 */
public record FloatSvdResult(
    double[] values,
    FMatrix u,
    FMatrix v,
    String method,
    int sweeps,
    double residual,
    boolean converged,
    double[] relativeError) {}
