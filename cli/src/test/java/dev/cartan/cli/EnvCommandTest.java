package dev.cartan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cartan.kernels.KernelProvider;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvCommandTest {
  private static final List<String> TOP =
      List.of("cartanVersion", "java", "os", "availableProcessors", "maxHeapBytes", "kernels", "hint");
  private static final List<String> KERNELS = List.of("vectorModuleReadable", "provider", "species", "doubleLanes",
      "floatLanes", "vectorBits", "vectorRegisters", "fma", "preferredVectorBits", "providerProperty", "vectorBitsProperty",
      "gemmTile", "gemmColumnsProperty");

  @Test
  void jsonDescribesThisJvmAndItsProvider() throws Exception {
    Captured r = Captured.run("env");
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    assertEquals("", r.err());
    JsonNode env = Json.mapper().readTree(r.out());
    assertEquals(TOP, names(env));
    assertEquals(MainTest.expectedVersion(), env.get("cartanVersion").asText());

    JsonNode java = env.get("java");
    assertEquals(System.getProperty("java.version"), java.get("version").asText());
    assertEquals(System.getProperty("java.vendor"), java.get("vendor").asText());
    assertEquals(System.getProperty("java.vm.name"), java.get("vmName").asText());
    assertEquals(System.getProperty("java.home"), java.get("home").asText());
    if (System.getProperty("java.vm.name").contains("HotSpot")) {
      // The JVM's default, unless this test JVM was started with the option (the last one given wins).
      long expected = 100;
      for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (arg.startsWith("-XX:PerMethodTrapLimit=")) {
          expected = Long.parseLong(arg.substring("-XX:PerMethodTrapLimit=".length()));
        }
      }
      assertEquals(expected, java.get("perMethodTrapLimit").asLong(), java.toString());
    }
    assertEquals(System.getProperty("os.name"), env.get("os").get("name").asText());
    assertEquals(System.getProperty("os.arch"), env.get("os").get("arch").asText());
    assertEquals(Runtime.getRuntime().availableProcessors(), env.get("availableProcessors").asInt());
    assertEquals(Runtime.getRuntime().maxMemory(), env.get("maxHeapBytes").asLong());

    JsonNode k = env.get("kernels");
    assertEquals(KERNELS, names(k));
    KernelProvider p = KernelProvider.get();
    boolean readable = KernelProvider.vectorModuleReadable();
    assertEquals(readable, k.get("vectorModuleReadable").asBoolean());
    assertEquals(p.name(), k.get("provider").asText());
    assertEquals(p.species(), k.get("species").asText());
    assertEquals(p.doubleLanes(), k.get("doubleLanes").asInt());
    assertEquals(p.floatLanes(), k.get("floatLanes").asInt());
    assertEquals(p.vectorBits(), k.get("vectorBits").asInt());
    assertEquals(p.vectorRegisters(), k.get("vectorRegisters").asInt());
    // The GEMM tiles' register file: none for scalar; 32 on AArch64 and 512-bit x86, else 16.
    int registers = k.get("vectorRegisters").asInt();
    if (p.name().equals("simd")) {
      boolean wideFile = System.getProperty("os.arch").equals("aarch64") || k.get("preferredVectorBits").asInt() >= 512;
      assertEquals(wideFile ? 32 : 16, registers);
    } else {
      assertEquals(0, registers);
    }
    assertEquals(p.fma(), k.get("fma").asBoolean());
    // The tile's rows are whole vectors; its columns follow the register file (and, with 16, the JDK).
    String[] tile = k.get("gemmTile").asText().split(" x ");
    assertEquals(p.f64().gemmMr(), Integer.parseInt(tile[0]));
    if (p.name().equals("simd")) {
      assertEquals(0, Integer.parseInt(tile[0]) % p.doubleLanes(), k.toString());
      int expected = registers >= 32 ? 12 : KernelProvider.gemmColumns();
      assertEquals(expected, Integer.parseInt(tile[1]), k.toString());
    }
    assertNullOr(System.getProperty(KernelProvider.GEMM_COLUMNS_PROPERTY), k.get("gemmColumnsProperty"));
    // Lanes follow from the width: 64-bit doubles, 32-bit floats (the scalar provider: one double lane, 64 bits).
    assertEquals(p.vectorBits(), 64 * k.get("doubleLanes").asInt());
    if (p.name().equals("simd")) {
      assertEquals(p.vectorBits(), 32 * k.get("floatLanes").asInt());
    }
    if (readable) {
      int preferred = k.get("preferredVectorBits").asInt();
      assertTrue(preferred >= p.vectorBits() || p.name().equals("scalar"), "preferred " + preferred);
      assertTrue(preferred == 64 || preferred == 128 || preferred == 256 || preferred == 512, "" + preferred);
      assertTrue(env.get("hint").isNull());
    } else {
      assertTrue(k.get("preferredVectorBits").isNull());
      assertEquals(KernelProvider.MODULE_HINT, env.get("hint").asText());
    }
    assertNullOr(System.getProperty(KernelProvider.PROVIDER_PROPERTY), k.get("providerProperty"));
    assertNullOr(System.getProperty(KernelProvider.VECTOR_BITS_PROPERTY), k.get("vectorBitsProperty"));
  }

  @Test
  void surefireRunsWithTheVectorModule() {
    // The parent POM's surefire argLine adds jdk.incubator.vector; without it the JSON checks above would only
    // ever see the scalar branch.
    assertTrue(KernelProvider.vectorModuleReadable(), "surefire argLine should add --add-modules");
  }

  @Test
  void textFormatHasOneAlignedLinePerField() {
    Captured r = Captured.run("env", "--format", "text");
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    assertEquals("", r.err());
    Map<String, String> lines = new LinkedHashMap<>();
    for (String line : r.out().split("\\R")) {
      assertTrue(line.length() > 21 && line.charAt(20) == ' ' && line.charAt(21) != ' ', "aligned: '" + line + "'");
      lines.put(line.substring(0, 20).trim(), line.substring(21));
    }
    KernelProvider p = KernelProvider.get();
    assertEquals(MainTest.expectedVersion(), lines.get("cartan"));
    assertEquals(System.getProperty("java.home"), lines.get("java.home"));
    assertEquals(p.name(), lines.get("provider"));
    assertEquals(p.species(), lines.get("species"));
    assertEquals(p.doubleLanes() + " double, " + p.floatLanes() + " float", lines.get("lanes"));
    assertEquals(Integer.toString(p.vectorBits()), lines.get("vector bits"));
    assertEquals(Integer.toString(p.vectorRegisters()), lines.get("vector registers"));
    assertEquals(p.fma() ? "yes" : "no", lines.get("fma"));
    assertEquals(KernelProvider.vectorModuleReadable() ? "readable" : "missing", lines.get("vector module"));
    assertEquals(!KernelProvider.vectorModuleReadable(), lines.containsKey("hint"));
    // The same runtime, described twice, must agree: JSON and text come from one collect().
    Captured json = Captured.run("env", "--format", "JSON");
    assertEquals(ExitCodes.OK, json.exitCode());
    assertTrue(json.out().startsWith("{"));
  }

  @Test
  void textShowsTheHintWhenTheModuleIsMissing() {
    // A runtime without the module, built by hand: this JVM has it, so collect() cannot produce one.
    EnvCommand.Env env = new EnvCommand.Env("9.9", new EnvCommand.Jdk("17.0.1", "V", "VM", "/jdk", null),
        new EnvCommand.Os("Linux", "6", "amd64"), 4, 1L << 30,
        new EnvCommand.Kernels(false, "scalar", "scalar (1 lane)", 1, 1, 64, 0, false, null, null, null, "4 x 4",
            null),
        KernelProvider.MODULE_HINT);
    String text = EnvCommand.text(env);
    assertTrue(text.contains("vector module        missing"), text);
    assertTrue(text.contains("hint                 " + KernelProvider.MODULE_HINT), text);
    assertTrue(text.contains("max heap             1024.0 MiB"), text);
    assertTrue(!text.contains("preferred bits"), text);
    assertTrue(text.contains("vector registers     0"), text);
    assertTrue(!text.contains("trap limit"), text);
  }

  private static void assertNullOr(String expected, JsonNode node) {
    assertNotNull(node);
    if (expected == null) {
      assertTrue(node.isNull(), node.toString());
    } else {
      assertEquals(expected, node.asText());
    }
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
