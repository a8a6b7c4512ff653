package dev.cartan.cli;

/**
 * An expected failure of a command: the message is printed to stderr as one line and the process exits with
 * {@link #exitCode()}; no stack trace.
 */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  /**
   * @param exitCode one of {@link ExitCodes}, not {@link ExitCodes#OK}
   * @param message one line for the user
   * @param cause the underlying exception, or null
   */
  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    if (exitCode == ExitCodes.OK) {
      throw new IllegalArgumentException("exitCode of a failure must not be " + ExitCodes.OK);
    }
    this.exitCode = exitCode;
  }

  /** The exit code the process ends with. */
  public int exitCode() {
    return exitCode;
  }
}
