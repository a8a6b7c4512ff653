package dev.cartan.core;

/**
 * One chart's exponent with its residuals (THEORY.md 5.1-5.7). Plain fields, no NaN: when {@code degenerate}
 * is true no exponent exists (d = 1, or a window of one rank for ls/mle/hellinger) and {@code s} is 0.
 *
 * @param chart the chart
 * @param s the exponent {@code shat} on energies, in {@code [0, sMax]}
 * @param clampedLow the unconstrained estimate was below 0 and was clamped to 0
 * @param clampedHigh the unconstrained estimate was above {@code sMax} (or infinite, e.g. rank one) and was
 *     clamped to {@code sMax}
 * @param degenerate no exponent exists; {@code s} is 0 and is not an estimate
 * @param converged the root finder met its tolerance within its iteration cap (true for closed forms)
 * @param windowLo first rank of the resolved window (1-based)
 * @param windowHi last rank of the resolved window
 * @param alphaSigma {@code s / 2} (3.2)
 * @param alphaEsd {@code 1 + 1/s} when {@code s > 0} (3.2); 0 when undefined
 * @param alphaEsdDefined whether {@code alphaEsd} is defined ({@code s > 0})
 * @param topResidual {@code rho = r - Phi(shat)}, signed (5.5); 0 for {@code top} up to rounding
 * @param vectorResidualNorm 2-norm of {@code R_k = (h_k - mean h) - (h_k(shat) - mean h(shat))} over the window
 *     (5.6)
 * @param vectorResidualMax {@code max_k |R_k|} over the window (5.6)
 * @param hellingerResidual {@code e = Hel(p, p(shat))} over all d ranks (5.7)
 * @param buresResidual {@code e_BW = sqrt(2d) e} (5.7)
 */
public record ChartFit(
    Chart chart,
    double s,
    boolean clampedLow,
    boolean clampedHigh,
    boolean degenerate,
    boolean converged,
    int windowLo,
    int windowHi,
    double alphaSigma,
    double alphaEsd,
    boolean alphaEsdDefined,
    double topResidual,
    double vectorResidualNorm,
    double vectorResidualMax,
    double hellingerResidual,
    double buresResidual) {

  /** True if the exponent was clamped at either end. */
  public boolean clamped() {
    return clampedLow || clampedHigh;
  }
}
