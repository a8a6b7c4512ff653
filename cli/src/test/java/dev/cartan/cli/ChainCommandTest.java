package dev.cartan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cartan.cli.io.DType;
import dev.cartan.cli.io.SafetensorsWriter;
import dev.cartan.core.chain.ChainGenerators;
import dev.cartan.core.chain.ChainOptions;
import dev.cartan.core.chain.ChainReport;
import dev.cartan.core.chain.ChainMode;
import dev.cartan.core.chain.Chains;
import dev.cartan.kernels.DMatrix;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainCommandTest {
  @TempDir Path dir;

  private Path write(List<String> names, List<DMatrix> ms, SafetensorsWriter.Entry... extra) throws Exception {
    List<SafetensorsWriter.Entry> es = new ArrayList<>(List.of(extra));
    for (int i = ms.size() - 1; i >= 0; i--) { // reversed on disk: the command must sort by name
      es.add(new SafetensorsWriter.Entry(names.get(i), ms.get(i)));
    }
    Path f = dir.resolve("chain.safetensors");
    SafetensorsWriter.write(f, es, DType.F64, Map.of());
    return f;
  }

  private static void assertSameReport(ChainReport expected, JsonNode got) {
    assertEquals(expected.steps(), got.get("steps").asInt());
    assertEquals(expected.logM(), got.get("logM").asDouble(), 0.0);
    assertEquals(expected.slack(), got.get("slack").asDouble(), 0.0);
    assertEquals(expected.submultiplicativeSlack(), got.get("submultiplicativeSlack").asDouble(), 0.0);
    for (int l = 0; l <= expected.steps(); l++) {
      assertEquals(expected.states().get(l).topRadial(), got.get("states").get(l).get("topRadial").asDouble(), 0.0);
    }
    for (int c = 0; c < expected.charts().size(); c++) {
      ChainReport.ChartChain e = expected.charts().get(c);
      JsonNode g = got.get("charts").get(c);
      assertEquals(e.chart(), g.get("chart").asText());
      assertEquals(e.chainObserved(), g.get("chainObserved").asDouble(), 0.0);
      assertEquals(e.chainBound(), g.get("chainBound").asDouble(), 0.0);
      assertEquals(e.budgetBound(), g.get("budgetBound").asDouble(), 0.0);
      assertTrue(g.get("chainHolds").asBoolean());
    }
  }

  @Test
  void statesReadFromAFileGiveTheInMemoryReport() throws Exception {
    List<DMatrix> x = ChainGenerators.backtracking(8, 10, 0.3, 1.2, 0.5, 0.05, 3);
    List<String> names = new ArrayList<>();
    for (int l = 0; l < x.size(); l++) {
      names.add("state." + l); // state.10 must come after state.9
    }
    Path f = write(names, x, new SafetensorsWriter.Entry("proj", DMatrix.zeros(8, 3)));
    Captured r = Captured.run("chain", f.toString(), "--mode", "states");
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    JsonNode j = Json.mapper().readTree(r.out());
    List<String> got = new ArrayList<>();
    j.get("tensors").forEach(n -> got.add(n.asText()));
    assertEquals(names, got);
    assertSameReport(Chains.analyze(x, names, ChainMode.STATES, ChainOptions.DEFAULTS), j.get("report"));
  }

  @Test
  void residualFactorsSaySoAndMatchMemory() throws Exception {
    List<DMatrix> a = ChainGenerators.nearIdentity(6, 3, 0.05, ChainGenerators.Noise.HEAVY_TAILED, 8);
    List<DMatrix> w = new ArrayList<>();
    for (DMatrix m : a) {
      DMatrix c = m.copy();
      for (int i = 0; i < 6; i++) {
        c.set(i, i, c.get(i, i) - 1);
      }
      w.add(c);
    }
    List<String> names = List.of("blocks.0.o", "blocks.1.o", "blocks.2.o");
    Path f = write(names, w);
    Captured r = Captured.run("chain", f.toString(), "--residual", "--pattern", "\\.o$");
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    JsonNode j = Json.mapper().readTree(r.out());
    assertTrue(j.get("residual").asBoolean());
    assertTrue(j.get("report").get("proxy").asText().contains("static proxy"));
    // I + W rounds once per diagonal entry, exactly as the command does: the same doubles go in.
    List<DMatrix> rebuilt = new ArrayList<>();
    for (DMatrix m : w) {
      DMatrix c = m.copy();
      for (int i = 0; i < 6; i++) {
        c.set(i, i, c.get(i, i) + 1);
      }
      rebuilt.add(c);
    }
    assertSameReport(Chains.analyze(rebuilt, names, ChainMode.FACTORS, ChainOptions.DEFAULTS), j.get("report"));
    assertEquals(3, j.get("report").get("nearIdentity").size());

    for (String n : new String[] {"1", "2"}) {
      Captured th = Captured.run("chain", f.toString(), "--residual", "--threads", n);
      assertEquals(ExitCodes.OK, th.exitCode(), th.err());
      assertSameReport(Chains.analyze(rebuilt, names, ChainMode.FACTORS, ChainOptions.DEFAULTS),
          Json.mapper().readTree(th.out()).get("report"));
    }
    Captured bad = Captured.run("chain", f.toString(), "--residual", "--threads", "3");
    assertEquals(ExitCodes.INVALID_INPUT, bad.exitCode());
    assertTrue(bad.err().contains("--threads"), bad.err());

    Captured t = Captured.run("chain", f.toString(), "--residual", "--format", "text", "--chart", "top");
    assertEquals(ExitCodes.OK, t.exitCode(), t.err());
    assertTrue(t.out().contains("static proxy") && t.out().contains("8.8") && t.out().contains("holds"), t.out());
  }

  @Test
  void residualRefusesMixedLayouts() throws Exception {
    List<DMatrix> w = ChainGenerators.orbit(4, 1, 0.2, 0.6, true, 2);
    Path f = write(List.of("h.0.attn.c_proj.weight", "model.layers.1.self_attn.o_proj.weight"), w);
    Captured r = Captured.run("chain", f.toString(), "--residual");
    assertEquals(ExitCodes.INVALID_INPUT, r.exitCode());
    assertTrue(r.err().contains("one layout"), r.err());
  }

  @Test
  void singularAndNonSquareInputExitWithTwo() throws Exception {
    List<DMatrix> x = new ArrayList<>(ChainGenerators.orbit(5, 2, 0.2, 0.6, true, 1));
    DMatrix bad = DMatrix.zeros(5, 5);
    bad.set(0, 0, 1);
    x.set(1, bad);
    Path f = write(List.of("x.0", "x.1", "x.2"), x, new SafetensorsWriter.Entry("wide", DMatrix.identity(5).view(0, 0, 5, 3)));
    Captured r = Captured.run("chain", f.toString(), "--mode", "states");
    assertEquals(ExitCodes.INVALID_INPUT, r.exitCode());
    assertEquals("", r.out());
    assertTrue(r.err().contains("x.1") && r.err().contains("singular"), r.err());

    Captured n = Captured.run("chain", f.toString(), "--tensors", "x.0,wide");
    assertEquals(ExitCodes.INVALID_INPUT, n.exitCode());
    assertTrue(n.err().contains("wide") && n.err().contains("not a square matrix"), n.err());

    Captured m = Captured.run("chain", f.toString(), "--mode", "sideways");
    assertEquals(ExitCodes.INVALID_INPUT, m.exitCode());
    assertTrue(m.err().contains("--mode"), m.err());
  }

  @Test
  void naturalOrderComparesDigitRunsAsNumbers() {
    List<String> s = new ArrayList<>(List.of("l.10.w", "l.9.w", "l.09.x", "a", "l.1.w"));
    s.sort(ChainCommand.NATURAL);
    assertEquals(List.of("a", "l.1.w", "l.9.w", "l.09.x", "l.10.w"), s);
  }
}
