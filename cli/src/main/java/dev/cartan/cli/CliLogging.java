package dev.cartan.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes the library's java.util.logging records (logger {@code dev.cartan} and below) to the command's stderr,
 * one line per record: {@code cartan: warning: <message>}. By default only WARNING and above are shown (the kernel
 * provider's hint {@code --add-modules jdk.incubator.vector}); {@code --verbose} shows INFO too (which provider
 * and species were loaded). The JDK's default two-line console format is switched off for these loggers.
 */
final class CliLogging {
  /** The parent of every Cartan logger. Held strongly: JUL keeps loggers only weakly, and would drop the config. */
  static final Logger CARTAN = Logger.getLogger("dev.cartan");

  private CliLogging() {}

  /**
   * Sends Cartan's log records to {@code err}, replacing any handler an earlier call installed (tests run several
   * commands in one JVM).
   *
   * @param err where the one-line messages go
   * @param verbose true to show INFO, false for WARNING and above
   */
  static synchronized void configure(PrintWriter err, boolean verbose) {
    for (Handler h : CARTAN.getHandlers()) {
      if (h instanceof LineHandler) {
        CARTAN.removeHandler(h);
      }
    }
    Level level = verbose ? Level.INFO : Level.WARNING;
    CARTAN.setUseParentHandlers(false);
    CARTAN.setLevel(level);
    LineHandler handler = new LineHandler(err);
    handler.setLevel(level);
    CARTAN.addHandler(handler);
  }

  /** Shows INFO records from now on (for {@code --verbose}, known only after the command line is parsed). */
  static synchronized void verbose() {
    CARTAN.setLevel(Level.INFO);
    for (Handler h : CARTAN.getHandlers()) {
      if (h instanceof LineHandler) {
        h.setLevel(Level.INFO);
      }
    }
  }

  /** Writes each record as one line to a PrintWriter, flushed at once (stderr must not lag behind stdout). */
  private static final class LineHandler extends Handler {
    private final PrintWriter err;

    LineHandler(PrintWriter err) {
      this.err = err;
      setFormatter(new LineFormatter());
    }

    @Override
    public void publish(LogRecord record) {
      if (!isLoggable(record)) {
        return;
      }
      err.print(getFormatter().format(record));
      err.flush();
    }

    @Override
    public void flush() {
      err.flush();
    }

    @Override
    public void close() {
      // The writer wraps the process's stderr, which is not ours to close.
      err.flush();
    }
  }

  /** {@code cartan: <level>: <message>[: <thrown>]} and a line separator. */
  static final class LineFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
      StringBuilder sb = new StringBuilder("cartan: ")
          .append(record.getLevel().getName().toLowerCase(Locale.ROOT))
          .append(": ")
          .append(formatMessage(record));
      if (record.getThrown() != null) {
        sb.append(": ").append(record.getThrown());
      }
      return sb.append(System.lineSeparator()).toString();
    }
  }
}
