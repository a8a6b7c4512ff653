package dev.cartan.core;

/**
 * The rank window {@code [k_lo, k_hi]} (1-based, inclusive) a chart fits on (THEORY.md section 5).
 *
 * <ul>
 *   <li>{@link #all()} (default): all ranks with {@code p_k > 0}, i.e. {@code [1, numericalRank]};
 *   <li>{@link #explicit(int, int)}: a given window, cut at the numerical rank (zero ranks never enter a fit);
 *   <li>{@link #energy(double)}: the energy window {@code [1, k_eff(tau)]}.
 * </ul>
 *
 * @param kind which of the three
 * @param lo first rank of an explicit window (1 otherwise)
 * @param hi last rank of an explicit window (0 = "to the numerical rank" otherwise)
 * @param tau the energy quantile of an energy window (0 otherwise)
 */
public record RankWindow(Kind kind, int lo, int hi, double tau) {
  /** The three kinds of window. */
  public enum Kind {
    /** All ranks with positive energy. */
    ALL,
    /** A given {@code [lo, hi]}. */
    EXPLICIT,
    /** {@code [1, k_eff(tau)]}. */
    ENERGY
  }

  /**
   * Validates the fields.
   *
   * @throws IllegalArgumentException if kind is null, an explicit window is not {@code 1 <= lo <= hi}, or an
   *     energy window has tau outside {@code (0, 1]}
   */
  public RankWindow {
    if (kind == null) {
      throw new IllegalArgumentException("window kind is null");
    }
    if (kind == Kind.EXPLICIT && (lo < 1 || hi < lo)) {
      throw new IllegalArgumentException("explicit rank window needs 1 <= lo <= hi, got [" + lo + ", " + hi + "]");
    }
    if (kind == Kind.ENERGY) {
      RankStatistics.checkTau(tau);
    }
  }

  /** All ranks with positive energy (the default). */
  public static RankWindow all() {
    return new RankWindow(Kind.ALL, 1, 0, 0);
  }

  /** The explicit window {@code [lo, hi]}, {@code 1 <= lo <= hi}. */
  public static RankWindow explicit(int lo, int hi) {
    return new RankWindow(Kind.EXPLICIT, lo, hi, 0);
  }

  /** The energy window {@code [1, k_eff(tau)]}, {@code tau in (0, 1]}. */
  public static RankWindow energy(double tau) {
    return new RankWindow(Kind.ENERGY, 1, 0, tau);
  }

  /**
   * The window resolved on a spectrum: {@code {lo, hi}} with {@code 1 <= lo <= hi <= numericalRank}.
   *
   * @throws IllegalArgumentException if an explicit window starts beyond the numerical rank or ends beyond d
   */
  int[] resolve(Spectrum spectrum) {
    int rank = spectrum.numericalRank();
    switch (kind) {
      case EXPLICIT:
        if (hi > spectrum.dimension()) {
          throw new IllegalArgumentException(
              "rank window [" + lo + ", " + hi + "] ends beyond d = " + spectrum.dimension());
        }
        if (lo > rank) {
          throw new IllegalArgumentException("rank window [" + lo + ", " + hi + "] starts beyond the numerical rank "
              + rank + ": those ranks have zero energy");
        }
        return new int[] {lo, Math.min(hi, rank)};
      case ENERGY:
        return new int[] {1, Math.min(rank, RankStatistics.effectiveRank(spectrum.energies(), tau))};
      default:
        return new int[] {1, rank};
    }
  }
}
