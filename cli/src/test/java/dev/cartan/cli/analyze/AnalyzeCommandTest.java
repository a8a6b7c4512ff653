package dev.cartan.cli.analyze;

import static dev.cartan.cli.analyze.AnalyzeFiles.run;
import static dev.cartan.cli.analyze.AnalyzeFiles.safetensors;
import static dev.cartan.cli.analyze.AnalyzeFiles.withSingularValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cartan.cli.ExitCodes;
import dev.cartan.cli.Json;
import dev.cartan.cli.analyze.AnalyzeFiles.T;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cartan analyze} end to end on generated checkpoints whose singular values are known by construction
 * ({@code U diag(s) V^T} with Householder reflectors); expected numbers come from the definitions in THEORY.md,
 * computed here from s.
 */
class AnalyzeCommandTest {
  @TempDir static Path dir;
  static Path model;

  /** sigma_k = k^-1: p_k is proportional to k^-2, an exact power law, so the ls exponent is 2. */
  static final double[] S0 = {1, 1 / 2.0, 1 / 3.0, 1 / 4.0, 1 / 5.0, 1 / 6.0};
  /** sigma_k = k^-1/2: ls exponent 1. */
  static final double[] S1 = {1, Math.pow(2, -0.5), Math.pow(3, -0.5), 0.5, Math.pow(5, -0.5), Math.pow(6, -0.5)};
  static final double[] SO = {5, 4, 3, 2, 1, 0.5};
  static final double[][] QKV = {{4, 3, 2, 1}, {2, 2, 1, 1}, {9, 1, 0.5, 0.25}};

  @BeforeAll
  static void write() throws Exception {
    // GPT-2's Conv1D stores the fused qkv as in x out = 4 x 12: three 4 x 4 column blocks q, k, v.
    double[] fused = new double[4 * 12];
    for (int b = 0; b < 3; b++) {
      double[] blk = withSingularValues(4, 4, QKV[b], 0.3 * b);
      for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
          fused[i * 12 + b * 4 + j] = blk[i * 4 + j];
        }
      }
    }
    model = safetensors(dir.resolve("model.safetensors"),
        new T("model.layers.0.self_attn.q_proj.weight", new long[] {6, 10}, withSingularValues(6, 10, S0, 0.1)),
        new T("model.layers.0.self_attn.o_proj.weight", new long[] {6, 6}, withSingularValues(6, 6, SO, 0.2)),
        new T("model.layers.1.self_attn.q_proj.weight", new long[] {10, 6}, withSingularValues(10, 6, S1, 0.5)),
        new T("transformer.h.0.attn.c_attn.weight", new long[] {4, 12}, fused),
        new T("model.norm.weight", new long[] {6}, new double[6]));
  }

  static double[] energies(double[] s) {
    double t = 0;
    for (double x : s) {
      t += x * x;
    }
    double[] p = new double[s.length];
    for (int i = 0; i < s.length; i++) {
      p[i] = s[i] * s[i] / t;
    }
    return p;
  }

  static double frobenius(double[] s) {
    double t = 0;
    for (double x : s) {
      t += x * x;
    }
    return Math.sqrt(t);
  }

  static JsonNode json(String out) throws Exception {
    return Json.mapper().readTree(out);
  }

  @Test
  void jsonHasEveryMatrixWithValuesFromItsSingularValues() throws Exception {
    AnalyzeFiles.Run r = run("analyze", model.toString(), "--threads", "2");
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    JsonNode j = json(r.out());
    assertEquals(AnalysisResult.SCHEMA_VERSION, j.get("schemaVersion").asInt());
    assertEquals(2, j.at("/runtime/threads").asInt());
    assertTrue(j.at("/runtime/cores").asInt() >= 1);
    assertFalse(j.at("/runtime/provider").asText().isEmpty());
    JsonNode m = j.get("matrices");
    // File order; the fused qkv splits into three parts; the 1-D norm is skipped.
    assertEquals(6, m.size());
    assertEquals(1, j.get("skipped").asInt());
    assertEquals(0, j.get("errors").size());
    String[] tensors = {"model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.o_proj.weight",
        "model.layers.1.self_attn.q_proj.weight"};
    double[][] sv = {S0, SO, S1};
    for (int i = 0; i < 3; i++) {
      JsonNode e = m.get(i);
      assertEquals(i, e.get("index").asInt());
      assertEquals(tensors[i], e.get("tensor").asText());
      JsonNode rep = e.get("report");
      double[] p = energies(sv[i]);
      int d = p.length;
      assertEquals(sv[i][0], rep.get("spectralNorm").asDouble(), 1e-13);
      assertEquals(frobenius(sv[i]), rep.get("frobeniusNorm").asDouble(), 1e-13);
      assertEquals(0.5 * Math.log(d * p[0]), rep.get("topRadial").asDouble(), 1e-12);
      assertEquals(1 / p[0], rep.get("stableRank").asDouble(), 1e-11);
      double h = 0;
      double sq = 0;
      for (double x : p) {
        h -= x * Math.log(x);
        sq += x * x;
      }
      assertEquals(Math.exp(h), rep.get("entropyRank").asDouble(), 1e-11);
      assertEquals(1 / sq, rep.get("participationRatio").asDouble(), 1e-11);
      assertEquals(4, rep.get("charts").size());
      assertTrue(e.at("/svd/converged").asBoolean());
      assertEquals("f64", e.at("/svd/precision").asText());
      assertTrue(e.at("/svd/sweeps").asInt() >= 1);
      assertTrue(rep.at("/classic/logNorm").isNumber());
    }
    assertEquals(2.0, m.get(0).at("/report/charts/0/s").asDouble(), 1e-10);
    assertEquals(1.0, m.get(2).at("/report/charts/0/s").asDouble(), 1e-10);
    assertEquals("attn_q", m.get(0).get("role").asText());
    assertEquals(1, m.get(2).get("depth").asInt());
    String[] parts = {"attn_q", "attn_k", "attn_v"};
    for (int b = 0; b < 3; b++) {
      JsonNode e = m.get(3 + b);
      assertEquals("transformer.h.0.attn.c_attn.weight", e.get("tensor").asText());
      assertEquals(parts[b], e.get("part").asText());
      assertEquals(parts[b], e.get("role").asText());
      assertEquals(4, e.get("rows").asInt());
      assertEquals(4, e.get("cols").asInt());
      assertEquals(QKV[b][0], e.at("/report/spectralNorm").asDouble(), 1e-13);
      assertEquals(frobenius(QKV[b]), e.at("/report/frobeniusNorm").asDouble(), 1e-13);
    }
  }

  @Test
  void profilesGiveDriftHellingerAndBuresBetweenAdjacentLayers() throws Exception {
    JsonNode j = json(run("analyze", model.toString()).out());
    JsonNode q = null;
    for (JsonNode p : j.get("profiles")) {
      if (p.get("role").asText().equals("attn_q")) {
        q = p;
      }
    }
    // attn_q: llama layers 0 and 1, and GPT-2's split q of block 0 (4 x 4), ordered by depth then file order.
    JsonNode pts = q.get("points");
    assertEquals(3, pts.size());
    assertEquals(0, pts.get(0).get("depth").asInt());
    assertEquals(0, pts.get(1).get("depth").asInt());
    assertEquals(1, pts.get(2).get("depth").asInt());
    assertTrue(pts.get(0).get("drift").isNull());
    // Second point (4 x 4) has another d: no distance, but a drift.
    assertTrue(pts.get(1).get("hellinger").isNull());
    assertTrue(pts.get(1).get("drift").isNumber());
    // Third point against the second: d differs again. Check the llama pair through the o_proj-free definition:
    double[] p0 = energies(S0);
    double[] p1 = energies(S1);
    double h = 0;
    for (int i = 0; i < p0.length; i++) {
      double x = Math.sqrt(p0[i]) - Math.sqrt(p1[i]);
      h += x * x;
    }
    double hel = Math.sqrt(0.5 * h);
    // Only the llama layers, so they are adjacent.
    JsonNode only = json(run("analyze", model.toString(), "--include", "q_proj").out());
    JsonNode op = only.at("/profiles/0/points");
    assertEquals(2, op.size());
    assertEquals(1.0, op.get(1).get("drift").asDouble(), 1e-9);
    assertEquals(hel, op.get(1).get("hellinger").asDouble(), 1e-12);
    assertEquals(Math.sqrt(12) * hel, op.get(1).get("buresWasserstein").asDouble(), 1e-11);
  }

  @Test
  void csvHasOneRowPerMatrixAndTheValues() throws Exception {
    AnalyzeFiles.Run r = run("analyze", model.toString(), "--format", "csv");
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    String[] lines = r.out().split("\r\n");
    assertEquals(7, lines.length);
    List<String> header = List.of(lines[0].split(","));
    assertEquals(AnalysisText.CSV_COLUMNS, header);
    for (int i = 1; i < lines.length; i++) {
      assertEquals(header.size(), lines[i].split(",", -1).length, lines[i]);
    }
    String[] first = lines[1].split(",", -1);
    assertEquals("model.layers.0.self_attn.q_proj.weight", first[header.indexOf("tensor")]);
    assertEquals(2.0, Double.parseDouble(first[header.indexOf("s_ls")]), 1e-10);
    assertEquals(1.0, Double.parseDouble(first[header.indexOf("spectral_norm")]), 1e-13);
    assertEquals("attn_v", lines[6].split(",", -1)[header.indexOf("part")]);
  }

  @Test
  void textIsATableWithProfiles() {
    AnalyzeFiles.Run r = run("analyze", model.toString(), "--format", "text", "--chart", "mle");
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    assertTrue(r.out().contains("6 matrices, 0 errors, 1 skipped"), r.out());
    assertTrue(r.out().contains("model.layers.1.self_attn.q_proj.weight"), r.out());
    assertTrue(r.out().contains("transformer.h.0.attn.c_attn.weight[attn_k]"), r.out());
    assertTrue(r.out().contains("profile attn_q (chart mle)"), r.out());
    assertTrue(r.out().contains("s_mle"), r.out());
  }

  @Test
  void outFileAndFloat32() throws Exception {
    Path out = dir.resolve("out.json");
    AnalyzeFiles.Run r = run("analyze", model.toString(), "--precision", "f32", "--svd", "accurate", "--out",
        out.toString(), "--no-classic", "--include", "q_proj", "--exclude", "layers\\.1\\.");
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    assertEquals("", r.out());
    JsonNode j = json(Files.readString(out, StandardCharsets.UTF_8));
    assertEquals(1, j.get("matrices").size());
    assertEquals("f32", j.at("/matrices/0/svd/precision").asText());
    assertTrue(j.at("/matrices/0/report/classic").isNull());
    assertEquals("accurate", j.at("/settings/svd").asText());
    // float32 rounding of the elements moves the values by about 1e-7 relative.
    assertEquals(1.0, j.at("/matrices/0/report/spectralNorm").asDouble(), 1e-6);
  }

  @Test
  void float32FastTakesTheBidiagonalRoute() throws Exception {
    AnalyzeFiles.Run r = run("analyze", model.toString(), "--precision", "f32", "--svd", "fast", "--no-classic",
        "--include", "q_proj", "--exclude", "layers\\.1\\.");
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    JsonNode j = json(r.out());
    assertEquals(1, j.get("matrices").size());
    assertEquals("f32", j.at("/matrices/0/svd/precision").asText());
    assertEquals("bidiagonal", j.at("/matrices/0/svd/method").asText());
    assertTrue(j.at("/matrices/0/svd/converged").asBoolean());
    // Rounding the elements to float32 and the float32 reduction each move s_1 by a few n 2^-24 relative.
    assertEquals(1.0, j.at("/matrices/0/report/spectralNorm").asDouble(), 1e-5);
  }

  @Test
  void convSlicesGiveOneMatrixPerSpatialPosition() throws Exception {
    // Kernel [O=4, I=3, H=2, W=2]; slice t = (h, w) has singular values {t + 1, 1, 0.5}.
    double[] k = new double[4 * 3 * 4];
    for (int t = 0; t < 4; t++) {
      double[] m = withSingularValues(4, 3, new double[] {t + 1, 1, 0.5}, 0.1 * t);
      for (int o = 0; o < 4; o++) {
        for (int c = 0; c < 3; c++) {
          k[(o * 3 + c) * 4 + t] = m[o * 3 + c];
        }
      }
    }
    Path f = safetensors(dir.resolve("conv.safetensors"), new T("features.0.weight", new long[] {4, 3, 2, 2}, k));
    JsonNode j = json(run("analyze", f.toString(), "--conv", "slices").out());
    JsonNode m = j.get("matrices");
    assertEquals(4, m.size());
    String[] slices = {"0,0", "0,1", "1,0", "1,1"};
    for (int t = 0; t < 4; t++) {
      assertEquals(slices[t], m.get(t).get("slice").asText());
      assertEquals(3, m.get(t).get("cols").asInt());
      assertEquals(t + 1, m.get(t).at("/report/spectralNorm").asDouble(), 1e-13);
    }
    JsonNode flat = json(run("analyze", f.toString()).out()).get("matrices");
    assertEquals(1, flat.size());
    assertEquals(12, flat.get(0).get("cols").asInt());
    assertEquals("conv", flat.get(0).get("role").asText());
  }

  @Test
  void unreadableTensorsBecomeErrorEntriesAndTheOthersProceed() throws Exception {
    double[] nan = withSingularValues(3, 3, new double[] {3, 2, 1}, 0);
    nan[4] = Double.NaN;
    Path f = safetensors(dir.resolve("bad.safetensors"),
        new T("good.weight", new long[] {3, 3}, withSingularValues(3, 3, new double[] {3, 2, 1}, 0)),
        new T("nan.weight", new long[] {3, 3}, nan),
        new T("zero.weight", new long[] {2, 3}, new double[6]),
        new T("also_good.weight", new long[] {3, 2}, withSingularValues(3, 2, new double[] {2, 1}, 0)));
    Path junk = dir.resolve("junk.safetensors");
    Files.write(junk, new byte[] {1, 2, 3});
    AnalyzeFiles.Run r = run("analyze", f.toString(), junk.toString());
    assertEquals(ExitCodes.ERROR, r.exitCode(), r.err());
    JsonNode j = json(r.out());
    List<String> ok = new ArrayList<>();
    j.get("matrices").forEach(e -> ok.add(e.get("tensor").asText()));
    assertEquals(List.of("good.weight", "also_good.weight"), ok);
    JsonNode errs = j.get("errors");
    assertEquals(3, errs.size());
    // Inputs that cannot be opened come first (found while opening), then tensors in file order.
    assertTrue(errs.get(0).get("tensor").isNull());
    assertEquals(junk.toString(), errs.get(0).get("file").asText());
    assertEquals("nan.weight", errs.get(1).get("tensor").asText());
    assertTrue(errs.get(1).get("reason").asText().toLowerCase().contains("nan"), errs.get(1).toString());
    assertEquals("zero.weight", errs.get(2).get("tensor").asText());
    assertTrue(r.err().contains("nan.weight"), r.err());
  }

  @Test
  void shardedFolderIsAnalyzedThroughItsIndex() throws Exception {
    Path shards = Files.createDirectories(dir.resolve("sharded"));
    safetensors(shards.resolve("model-00001-of-00002.safetensors"),
        new T("model.layers.0.mlp.up_proj.weight", new long[] {8, 4}, withSingularValues(8, 4, QKV[0], 0.1)),
        new T("model.layers.0.mlp.down_proj.weight", new long[] {4, 8}, withSingularValues(4, 8, QKV[1], 0.2)));
    safetensors(shards.resolve("model-00002-of-00002.safetensors"),
        new T("model.layers.1.mlp.up_proj.weight", new long[] {8, 4}, withSingularValues(8, 4, QKV[2], 0.3)));
    Files.writeString(shards.resolve("model.safetensors.index.json"), "{\"metadata\":{},\"weight_map\":{"
        + "\"model.layers.0.mlp.up_proj.weight\":\"model-00001-of-00002.safetensors\","
        + "\"model.layers.0.mlp.down_proj.weight\":\"model-00001-of-00002.safetensors\","
        + "\"model.layers.1.mlp.up_proj.weight\":\"model-00002-of-00002.safetensors\"}}");
    AnalyzeFiles.Run r = run("analyze", shards.toString());
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    JsonNode j = json(r.out());
    assertEquals(3, j.get("matrices").size());
    for (JsonNode e : j.get("matrices")) {
      if (e.get("tensor").asText().equals("model.layers.1.mlp.up_proj.weight")) {
        assertEquals(9.0, e.at("/report/spectralNorm").asDouble(), 1e-13);
        assertTrue(e.get("file").asText().endsWith("model-00002-of-00002.safetensors"));
      }
    }
  }

  @Test
  void invalidOptionsAreInvalidInput() {
    assertEquals(ExitCodes.INVALID_INPUT, run("analyze", model.toString(), "--window", "5:2").exitCode());
    assertEquals(ExitCodes.INVALID_INPUT, run("analyze", model.toString(), "--chart", "nope").exitCode());
    assertEquals(ExitCodes.INVALID_INPUT, run("analyze", model.toString(), "--svd", "magic").exitCode());
    assertEquals(ExitCodes.INVALID_INPUT, run("analyze", model.toString(), "--tau", "1.5").exitCode());
    assertEquals(ExitCodes.INVALID_INPUT, run("analyze", model.toString(), "--include", "(").exitCode());
    assertEquals(ExitCodes.INVALID_INPUT, run("analyze").exitCode());
    // A valid explicit window reaches the charts.
    AnalyzeFiles.Run r = run("analyze", model.toString(), "--window", "2:4", "--include", "q_proj");
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    assertTrue(r.out().contains("\"windowLo\" : 2"), r.out());
  }

  @Test
  void outputOrderDoesNotDependOnThreads() throws Exception {
    JsonNode one = json(run("analyze", model.toString(), "--threads", "1").out()).get("matrices");
    JsonNode three = json(run("analyze", model.toString(), "--threads", "3").out()).get("matrices");
    assertEquals(one.size(), three.size());
    for (int i = 0; i < one.size(); i++) {
      assertEquals(one.get(i).get("tensor"), three.get(i).get("tensor"));
      assertEquals(one.get(i).get("part"), three.get(i).get("part"));
      // equal up to rounding (see assertJsonClose): the order and the values, not the last bits
      assertJsonClose(one.get(i).get("report"), three.get(i).get("report"), "/matrices/" + i + "/report");
    }
    assertEquals(ExitCodes.INVALID_INPUT, run("analyze", model.toString(), "--threads", "0").exitCode());
  }

  @Test
  void warmupRunsForLargeMatricesOnlyAndChangesNoResult() throws Exception {
    // Known spectrum s_k = 1 / k on a 300 x 260 matrix: large enough for the warm-up of the primitives.
    double[] s = new double[260];
    for (int k = 0; k < s.length; k++) {
      s[k] = 1.0 / (k + 1);
    }
    Path big = safetensors(dir.resolve("big.safetensors"),
        new T("model.layers.0.mlp.down_proj.weight", new long[] {300, 260}, withSingularValues(300, 260, s, 0.4)));
    AnalyzeFiles.Run warm = run("analyze", big.toString(), "--svd", "fast", "--threads", "2");
    AnalyzeFiles.Run cold = run("analyze", big.toString(), "--svd", "fast", "--threads", "2", "--no-warmup");
    assertEquals(ExitCodes.OK, warm.exitCode(), warm.err());
    assertEquals(ExitCodes.OK, cold.exitCode(), cold.err());
    JsonNode a = json(warm.out()).get("matrices").get(0);
    JsonNode b = json(cold.out()).get("matrices").get(0);
    // Equal up to rounding, not bit for bit: the Vector API sums a reduction's lanes in an unspecified order,
    // which differs between the interpreted code and C2's, and the warm-up changes which one a run meets.
    assertJsonClose(a.get("report"), b.get("report"), "/report");
    assertJsonClose(a.get("svd"), b.get("svd"), "/svd");
    assertEquals(1.0, a.at("/report/spectralNorm").asDouble(), 1e-12);
    // The rule: some task costs at least a 256 x 256 SVD (costs are m n min(m, n)).
    assertTrue(AnalyzeCommand.needsWarmup(List.of(1.0, AnalyzeCommand.cost(new int[] {300, 256}, 1))));
    assertTrue(AnalyzeCommand.needsWarmup(List.of(AnalyzeCommand.cost(new int[] {4096, 255}, 1))));
    assertFalse(AnalyzeCommand.needsWarmup(List.of(AnalyzeCommand.cost(new int[] {255, 255}, 1))));
    assertFalse(AnalyzeCommand.needsWarmup(List.of()));
  }

  /**
   * A lone tensor large enough for the SVD's products to split (1200 x 300, QR first) gives the same report with one
   * worker and with two, whose SVD then also runs on two threads; the rule for the SVD's threads.
   */
  @Test
  void aLoneLargeMatrixGivesTheSameReportOnTwoThreads() throws Exception {
    double[] s = new double[300];
    for (int k = 0; k < s.length; k++) {
      s[k] = Math.pow(k + 1, -0.75);
    }
    Path tall = safetensors(dir.resolve("tall.safetensors"),
        new T("model.layers.0.mlp.down_proj.weight", new long[] {1200, 300}, withSingularValues(1200, 300, s, 0.6)));
    AnalyzeFiles.Run one = run("analyze", tall.toString(), "--svd", "fast", "--threads", "1", "--no-warmup");
    AnalyzeFiles.Run two = run("analyze", tall.toString(), "--svd", "fast", "--threads", "2", "--no-warmup");
    assertEquals(ExitCodes.OK, one.exitCode(), one.err());
    assertEquals(ExitCodes.OK, two.exitCode(), two.err());
    JsonNode a = json(one.out()).get("matrices").get(0);
    JsonNode b = json(two.out()).get("matrices").get(0);
    assertJsonClose(a.get("report"), b.get("report"), "/report");
    assertEquals(1.0, a.at("/report/spectralNorm").asDouble(), 1e-12);
    assertEquals(2, AnalyzeCommand.svdThreads(2, 1));
    assertEquals(1, AnalyzeCommand.svdThreads(2, 2));
    assertEquals(3, AnalyzeCommand.svdThreads(4, 2));
    assertEquals(1, AnalyzeCommand.svdThreads(1, 1));
    assertEquals(4, AnalyzeCommand.svdThreads(4, 0));
  }

  @Test
  void scheduleStartsWithTheCheapestPerWorkerThenLongestFirst() {
    // Costs by file position; two workers: the two cheapest (positions 3 and 1) first, then the rest by
    // decreasing cost, equal costs (positions 0 and 4) in file order.
    List<Double> costs = List.of(50.0, 2.0, 90.0, 1.0, 50.0, 70.0);
    assertEquals(List.of(3, 1, 2, 5, 0, 4), boxed(AnalyzeCommand.schedule(costs, 2)));
    // One worker: the cheapest, then longest first.
    assertEquals(List.of(3, 2, 5, 0, 4, 1), boxed(AnalyzeCommand.schedule(costs, 1)));
    // More workers than tasks: cheapest first throughout.
    assertEquals(List.of(1, 0), boxed(AnalyzeCommand.schedule(List.of(5.0, 4.0), 8)));
    assertEquals(List.of(), boxed(AnalyzeCommand.schedule(List.of(), 2)));
    // The cost of an m x n SVD is m n min(m, n); a non-matrix costs nothing.
    assertEquals(3.0 * 4 * 3, AnalyzeCommand.cost(new int[] {3, 4}, 1));
    assertEquals(2 * 5.0 * 5 * 5, AnalyzeCommand.cost(new int[] {5, 5}, 2));
    assertEquals(0.0, AnalyzeCommand.cost(null, 1));
  }

  /**
   * Same structure, same text and booleans, numbers within {@code 1e-12 max(1, |x|, |y|)}: what two runs of the same
   * analysis may differ by when rounding alone differs.
   */
  private static void assertJsonClose(JsonNode x, JsonNode y, String path) {
    assertEquals(x.getNodeType(), y.getNodeType(), path);
    if (x.isNumber()) {
      double u = x.asDouble();
      double v = y.asDouble();
      double tol = 1e-12 * Math.max(1.0, Math.max(Math.abs(u), Math.abs(v)));
      assertTrue(Math.abs(u - v) <= tol, path + ": " + u + " vs " + v);
    } else if (x.isObject()) {
      List<String> xf = new ArrayList<>();
      x.fieldNames().forEachRemaining(xf::add);
      List<String> yf = new ArrayList<>();
      y.fieldNames().forEachRemaining(yf::add);
      assertEquals(xf, yf, path);
      for (String f : xf) {
        assertJsonClose(x.get(f), y.get(f), path + "/" + f);
      }
    } else if (x.isArray()) {
      assertEquals(x.size(), y.size(), path);
      for (int i = 0; i < x.size(); i++) {
        assertJsonClose(x.get(i), y.get(i), path + "/" + i);
      }
    } else {
      assertEquals(x, y, path);
    }
  }

  private static List<Integer> boxed(int[] a) {
    List<Integer> out = new ArrayList<>();
    for (int v : a) {
      out.add(v);
    }
    return out;
  }
}
