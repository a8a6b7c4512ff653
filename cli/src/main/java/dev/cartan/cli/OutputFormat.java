package dev.cartan.cli;

/** How a command writes its result to stdout: {@code json} (the default, for machines) or {@code text}. */
public enum OutputFormat {
  /** Pretty-printed JSON through {@link Json}. */
  json,
  /** Aligned {@code key  value} lines for people. */
  text
}
