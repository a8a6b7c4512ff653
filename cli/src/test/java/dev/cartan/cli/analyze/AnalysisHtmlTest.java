package dev.cartan.cli.analyze;

import static dev.cartan.cli.analyze.AnalyzeFiles.run;
import static dev.cartan.cli.analyze.AnalyzeFiles.safetensors;
import static dev.cartan.cli.analyze.AnalyzeFiles.withSingularValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cartan.cli.ExitCodes;
import dev.cartan.cli.analyze.AnalyzeFiles.T;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The HTML report of {@code cartan analyze}: its structure always, its rendering in headless Chromium if present. */
class AnalysisHtmlTest {
  @TempDir static Path dir;
  static Path model;
  static Path html;
  static String page;

  @BeforeAll
  static void write() throws Exception {
    double[] s = new double[12];
    for (int k = 0; k < 12; k++) {
      s[k] = Math.pow(k + 1, -0.8);
    }
    double[] t = new double[12];
    for (int k = 0; k < 12; k++) {
      t[k] = Math.pow(k + 1, -0.4);
    }
    double[] bad = withSingularValues(4, 4, new double[] {1, 1, 1, 1}, 0);
    bad[0] = Double.POSITIVE_INFINITY;
    model = safetensors(dir.resolve("m.safetensors"),
        new T("model.layers.0.mlp.down_proj.weight", new long[] {12, 20}, withSingularValues(12, 20, s, 0.1)),
        new T("model.layers.1.mlp.down_proj.weight", new long[] {12, 20}, withSingularValues(12, 20, t, 0.2)),
        new T("model.layers.2.mlp.down_proj.weight", new long[] {12, 20}, withSingularValues(12, 20, s, 0.3)),
        new T("model.layers.0.self_attn.o_proj.weight", new long[] {12, 12}, withSingularValues(12, 12, t, 0.4)),
        new T("model.layers.1.self_attn.o_proj.weight", new long[] {12, 12}, withSingularValues(12, 12, s, 0.5)),
        new T("broken.weight", new long[] {4, 4}, bad));
    html = dir.resolve("report.html");
    AnalyzeFiles.Run r = run("analyze", model.toString(), "--html", html.toString(), "--format", "csv");
    assertEquals(ExitCodes.ERROR, r.exitCode(), r.err());
    page = Files.readString(html, StandardCharsets.UTF_8);
  }

  static int count(Document d, String tag) {
    return d.getElementsByTagNameNS("*", tag).getLength();
  }

  @Test
  void reportIsWellFormedWithPlotsTablesAndWarnings() throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)));
    // Profiles: exponent, effective ranks, drift bars; the o_proj residual proxy chain: per-step sides of 8.8 and
    // their ratio bars; then spectrum + ESD plot for the largest layer of each of the two roles.
    assertEquals(3 + 2 + 2 * 2, count(d, "svg"));
    NodeList tables = d.getElementsByTagNameNS("*", "table");
    assertEquals(2, tables.getLength());
    Element chain = (Element) tables.item(0);
    assertEquals("chain-0", chain.getAttribute("id"));
    // 8.5, 8.8 per step, 8.8 chain, 8.9 mean drift, 8.9 budget; each with observed and bound cells filled.
    NodeList chainRows = chain.getElementsByTagNameNS("*", "tbody").item(0).getChildNodes();
    assertEquals(5, chainRows.getLength() - countText(chainRows));
    assertTrue(chain.getTextContent().contains("8.8 m sum|ds| <= |r_L - r_0| + S + sum|drho|"));
    assertTrue(page.contains("Residual proxy chains") && page.contains("8.8 per step: attn_o"));
    Element t = (Element) tables.item(1);
    assertEquals("layers", t.getAttribute("id"));
    assertTrue(t.getAttribute("class").contains("sortable"));
    assertEquals(5, t.getElementsByTagNameNS("*", "tbody").item(0).getChildNodes().getLength()
        - countText(t.getElementsByTagNameNS("*", "tbody").item(0).getChildNodes()));
    assertTrue(page.contains("broken.weight"), "the failed tensor is listed among the warnings");
    assertTrue(page.contains("id=\"warnings\""));
    assertFalse(page.replace("isNaN", "").contains("NaN"), "no NaN printed (the sort script calls isNaN)");
    assertFalse(page.contains("http://") && page.replace("http://www.w3.org/", "").contains("http://"),
        "no network references");
    assertTrue(page.contains("Exponent profile"));
    assertTrue(page.contains("ESD tail"));
  }

  private static int countText(NodeList nodes) {
    int n = 0;
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i).getNodeType() == org.w3c.dom.Node.TEXT_NODE) {
        n++;
      }
    }
    return n;
  }

  @Test
  void plotLayersChoosesTheSpectraShown() throws Exception {
    Path h = dir.resolve("one.html");
    AnalyzeFiles.Run r = run("analyze", model.toString(), "--include", "down_proj", "--plot-layers",
        "layers\\.[01]\\.", "--html", h.toString());
    assertEquals(ExitCodes.OK, r.exitCode(), r.err());
    String p = Files.readString(h, StandardCharsets.UTF_8);
    assertTrue(p.contains("model.layers.0.mlp.down_proj.weight"));
    // One role: 3 profile plots, then two chosen layers with two plots each.
    assertEquals(3 + 4, p.split("<svg", -1).length - 1);
  }

  /** Renders the page in Debian's headless Chromium and checks the plots are in the rendered DOM. */
  @Test
  void chromiumRendersThePlots() throws Exception {
    Path chromium = Path.of("/usr/bin/chromium");
    assumeTrue(Files.isExecutable(chromium), "no /usr/bin/chromium");
    Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--dump-dom", html.toUri().toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] dom = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium did not finish");
    String s = new String(dom, StandardCharsets.UTF_8);
    assertEquals(9, s.split("<svg", -1).length - 1, "rendered DOM keeps every plot");
    assertTrue(s.contains("<polyline") || s.contains("<path") || s.contains("<circle"), "plots have marks");
    assertTrue(s.contains("<table"), "table rendered");
  }
}
