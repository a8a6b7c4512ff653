package dev.cartan.core;

/**
 * Options of a {@link LayerReport}; every convention that THEORY.md leaves open, with its default.
 *
 * @param charts exponent clamp and rank window of the charts (default {@link ChartOptions#DEFAULTS}: sMax 64, all
 *     ranks with positive energy)
 * @param tau energy quantile of {@code k_eff} (default {@link RankStatistics#DEFAULT_TAU} = 0.9)
 * @param minTail minimum tail size of a power-law xmin candidate (default {@link PowerLaw#DEFAULT_MIN_TAIL} = 2)
 */
public record ReportOptions(ChartOptions charts, double tau, int minTail) {
  /** All defaults. */
  public static final ReportOptions DEFAULTS =
      new ReportOptions(ChartOptions.DEFAULTS, RankStatistics.DEFAULT_TAU, PowerLaw.DEFAULT_MIN_TAIL);

  /**
   * Validates.
   *
   * @throws IllegalArgumentException if charts is null, tau is outside {@code (0, 1]} or {@code minTail < 2}
   */
  public ReportOptions {
    if (charts == null) {
      throw new IllegalArgumentException("chart options are null");
    }
    RankStatistics.checkTau(tau);
    if (minTail < 2) {
      throw new IllegalArgumentException("minTail must be >= 2, got " + minTail);
    }
  }
}
