package dev.cartan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged {@code cartan.jar}, directly and through the {@code ./cartan} launcher, in child JVMs
 * (failsafe, after {@code package}). Skips if the jar or the launcher is absent (e.g. run from an IDE).
 */
class LauncherIT {
  private static Path jar;
  private static Path launcher;
  private static Path javaHome;
  /** The launcher runs this JDK's java; {@code -XX:PerMethodTrapLimit} is a HotSpot option. */
  private static final boolean HOTSPOT = System.getProperty("java.vm.name").contains("HotSpot");

  @BeforeAll
  static void locate() {
    String j = System.getProperty("cartan.jar");
    String l = System.getProperty("cartan.launcher");
    assumeTrue(j != null && l != null, "failsafe sets cartan.jar and cartan.launcher");
    jar = Paths.get(j);
    launcher = Paths.get(l).normalize();
    assumeTrue(Files.isRegularFile(jar), jar + " not built");
    assumeTrue(Files.isExecutable(launcher), launcher + " not executable");
    javaHome = Paths.get(System.getProperty("java.home"));
  }

  record Run(int exitCode, String out, String err) {}

  private static Run run(Map<String, String> env, String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("CARTAN_JAR");
    pb.environment().remove("CARTAN_JAVA_OPTS");
    pb.environment().remove("JDK_JAVA_OPTIONS");
    pb.environment().put("JAVA_HOME", javaHome.toString());
    pb.environment().putAll(env);
    File out = File.createTempFile("cartan-out", ".txt");
    File err = File.createTempFile("cartan-err", ".txt");
    try {
      pb.redirectOutput(out).redirectError(err);
      Process p = pb.start();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "cartan did not finish in 60 s");
      return new Run(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
          Files.readString(err.toPath(), StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out.toPath());
      Files.deleteIfExists(err.toPath());
    }
  }

  /** stderr lines other than the JVM's own "WARNING: Using incubator modules" notice. */
  private static List<String> ourLines(String err) {
    List<String> lines = new ArrayList<>();
    for (String line : err.split("\\R")) {
      if (!line.isEmpty() && !line.startsWith("WARNING: Using incubator modules")) {
        lines.add(line);
      }
    }
    return lines;
  }

  @Test
  void launcherRunsSimd() throws Exception {
    Run r = run(Map.of(), launcher.toString(), "env");
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    JsonNode env = Json.mapper().readTree(r.out());
    assertEquals(System.getProperty("cartan.expectedVersion"), env.get("cartanVersion").asText());
    assertEquals(javaHome.toString(), env.get("java").get("home").asText());
    // The launcher's -XX:PerMethodTrapLimit (docs/cli.md, "The launcher"); a HotSpot option.
    if (HOTSPOT) {
      assertEquals(10000, env.get("java").get("perMethodTrapLimit").asLong(), r.out());
    }
    assertTrue(env.get("kernels").get("vectorModuleReadable").asBoolean(), r.out());
    assertEquals("simd", env.get("kernels").get("provider").asText());
    assertTrue(env.get("hint").isNull());
    assertEquals(List.of(), ourLines(r.err()));
  }

  @Test
  void launcherPassesJavaOptsAndExitCodes() throws Exception {
    Run scalar = run(Map.of("CARTAN_JAVA_OPTS", "-Dcartan.provider=scalar -Xmx128m -XX:PerMethodTrapLimit=500"),
        launcher.toString(), "env");
    assertEquals(ExitCodes.OK, scalar.exitCode(), scalar.err());
    if (HOTSPOT) {
      // The user's options come after the launcher's and win.
      assertEquals(500, Json.mapper().readTree(scalar.out()).get("java").get("perMethodTrapLimit").asLong());
    }
    JsonNode k = Json.mapper().readTree(scalar.out()).get("kernels");
    assertEquals("scalar", k.get("provider").asText());
    assertEquals("scalar", k.get("providerProperty").asText());

    Run bad = run(Map.of("CARTAN_JAVA_OPTS", "-Dcartan.provider=bogus"), launcher.toString(), "env");
    assertEquals(ExitCodes.INVALID_INPUT, bad.exitCode(), bad.err());
    assertEquals("", bad.out());
    assertTrue(bad.err().contains("bogus"), bad.err());

    Run unknown = run(Map.of(), launcher.toString(), "frobnicate");
    assertEquals(ExitCodes.INVALID_INPUT, unknown.exitCode());
    assertEquals("", unknown.out());
  }

  @Test
  void launcherWithoutJarSaysHowToBuild() throws Exception {
    Run r = run(Map.of("CARTAN_JAR", "/nonexistent/cartan.jar"), launcher.toString(), "env");
    assertEquals(1, r.exitCode());
    assertEquals("", r.out());
    List<String> lines = ourLines(r.err());
    assertEquals(1, lines.size(), r.err());
    assertTrue(lines.get(0).contains("mvn -B"), lines.get(0));
  }

  @Test
  void launcherFollowsASymlink(@TempDir Path dir) throws Exception {
    Path link = dir.resolve("cartan");
    Files.createSymbolicLink(link, launcher.toAbsolutePath());
    Run r = run(Map.of(), link.toString(), "--version");
    Files.delete(link); // ourselves: @TempDir warns about links that point outside it
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    assertTrue(r.out().startsWith("cartan " + System.getProperty("cartan.expectedVersion")), r.out());
  }

  @Test
  void launcherFallsBackToPlainJavaOnAJdkWithoutTheModule(@TempDir Path dir) throws Exception {
    // A fake JDK root whose release file lists modules without jdk.incubator.vector; bin/java is the real one.
    Files.createDirectories(dir.resolve("bin"));
    Files.createSymbolicLink(dir.resolve("bin/java"), javaHome.resolve("bin/java"));
    Files.writeString(dir.resolve("release"), "JAVA_VERSION=\"17\"\nMODULES=\"java.base java.logging\"\n");
    Run r = run(Map.of("JAVA_HOME", dir.toString()), launcher.toString(), "env");
    Files.delete(dir.resolve("bin/java"));
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    assertEquals("scalar", Json.mapper().readTree(r.out()).get("kernels").get("provider").asText());
    assertFalse(r.err().contains("Using incubator modules"), r.err());
  }

  @Test
  void plainJavaJarRunsScalarWithTheHintOnceOnStderr() throws Exception {
    Run r = run(Map.of(), javaHome.resolve("bin/java").toString(), "-jar", jar.toString(), "env");
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    JsonNode env = Json.mapper().readTree(r.out());
    assertFalse(env.get("kernels").get("vectorModuleReadable").asBoolean());
    assertEquals("scalar", env.get("kernels").get("provider").asText());
    assertTrue(env.get("hint").asText().contains("--add-modules jdk.incubator.vector"));
    List<String> lines = ourLines(r.err());
    assertEquals(1, lines.size(), r.err());
    assertTrue(lines.get(0).startsWith("cartan: warning: ") && lines.get(0).contains("--add-modules"), r.err());
  }

  @Test
  void verboseShowsTheProviderInfoLine() throws Exception {
    Run r = run(Map.of(), launcher.toString(), "--verbose", "--version");
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    List<String> lines = ourLines(r.err());
    assertEquals(1, lines.size(), r.err());
    assertTrue(lines.get(0).startsWith("cartan: info: Cartan kernels: SIMD provider"), r.err());
    Run quiet = run(Map.of(), launcher.toString(), "--version");
    assertEquals(List.of(), ourLines(quiet.err()));
  }
}
