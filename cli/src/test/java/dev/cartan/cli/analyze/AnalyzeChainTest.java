package dev.cartan.cli.analyze;

import static dev.cartan.cli.analyze.AnalyzeFiles.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cartan.cli.ExitCodes;
import dev.cartan.cli.Json;
import dev.cartan.cli.io.DType;
import dev.cartan.cli.io.SafetensorsWriter;
import dev.cartan.core.chain.ChainMode;
import dev.cartan.core.chain.ChainOptions;
import dev.cartan.core.chain.ChainReport;
import dev.cartan.core.chain.Chains;
import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.svd.SvdOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code chains} section of {@code cartan analyze}: a synthetic checkpoint with a few blocks of square
 * attention output weights, written with {@link SafetensorsWriter} in F64 (exact), against the chain report of
 * the same factors built here in memory (naive loops for {@code I + W} and the transpose) and analyzed by core
 * {@link Chains}, and against {@code cartan chain --residual}.
 */
class AnalyzeChainTest {
  static final int D = 8;
  static final int BLOCKS = 4;

  @TempDir static Path dir;
  static Path llama;
  static Path gpt2;
  static List<DMatrix> w = new ArrayList<>();

  @BeforeAll
  static void write() throws Exception {
    SplittableRandom rnd = new SplittableRandom(11);
    for (int l = 0; l < BLOCKS; l++) {
      w.add(gaussian(D, D, 0.3 / Math.sqrt(D), rnd));
    }
    List<SafetensorsWriter.Entry> ll = new ArrayList<>();
    List<SafetensorsWriter.Entry> g2 = new ArrayList<>();
    for (int l = BLOCKS - 1; l >= 0; l--) { // reversed on disk: the chain must follow depth, not file order
      ll.add(new SafetensorsWriter.Entry("model.layers." + l + ".self_attn.o_proj.weight", w.get(l)));
      ll.add(new SafetensorsWriter.Entry("model.layers." + l + ".self_attn.q_proj.weight",
          gaussian(D, 12, 1, rnd)));
      ll.add(new SafetensorsWriter.Entry("model.layers." + l + ".mlp.down_proj.weight", gaussian(D, 2 * D, 1, rnd)));
      g2.add(new SafetensorsWriter.Entry("h." + l + ".attn.c_proj.weight", w.get(l)));
      g2.add(new SafetensorsWriter.Entry("h." + l + ".mlp.c_fc.weight", gaussian(D, 4 * D, 1, rnd)));
    }
    llama = dir.resolve("llama.safetensors");
    SafetensorsWriter.write(llama, ll, DType.F64, Map.of());
    gpt2 = dir.resolve("gpt2.safetensors");
    SafetensorsWriter.write(gpt2, g2, DType.F64, Map.of());
  }

  static DMatrix gaussian(int m, int n, double scale, SplittableRandom rnd) {
    DMatrix a = DMatrix.zeros(m, n);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        // Box-Muller: a normal deviate from two uniforms.
        double u = 1 - rnd.nextDouble();
        a.set(i, j, scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble()));
      }
    }
    return a;
  }

  /** {@code I + W} or {@code I + W^T}, element by element. */
  static DMatrix factor(DMatrix m, boolean transposed) {
    DMatrix a = DMatrix.zeros(D, D);
    for (int i = 0; i < D; i++) {
      for (int j = 0; j < D; j++) {
        a.set(i, j, (transposed ? m.get(j, i) : m.get(i, j)) + (i == j ? 1 : 0));
      }
    }
    return a;
  }

  static ChainReport inMemory(boolean transposed, List<String> names) {
    return inMemory(transposed, names, SvdOptions.Method.AUTO);
  }

  static ChainReport inMemory(boolean transposed, List<String> names, SvdOptions.Method svd) {
    List<DMatrix> a = new ArrayList<>();
    for (DMatrix m : w) {
      a.add(factor(m, transposed));
    }
    return Chains.analyze(a, names, ChainMode.FACTORS, ChainOptions.DEFAULTS.withNearIdentity(false).withSvd(svd));
  }

  /** The report as JSON without its free-text proxy note and the near-identity list (analyze leaves it out). */
  static JsonNode numbers(JsonNode report) {
    ObjectNode o = report.deepCopy();
    o.remove("proxy");
    o.remove("nearIdentity");
    return o;
  }

  static JsonNode json(AnalyzeFiles.Run r) throws Exception {
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    return Json.mapper().readTree(r.out());
  }

  static List<String> names(String prefix, String suffix) {
    List<String> out = new ArrayList<>();
    for (int l = 0; l < BLOCKS; l++) {
      out.add(prefix + l + suffix);
    }
    return out;
  }

  @Test
  void chainSectionEqualsTheInMemoryReportAndCartanChain() throws Exception {
    JsonNode j = json(run("analyze", llama.toString()));
    assertEquals(2, AnalysisResult.SCHEMA_VERSION);
    assertEquals(2, j.get("schemaVersion").asInt());
    assertTrue(j.at("/settings/chain").asBoolean());
    assertEquals("attn_o", j.at("/settings/chainRole").asText());
    JsonNode chains = j.get("chains");
    assertEquals(1, chains.size(), chains.toString());
    JsonNode c = chains.get(0);
    List<String> names = names("model.layers.", ".self_attn.o_proj.weight");
    assertEquals(names, Json.mapper().convertValue(c.get("tensors"), List.class));
    assertEquals(List.of(0, 1, 2, 3), Json.mapper().convertValue(c.get("depths"), List.class));
    assertEquals("attn_o", c.get("role").asText());
    assertEquals("model.layers.#.self_attn.o_proj.weight", c.get("group").asText());
    assertEquals("llama", c.get("family").asText());
    assertFalse(c.get("transposed").asBoolean());
    assertTrue(c.get("staticProxy").asBoolean());
    assertEquals(D, c.get("dimension").asInt());
    assertEquals(0, c.get("warnings").size());
    assertTrue(c.get("seconds").asDouble() >= 0);
    assertTrue(c.get("cpuSeconds").isNumber());
    // Indices point at the matching matrices.
    for (int l = 0; l < BLOCKS; l++) {
      int idx = c.get("indices").get(l).asInt();
      assertEquals(names.get(l), j.at("/matrices/" + idx + "/tensor").asText());
    }
    JsonNode report = c.get("report");
    assertTrue(report.get("proxy").asText().startsWith("static proxy"), report.get("proxy").asText());
    assertEquals(BLOCKS, report.get("steps").asInt());
    assertEquals(0, report.get("nearIdentity").size());
    JsonNode expected = Json.mapper().valueToTree(inMemory(false, names));
    assertEquals(numbers(expected), numbers(report));

    // cartan chain --residual on the same tensors: the same numbers.
    JsonNode chain = json(run("chain", llama.toString(), "--residual", "--pattern", "o_proj\\.weight$"));
    assertFalse(chain.get("transposed").asBoolean());
    assertEquals(numbers(report), numbers(chain.get("report")));
    assertEquals(report.get("proxy"), chain.at("/report/proxy"));
  }

  @Test
  void chainStatesUseTheSvdRouteOfTheLayers() throws Exception {
    List<String> names = names("model.layers.", ".self_attn.o_proj.weight");
    JsonNode fast = json(run("analyze", llama.toString(), "--svd", "fast")).get("chains").get(0).get("report");
    assertEquals(numbers(Json.mapper().valueToTree(inMemory(false, names, SvdOptions.Method.FAST))), numbers(fast));
    // The two routes round differently, so the reports are not bit-identical: the option reached the chain.
    assertNotEquals(numbers(Json.mapper().valueToTree(inMemory(false, names, SvdOptions.Method.ACCURATE))),
        numbers(fast));
  }

  @Test
  void gpt2Conv1DWeightsAreTransposed() throws Exception {
    JsonNode j = json(run("analyze", gpt2.toString()));
    JsonNode c = j.at("/chains/0");
    assertEquals(1, j.get("chains").size());
    assertEquals("gpt2", c.get("family").asText());
    assertEquals("h.#.attn.c_proj.weight", c.get("group").asText());
    assertTrue(c.get("transposed").asBoolean());
    assertTrue(c.at("/report/proxy").asText().contains("I + W_l^T"), c.at("/report/proxy").asText());
    List<String> names = names("h.", ".attn.c_proj.weight");
    assertEquals(numbers(Json.mapper().valueToTree(inMemory(true, names))), numbers(c.get("report")));
    // Not the untransposed chain: the products differ.
    assertNotEquals(numbers(Json.mapper().valueToTree(inMemory(false, names))), numbers(c.get("report")));

    JsonNode chain = json(run("chain", gpt2.toString(), "--residual", "--pattern", "c_proj"));
    assertTrue(chain.get("transposed").asBoolean());
    assertEquals(numbers(c.get("report")), numbers(chain.get("report")));
  }

  @Test
  void noChainRemovesTheSection() throws Exception {
    JsonNode j = json(run("analyze", llama.toString(), "--no-chain"));
    assertEquals(0, j.get("chains").size());
    assertFalse(j.at("/settings/chain").asBoolean());
    assertEquals(3 * BLOCKS, j.get("matrices").size());
    AnalyzeFiles.Run t = run("analyze", llama.toString(), "--no-chain", "--format", "text");
    assertFalse(t.out().contains("static proxy"), t.out());
  }

  @Test
  void noSquareWeightsNoSectionAndNoError() throws Exception {
    AnalyzeFiles.Run r = run("analyze", llama.toString(), "--exclude", "o_proj");
    JsonNode j = json(r);
    assertEquals(0, j.get("chains").size());
    assertEquals(0, j.get("warnings").size(), j.get("warnings").toString());
    assertEquals(0, j.get("errors").size());
    assertEquals("", r.err());
    // mlp_down is 8 x 16 here: not square, so no chain of that role either; asked for explicitly, a warning.
    JsonNode k = json(run("analyze", llama.toString(), "--chain", "--chain-role", "mlp_down"));
    assertEquals(0, k.get("chains").size());
    assertEquals("mlp_down", k.at("/settings/chainRole").asText());
    assertTrue(k.get("warnings").get(0).asText().contains("no residual proxy chain"), k.toString());
    // One block is no chain.
    assertEquals(0, json(run("analyze", llama.toString(), "--include", "layers\\.0\\.")).get("chains").size());
    assertEquals(ExitCodes.INVALID_INPUT, run("analyze", llama.toString(), "--chain-role", "residual").exitCode());
  }

  @Test
  void aSingularFactorIsAWarningNotAFailure() throws Exception {
    DMatrix minusI = DMatrix.zeros(D, D);
    for (int i = 0; i < D; i++) {
      minusI.set(i, i, -1);
    }
    Path f = dir.resolve("singular.safetensors");
    SafetensorsWriter.write(f, List.of(new SafetensorsWriter.Entry("blocks.0.attn.proj.weight", w.get(0)),
        new SafetensorsWriter.Entry("blocks.1.attn.proj.weight", minusI)), DType.F64, Map.of());
    JsonNode j = json(run("analyze", f.toString()));
    JsonNode c = j.at("/chains/0");
    assertTrue(c.get("report").isNull());
    assertTrue(c.get("warnings").get(0).asText().contains("not computed")
        && c.get("warnings").get(0).asText().contains("blocks.1.attn.proj.weight"), c.toString());
    assertTrue(j.get("warnings").get(0).asText().startsWith("chain attn_o blocks.#.attn.proj.weight"),
        j.get("warnings").toString());
  }

  @Test
  void aMemberThatFailsIsLeftOutOfTheChain() throws Exception {
    // Block 2's weight holds a NaN, so its analysis fails. The chain predicted from the headers (all four blocks)
    // starts with the tensors; the one the output must carry is the chain of the three analyzed blocks.
    // The writer refuses NaN: write a sentinel, then overwrite its bytes in the file.
    double sentinel = 12345.6789;
    DMatrix bad = w.get(2).copy();
    bad.set(1, 3, sentinel);
    List<SafetensorsWriter.Entry> entries = new ArrayList<>();
    for (int l = 0; l < BLOCKS; l++) {
      entries.add(new SafetensorsWriter.Entry("model.layers." + l + ".self_attn.o_proj.weight",
          l == 2 ? bad : w.get(l)));
    }
    Path f = dir.resolve("nan-member.safetensors");
    SafetensorsWriter.write(f, entries, DType.F64, Map.of());
    byte[] bytes = Files.readAllBytes(f);
    ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int at = -1;
    for (int i = 0; i + 8 <= bytes.length; i++) {
      if (le.getDouble(i) == sentinel) {
        assertEquals(-1, at, "the sentinel occurs once");
        at = i;
      }
    }
    le.putDouble(at, Double.NaN);
    Files.write(f, bytes);
    AnalyzeFiles.Run r = run("analyze", f.toString());
    assertEquals(ExitCodes.ERROR, r.exitCode(), r.err());
    JsonNode j = Json.mapper().readTree(r.out());
    assertEquals(1, j.get("errors").size());
    assertEquals("model.layers.2.self_attn.o_proj.weight", j.at("/errors/0/tensor").asText());
    JsonNode c = j.at("/chains/0");
    List<String> names = List.of("model.layers.0.self_attn.o_proj.weight", "model.layers.1.self_attn.o_proj.weight",
        "model.layers.3.self_attn.o_proj.weight");
    assertEquals(names, Json.mapper().convertValue(c.get("tensors"), List.class));
    assertEquals(List.of(0, 1, 3), Json.mapper().convertValue(c.get("depths"), List.class));
    for (int l = 0; l < names.size(); l++) {
      assertEquals(names.get(l), j.at("/matrices/" + c.get("indices").get(l).asInt() + "/tensor").asText());
    }
    List<DMatrix> factors = List.of(factor(w.get(0), false), factor(w.get(1), false), factor(w.get(3), false));
    ChainReport expected = Chains.analyze(factors, names, ChainMode.FACTORS,
        ChainOptions.DEFAULTS.withNearIdentity(false));
    assertEquals(numbers(Json.mapper().valueToTree(expected)), numbers(c.get("report")));
  }

  @Test
  void textHasAShortChainBlock() throws Exception {
    AnalyzeFiles.Run r = run("analyze", gpt2.toString(), "--format", "text", "--chart", "top");
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    String out = r.out();
    assertTrue(out.contains("chain attn_o  h.#.attn.c_proj.weight  L = 4, d = 8, stored in x out"), out);
    assertTrue(out.contains("static proxy"), out);
    assertTrue(out.contains("8.8    m sum|ds|") && out.contains("8.9    depth budget"), out);
    assertTrue(out.contains("chart  top"), out);
    // Short: no per-step table.
    assertFalse(out.contains("|ds_l|      bound"), out);
    Path html = dir.resolve("gpt2.html");
    assertEquals(ExitCodes.OK, run("analyze", gpt2.toString(), "--html", html.toString(), "--out",
        dir.resolve("gpt2.json").toString()).exitCode());
    String page = Files.readString(html, StandardCharsets.UTF_8);
    assertTrue(page.contains("Residual proxy chains") && page.contains("id=\"chain-0\""), page);
  }
}
