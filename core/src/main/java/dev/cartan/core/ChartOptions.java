package dev.cartan.core;

/**
 * Options of the charts (THEORY.md section 5).
 *
 * @param sMax upper clamp of every exponent, default {@link #DEFAULT_S_MAX} = 64; exponents are clamped to
 *     {@code [0, sMax]} and the fit says when
 * @param window the rank window, default {@link RankWindow#all()}
 */
public record ChartOptions(double sMax, RankWindow window) {
  /** Default upper clamp of exponents. */
  public static final double DEFAULT_S_MAX = 64;

  /** The defaults: {@code sMax = 64}, all ranks with positive energy. */
  public static final ChartOptions DEFAULTS = new ChartOptions(DEFAULT_S_MAX, RankWindow.all());

  /**
   * Validates.
   *
   * @throws IllegalArgumentException if {@code sMax} is not finite and positive, or the window is null
   */
  public ChartOptions {
    if (!(sMax > 0) || Double.isInfinite(sMax)) {
      throw new IllegalArgumentException("sMax must be finite and > 0, got " + sMax);
    }
    if (window == null) {
      throw new IllegalArgumentException("rank window is null");
    }
  }

  /** These options with another window. */
  public ChartOptions withWindow(RankWindow w) {
    return new ChartOptions(sMax, w);
  }
}
