package dev.cartan.core;

/**
 * The fitted power-law charts of THEORY.md section 5: each maps a spectrum p to an exponent {@code shat} on the
 * orbit of {@link Orbit}.
 */
public enum Chart {
  /** (5.1, default) least-squares slope of {@code log p_k} against {@code log k} over the window; shat = -slope. */
  LS("ls"),
  /** (5.2) {@code shat = Phi^{-1}(r)}: the exact inverse of the top coordinate; top residual 0 by construction. */
  TOP("top"),
  /** (5.3) moment matching {@code mu(shat) = sum_k p_k log k}: the KL projection {@code argmin_s KL(p || p(s))}. */
  MLE("mle"),
  /** (5.4) {@code argmin_s Hel(p, p(s))}, the same minimizer as the spectral Bures-Wasserstein distance. */
  HELLINGER("hellinger");

  private final String id;

  Chart(String id) {
    this.id = id;
  }

  /** The chart's name as used in options and reports: {@code ls}, {@code top}, {@code mle}, {@code hellinger}. */
  public String id() {
    return id;
  }

  /**
   * The chart named {@code id} (case-insensitive).
   *
   * @throws IllegalArgumentException if no chart has that name
   */
  public static Chart fromId(String id) {
    for (Chart c : values()) {
      if (c.id.equalsIgnoreCase(id)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown chart '" + id + "' (expected ls, top, mle or hellinger)");
  }
}
