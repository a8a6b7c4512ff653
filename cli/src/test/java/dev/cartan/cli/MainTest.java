package dev.cartan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.kernels.KernelProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {
  /** The project version from the POM (surefire system property), not from the code under test. */
  static String expectedVersion() {
    String v = System.getProperty("cartan.expectedVersion");
    assertNotNull(v, "surefire must set cartan.expectedVersion from ${project.version}");
    return v;
  }

  @Test
  void versionNamesCartanJdkAndProvider() {
    Captured r = Captured.run("--version");
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    String[] lines = r.out().split("\\R");
    assertEquals("cartan " + expectedVersion(), lines[0]);
    assertTrue(lines[1].startsWith("JDK " + System.getProperty("java.version") + " "), lines[1]);
    assertTrue(lines[1].contains(System.getProperty("java.home")), lines[1]);
    KernelProvider p = KernelProvider.get();
    assertEquals("kernels " + p.name() + ": " + p.species() + ", FMA " + (p.fma() ? "used" : "not used"), lines[2]);
    assertEquals(3, lines.length, r.out());
    assertEquals("", r.err());
  }

  @Test
  void helpGoesToStdoutAndListsSubcommandsAndExitCodes() {
    Captured r = Captured.run("--help");
    assertEquals(ExitCodes.OK, r.exitCode());
    assertTrue(r.out().startsWith("Usage: cartan "), r.out());
    assertTrue(r.out().contains("  env "), r.out());
    assertTrue(r.out().contains("--verbose"), r.out());
    assertTrue(r.out().contains("Exit codes: 0 ok, 1 error, 2 invalid input"), r.out());
    assertEquals("", r.err());
  }

  @Test
  void subcommandHelp() {
    Captured r = Captured.run("env", "--help");
    assertEquals(ExitCodes.OK, r.exitCode());
    assertTrue(r.out().startsWith("Usage: cartan env "), r.out());
    assertTrue(r.out().contains("--format"), r.out());
    assertEquals("", r.err());
    Captured h = Captured.run("help", "env");
    assertEquals(ExitCodes.OK, h.exitCode());
    assertEquals(r.out(), h.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"bogus", "--bogus", "env --bogus", "env --format xml", "env --format", "env extra", ""})
  void invalidInputExitsTwoWithMessageOnStderrOnly(String line) {
    String[] args = line.isEmpty() ? new String[0] : line.split(" ");
    Captured r = Captured.run(args);
    assertEquals(ExitCodes.INVALID_INPUT, r.exitCode(), r.err());
    assertEquals("", r.out());
    String[] lines = r.err().split("\\R");
    assertTrue(lines[0].startsWith("cartan: "), r.err());
    assertTrue(lines[lines.length - 1].startsWith("Try 'cartan"), r.err());
    if (!line.isEmpty()) {
      String offending = args[args.length - 1];
      assertTrue(r.err().contains(offending), "stderr should name '" + offending + "': " + r.err());
    }
  }

  @Test
  void unknownOptionSuggestsTheNearOne() {
    Captured r = Captured.run("env", "--formt", "text");
    assertEquals(ExitCodes.INVALID_INPUT, r.exitCode());
    assertTrue(r.err().contains("--format"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void runLeavesTheStreamsOpen() {
    CloseTracking out = new CloseTracking();
    CloseTracking err = new CloseTracking();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertEquals(ExitCodes.OK, Main.run(new String[] {"env"}, o, e));
    assertEquals(ExitCodes.INVALID_INPUT, Main.run(new String[] {"nope"}, o, e));
    assertFalse(out.closed);
    assertFalse(err.closed);
    o.print("still open");
    o.flush();
    assertFalse(o.checkError());
    assertTrue(out.bytes.toString(StandardCharsets.UTF_8).endsWith("}" + System.lineSeparator() + "still open"));
  }

  @Test
  void failuresMapToExitCodes() {
    assertFailure(ExitCodes.UNEXPECTED_STATE, new CliException(ExitCodes.UNEXPECTED_STATE, "odd", null), false);
    assertFailure(ExitCodes.INVALID_INPUT, new IllegalArgumentException("A has NaN at (1,2)"), false);
    assertFailure(ExitCodes.UNEXPECTED_STATE, new IllegalStateException("no SIMD"), false);
    assertFailure(ExitCodes.ERROR, new UncheckedIOException(new IOException("disk full")), false);
    assertFailure(ExitCodes.ERROR, new IOException("disk full"), false);
    assertFailure(ExitCodes.INTERNAL_ERROR, new NullPointerException("bug"), true);
  }

  private static void assertFailure(int code, Exception ex, boolean stackTrace) {
    StringWriter sw = new StringWriter();
    assertEquals(code, Main.failure(ex, new PrintWriter(sw)));
    String err = sw.toString();
    assertTrue(err.startsWith("cartan: "), err);
    assertTrue(err.contains(ex.getMessage()), err);
    assertEquals(stackTrace, err.contains("\tat "), err);
  }

  @Test
  void cliExceptionRefusesExitCodeZero() {
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new CliException(ExitCodes.OK, "fine", null));
  }

  @Test
  void exitCodesAreTheDocumentedNumbers() {
    // STYLE.md, CLI section: 0 ok, 1 error, 2 invalid input, 3 unexpected state, 4 internal error.
    assertEquals(0, ExitCodes.OK);
    assertEquals(1, ExitCodes.ERROR);
    assertEquals(2, ExitCodes.INVALID_INPUT);
    assertEquals(3, ExitCodes.UNEXPECTED_STATE);
    assertEquals(4, ExitCodes.INTERNAL_ERROR);
  }

  /** Records whether close() was called. */
  static final class CloseTracking extends OutputStream {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean closed;

    @Override
    public void write(int b) {
      bytes.write(b);
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
