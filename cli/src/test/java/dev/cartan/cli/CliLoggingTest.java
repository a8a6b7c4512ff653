package dev.cartan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CliLoggingTest {
  // A child of dev.cartan, as the kernels' loggers are; held so JUL does not drop it mid-test.
  private static final Logger CHILD = Logger.getLogger("dev.cartan.kernels.CliLoggingTestProbe");

  @AfterEach
  void restore() {
    CliLogging.configure(new PrintWriter(new StringWriter()), false);
  }

  @Test
  void defaultShowsWarningsAsOneLineAndHidesInfo() {
    StringWriter err = new StringWriter();
    CliLogging.configure(new PrintWriter(err), false);
    CHILD.info("provider loaded");
    CHILD.warning("add --add-modules jdk.incubator.vector");
    assertEquals("cartan: warning: add --add-modules jdk.incubator.vector" + System.lineSeparator(), err.toString());
  }

  @Test
  void verboseShowsInfo() {
    StringWriter err = new StringWriter();
    CliLogging.configure(new PrintWriter(err), false);
    CliLogging.verbose();
    CHILD.info("provider loaded");
    CHILD.fine("not shown");
    assertEquals("cartan: info: provider loaded" + System.lineSeparator(), err.toString());
  }

  @Test
  void reconfiguringReplacesTheHandlerInsteadOfAddingOne() {
    StringWriter first = new StringWriter();
    StringWriter second = new StringWriter();
    CliLogging.configure(new PrintWriter(first), false);
    CliLogging.configure(new PrintWriter(second), false);
    CHILD.warning("once");
    assertEquals("", first.toString());
    assertEquals("cartan: warning: once" + System.lineSeparator(), second.toString());
  }

  @Test
  void verboseOnTheCommandLineIsAccepted() {
    Captured top = Captured.run("--verbose", "env", "--format", "text");
    Captured sub = Captured.run("env", "--verbose", "--format", "text");
    assertEquals(ExitCodes.OK, top.exitCode(), top.err());
    assertEquals(ExitCodes.OK, sub.exitCode(), sub.err());
    assertEquals(top.out(), sub.out());
  }
}
