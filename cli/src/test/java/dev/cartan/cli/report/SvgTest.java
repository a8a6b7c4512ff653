package dev.cartan.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgTest {

  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void niceStepsAreOneTwoFiveTimesAPowerOfTen() {
    assertEquals(1.0, Axis.niceStep(0.7), 0);
    assertEquals(2.0, Axis.niceStep(1.3), 0);
    assertEquals(5.0, Axis.niceStep(4.2), 0);
    assertEquals(10.0, Axis.niceStep(7.0), 0);
    assertEquals(0.02, Axis.niceStep(0.0151), 1e-18);
  }

  @Test
  void linearAxisCoversTheDataWithTicksInside() {
    Axis a = Axis.covering(new double[] {0.3, 2.7, Double.NaN, Double.POSITIVE_INFINITY}, false);
    assertTrue(a.lo <= 0.3 && a.hi >= 2.7, a.lo + " " + a.hi);
    assertEquals(0.0, a.fraction(a.lo), 0);
    assertEquals(1.0, a.fraction(a.hi), 0);
    assertTrue(Double.isNaN(a.fraction(Double.NaN)));
    for (double t : a.ticks()) {
      assertTrue(t >= a.lo - 1e-12 && t <= a.hi + 1e-12);
    }
    assertTrue(a.ticks().size() >= 3);
  }

  @Test
  void logAxisUsesWholeDecadesAndRejectsNonPositive() {
    Axis a = Axis.covering(new double[] {0.004, 250, 0, -1}, true);
    assertEquals(-3, a.lo, 0);
    assertEquals(3, a.hi, 0);
    assertEquals(0.5, a.fraction(1.0), 1e-15);
    assertTrue(Double.isNaN(a.fraction(0)));
    assertEquals(List.of(1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3), a.ticks());
    assertEquals("1e-3", a.label(1e-3));
  }

  @Test
  void plotIsWellFormedSvgAndSkipsNonFinitePointsAsGaps() throws Exception {
    double[] x = {1, 2, 3, 4, 5};
    double[] y = {1, 0.5, Double.NaN, 0.25, 0.2};
    String svg = Svg.plot("spectrum <W_q>", "rank k", "p_k", true, true,
        List.of(new Svg.Series("layer & 1", x, y, true, true), new Svg.Series("fit", x, x, true, false)),
        400, 300);
    Document doc = parse(svg);
    Element root = doc.getDocumentElement();
    assertEquals("svg", root.getLocalName());
    NodeList circles = doc.getElementsByTagName("circle");
    assertEquals(4, circles.getLength(), "one circle per finite point");
    Element firstPath = (Element) doc.getElementsByTagName("path").item(0);
    String d = firstPath.getAttribute("d");
    assertEquals(2, d.chars().filter(c -> c == 'M').count(), "the NaN splits the line: " + d);
    assertTrue(svg.contains("spectrum &lt;W_q&gt;"));
    assertEquals(2, countByClass(doc, "series"));
    assertEquals(2, countByClass(doc, "legend"));
  }

  @Test
  void pointsMapInsideThePlotArea() throws Exception {
    String svg = Svg.plot("t", "x", "y", false, false,
        List.of(new Svg.Series("s", new double[] {0, 10}, new double[] {0, 10}, false, true)), 200, 100);
    NodeList circles = parse(svg).getElementsByTagName("circle");
    Element lo = (Element) circles.item(0);
    Element hi = (Element) circles.item(1);
    double x0 = Double.parseDouble(lo.getAttribute("cx"));
    double x1 = Double.parseDouble(hi.getAttribute("cx"));
    double y0 = Double.parseDouble(lo.getAttribute("cy"));
    double y1 = Double.parseDouble(hi.getAttribute("cy"));
    assertTrue(x0 < x1 && y0 > y1, "larger values go right and up");
    assertTrue(x0 >= 0 && x1 <= 200 && y1 >= 0 && y0 <= 100);
  }

  @Test
  void barsSkipNonFiniteValuesAndEscapeLabels() throws Exception {
    String svg = Svg.bars("drift", "|ds|", List.of("a<1>", "b", "c"), new double[] {0.5, Double.NaN, -0.25},
        300, 200);
    Document doc = parse(svg);
    assertEquals(2, countByClass(doc, "bar"));
    assertTrue(svg.contains("a&lt;1&gt;"));
    assertFalse(svg.contains("NaN"));
  }

  @Test
  void escapeHandlesMarkupQuotesAndControlCharacters() {
    assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;\uFFFD", Html.escape("<a href=\"x\">&'\u0001"));
    assertEquals("", Html.escape(null));
  }

  private static int countByClass(Document doc, String cls) {
    int n = 0;
    NodeList all = doc.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      if (cls.equals(((Element) all.item(i)).getAttribute("class"))) {
        n++;
      }
    }
    return n;
  }
}
