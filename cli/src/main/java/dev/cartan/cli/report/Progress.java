package dev.cartan.cli.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress display on stderr for long runs: items done of total, throughput in MB/s, and the
 * estimated time left. It redraws in place with a carriage return, at most every {@code minIntervalNanos}, and
 * only when enabled (the caller enables it when stderr is a terminal and {@code --quiet} is absent). Thread-safe.
 */
public final class Progress {
  private final PrintStream err;
  private final boolean enabled;
  private final int totalItems;
  private final long totalBytes;
  private final LongSupplier nanoClock;
  private final long minIntervalNanos;
  private final long start;
  private long lastDraw = Long.MIN_VALUE;
  private int items;
  private long bytes;
  private int lastWidth;

  /**
   * @param err where to draw (stderr)
   * @param enabled false makes every method a no-op
   * @param totalItems number of items the run will process
   * @param totalBytes their total size in bytes (0 if unknown)
   * @param nanoClock time source (System::nanoTime; tests pass a fake)
   * @param minIntervalNanos minimum time between redraws
   */
  public Progress(PrintStream err, boolean enabled, int totalItems, long totalBytes, LongSupplier nanoClock,
      long minIntervalNanos) {
    if (totalItems < 0 || totalBytes < 0) {
      throw new IllegalArgumentException("negative totals " + totalItems + ", " + totalBytes);
    }
    this.err = err;
    this.enabled = enabled;
    this.totalItems = totalItems;
    this.totalBytes = totalBytes;
    this.nanoClock = nanoClock;
    this.minIntervalNanos = minIntervalNanos;
    this.start = nanoClock.getAsLong();
  }

  /** A progress line on {@code err}, redrawn at most ten times a second. */
  public static Progress onTerminal(PrintStream err, boolean enabled, int totalItems, long totalBytes) {
    return new Progress(err, enabled, totalItems, totalBytes, System::nanoTime, 100_000_000L);
  }

  /** Records one finished item of {@code itemBytes} bytes and redraws if due. */
  public synchronized void itemDone(long itemBytes) {
    items++;
    bytes += itemBytes;
    if (!enabled) {
      return;
    }
    long now = nanoClock.getAsLong();
    if (items == totalItems || lastDraw == Long.MIN_VALUE || now - lastDraw >= minIntervalNanos) {
      lastDraw = now;
      draw(line(now));
    }
  }

  /** Clears the line (call once at the end, before printing anything else to stderr). */
  public synchronized void finish() {
    if (enabled && lastWidth > 0) {
      err.print("\r" + " ".repeat(lastWidth) + "\r");
      err.flush();
      lastWidth = 0;
    }
  }

  /** The text of the progress line at time {@code now}. */
  synchronized String line(long now) {
    double seconds = Math.max(1e-9, (now - start) / 1e9);
    StringBuilder sb = new StringBuilder();
    sb.append(items).append('/').append(totalItems).append(" tensors");
    double mbPerSecond = bytes / 1e6 / seconds;
    sb.append(String.format(Locale.ROOT, ", %.1f MB/s", mbPerSecond));
    double fraction = totalBytes > 0 ? (double) bytes / totalBytes
        : totalItems > 0 ? (double) items / totalItems : 1.0;
    if (fraction > 0 && fraction < 1) {
      long left = Math.round(seconds * (1 - fraction) / fraction);
      sb.append(", ETA ").append(duration(left));
    }
    return sb.toString();
  }

  static String duration(long seconds) {
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return (seconds / 60) + "m" + String.format(Locale.ROOT, "%02d", seconds % 60) + "s";
    }
    return (seconds / 3600) + "h" + String.format(Locale.ROOT, "%02d", (seconds % 3600) / 60) + "m";
  }

  private void draw(String text) {
    String pad = text.length() < lastWidth ? " ".repeat(lastWidth - text.length()) : "";
    err.print("\r" + text + pad);
    err.flush();
    lastWidth = text.length();
  }
}
