package dev.cartan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void demoWritesReadsAndSummarizes() throws Exception {
    Captured r = Captured.run("demo", "--out", dir.toString(), "--width", "12", "--depth", "3");
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    assertTrue(r.out().contains("margin inequality") && r.out().contains("depth budget"), r.out());
    assertFalse(r.out().contains("FAILS"), r.out());
    Path json = dir.resolve("demo-report.json");
    assertTrue(r.out().contains("full JSON: " + json), r.out());
    assertTrue(Files.exists(dir.resolve("demo-model.safetensors")), "--out keeps the checkpoint");
    JsonNode j = Json.mapper().readTree(json.toFile());
    assertEquals(6, j.get("layers").size());
    assertEquals(3, j.get("chain").get("report").get("steps").asInt());
    // Each weight is an exact orbit spectrum (stored as float32): the ls chart recovers its exponent.
    JsonNode first = j.get("layers").get(0);
    assertEquals("blocks.0.attn.out.weight", first.get("name").asText());
    assertEquals(DemoCommand.S_FIRST, first.get("charts").get(0).get("s").asDouble(), 1e-5);
    assertTrue(j.get("chain").get("report").get("oneStepBoundHolds").asBoolean());

    // Deterministic: a second run gives the same JSON.
    Path dir2 = dir.resolve("again");
    Captured r2 = Captured.run("demo", "--out", dir2.toString(), "--width", "12", "--depth", "3");
    assertEquals(ExitCodes.OK, r2.exitCode(), r2.err());
    JsonNode j2 = Json.mapper().readTree(dir2.resolve("demo-report.json").toFile());
    assertEquals(j.get("chain").get("report"), j2.get("chain").get("report"));
  }

  @Test
  void badSizesAreInvalidInput() {
    Captured r = Captured.run("demo", "--width", "1");
    assertEquals(ExitCodes.INVALID_INPUT, r.exitCode());
    assertTrue(r.err().contains("--width"), r.err());
  }
}
