package dev.cartan.core.chain;

import dev.cartan.core.ChartOptions;

/**
 * Options of a chain analysis.
 *
 * @param charts chart options (clamp, rank window) used for every state
 * @param nearIdentity in factors mode, also report the near-identity expansion 8.13 of every factor (one
 *     symmetric eigen-decomposition per factor)
 * @param proxy free text the report carries about what the chain stands for (null means empty)
 */
public record ChainOptions(ChartOptions charts, boolean nearIdentity, String proxy) {
  /** Default charts, near-identity expansion on, no proxy note. */
  public static final ChainOptions DEFAULTS = new ChainOptions(ChartOptions.DEFAULTS, true, "");

  /** Checks the chart options and replaces a null proxy by the empty string. */
  public ChainOptions {
    if (charts == null) {
      throw new IllegalArgumentException("chart options are null");
    }
    proxy = proxy == null ? "" : proxy;
  }

  /** These options with {@code nearIdentity} set. */
  public ChainOptions withNearIdentity(boolean on) {
    return new ChainOptions(charts, on, proxy);
  }

  /** These options with the proxy note set. */
  public ChainOptions withProxy(String note) {
    return new ChainOptions(charts, nearIdentity, note);
  }
}
