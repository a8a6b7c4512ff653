package dev.cartan.cli;

/**
 * The process exit codes of the {@code cartan} command. Every command returns one of these; only
 * {@link Main#main(String[])} passes it to {@code System.exit}.
 */
public final class ExitCodes {
  /** The command did what was asked. */
  public static final int OK = 0;

  /** The command failed for a reason outside the user's input and outside Cartan, e.g. an I/O error. */
  public static final int ERROR = 1;

  /** The command line or an input file is invalid: unknown option or subcommand, bad value, malformed data. */
  public static final int INVALID_INPUT = 2;

  /** The environment is not in a state the command can work in, e.g. a provider forced but not loadable. */
  public static final int UNEXPECTED_STATE = 3;

  /** A bug in Cartan: an exception nobody expected. The stack trace goes to stderr. */
  public static final int INTERNAL_ERROR = 4;

  private ExitCodes() {}
}
