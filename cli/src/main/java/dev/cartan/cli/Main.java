package dev.cartan.cli;

import dev.cartan.cli.analyze.AnalyzeCommand;
import dev.cartan.kernels.KernelProvider;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code cartan} command: entry point of the CLI and its top-level picocli command.
 *
 * <p>Results go to stdout (JSON by default, text with {@code --format text}); everything for people (errors,
 * warnings, log lines) goes to stderr. The process exits with one of {@link ExitCodes}. {@link #run} does all the
 * work on injected streams so tests capture stdout and stderr separately; {@link #main} is the only place that
 * calls {@code System.exit}.
 *
 * <p>The SIMD kernels need {@code --add-modules jdk.incubator.vector} on the java command line, which
 * {@code java -jar} cannot set from the manifest: the {@code ./cartan} launcher script passes it. Without it the
 * scalar kernels run and one warning with that hint is printed to stderr.
 */
@Command(
    name = "cartan",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    subcommands = {EnvCommand.class, AnalyzeCommand.class, ChainCommand.class, DemoCommand.class,
        CommandLine.HelpCommand.class},
    description = "Singular spectra of neural-network layers, on a Vector API SVD engine.",
    footer = {
        "",
        "Exit codes: 0 ok, 1 error, 2 invalid input, 3 unexpected state, 4 internal error.",
        "Run with the ./cartan launcher (adds --add-modules jdk.incubator.vector) for the SIMD kernels."
    })
public final class Main implements Callable<Integer> {
  @Spec CommandSpec spec;

  // Read from the parse result in the execution strategy (any level may carry it), so the field is unused.
  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Also print informational log lines to stderr (which kernel provider and species loaded).")
  boolean verbose;

  /** Runs the command line and exits the JVM with its exit code. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs {@code cartan} with {@code args}, writing results to {@code out} and messages to {@code err} (both UTF-8,
   * flushed, left open).
   *
   * @return one of {@link ExitCodes}
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    // Before anything can load the kernel provider: its one WARNING/INFO must take our one-line format.
    CliLogging.configure(e, false);
    CommandLine cmd = commandLine(o, e, out == System.out ? Ansi.AUTO : Ansi.OFF);
    try {
      return cmd.execute(args);
    } finally {
      o.flush();
      e.flush();
    }
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err, Ansi ansi) {
    CommandLine cmd = new CommandLine(new Main());
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setColorScheme(CommandLine.Help.defaultColorScheme(ansi));
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setExecutionStrategy(pr -> {
      if (verboseRequested(pr)) {
        CliLogging.verbose();
      }
      return new CommandLine.RunLast().execute(pr);
    });
    cmd.setParameterExceptionHandler(Main::invalidInput);
    cmd.setExecutionExceptionHandler((ex, c, pr) -> failure(ex, c.getErr()));
    return cmd;
  }

  /** Without a subcommand there is nothing to do: that is a usage error. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand");
  }

  private static boolean verboseRequested(ParseResult pr) {
    for (ParseResult p = pr; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  private static int invalidInput(ParameterException ex, String[] args) {
    CommandLine c = ex.getCommandLine();
    PrintWriter err = c.getErr();
    err.println("cartan: " + ex.getMessage());
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return ExitCodes.INVALID_INPUT;
  }

  /**
   * Maps an exception from a command to a message on stderr and an exit code: {@link CliException} carries its
   * own; the library's IllegalArgumentException means bad input (2), IllegalStateException an unexpected state
   * (3), an I/O failure an error (1); anything else is a bug (4) and gets its stack trace.
   */
  static int failure(Exception ex, PrintWriter err) {
    int code;
    if (ex instanceof CliException) {
      code = ((CliException) ex).exitCode();
    } else if (ex instanceof IllegalArgumentException) {
      code = ExitCodes.INVALID_INPUT;
    } else if (ex instanceof IllegalStateException) {
      code = ExitCodes.UNEXPECTED_STATE;
    } else if (ex instanceof IOException || ex instanceof UncheckedIOException) {
      code = ExitCodes.ERROR;
    } else {
      code = ExitCodes.INTERNAL_ERROR;
    }
    if (code == ExitCodes.INTERNAL_ERROR) {
      err.println("cartan: internal error (please report it): " + ex);
      ex.printStackTrace(err);
    } else {
      err.println("cartan: error: " + ex.getMessage());
    }
    err.flush();
    return code;
  }

  /** {@code --version}: Cartan version, the JDK, and the kernel provider this JVM loads. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String kernels;
      try {
        KernelProvider p = Providers.get();
        kernels = "kernels " + p.name() + ": " + p.species() + ", FMA " + (p.fma() ? "used" : "not used");
      } catch (CliException e) {
        kernels = "kernels unavailable: " + e.getMessage();
      }
      return new String[] {
          "cartan " + CartanVersion.get(),
          "JDK " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
              + System.getProperty("java.vm.name") + ") at " + System.getProperty("java.home"),
          kernels
      };
    }
  }
}
