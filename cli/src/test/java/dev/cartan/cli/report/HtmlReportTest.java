package dev.cartan.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlReportTest {

  private static Document parse(String html) throws Exception {
    // Drop the HTML5 doctype, which an XML parser without a DTD would try to resolve.
    String xml = html.replaceFirst("<!DOCTYPE html>", "");
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void pageIsSelfContainedWellFormedAndHoldsItsParts() throws Exception {
    String svg = Svg.plot("p", "x", "y", false, false,
        List.of(new Svg.Series("s", new double[] {1, 2}, new double[] {3, 4}, true, true)), 300, 200);
    String html = new HtmlReport("model <x>")
        .meta("JDK 17")
        .warning("layer 'a' & co: not finite")
        .heading("Profiles")
        .plots(List.of(svg, svg))
        .table("layers", List.of("name", "s", "r"),
            List.of(Arrays.asList("q", 1.25, Double.NaN), Arrays.asList("k<1>", 2, null)))
        .render();
    Document doc = parse(html);
    assertEquals(2, doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg").getLength());
    Element table = find(doc, "table");
    Element tbody = (Element) table.getElementsByTagName("tbody").item(0);
    assertEquals(2, tbody.getElementsByTagName("tr").getLength());
    NodeList cells = tbody.getElementsByTagName("td");
    assertEquals("q", cells.item(0).getTextContent());
    assertEquals("1.25000", cells.item(1).getTextContent());
    assertEquals("", cells.item(2).getTextContent(), "NaN prints as an empty cell");
    assertEquals("k<1>", cells.item(3).getTextContent());
    assertEquals("", cells.item(5).getTextContent(), "null prints as an empty cell");
    assertTrue(html.contains("model &lt;x&gt;"));
    assertEquals(1, doc.getElementsByTagName("li").getLength());
    for (String banned : new String[] {"http://", "https://", "src="}) {
      // Only namespace URIs may mention http: nothing is loaded.
      String stripped = html.replace("http://www.w3.org/2000/svg", "").replace("http://www.w3.org/1999/xhtml", "");
      assertFalse(stripped.contains(banned), banned);
    }
  }

  @Test
  void rowsMustMatchHeaders() {
    HtmlReport r = new HtmlReport("t");
    assertThrows(IllegalArgumentException.class, () -> r.table("x", List.of("a", "b"), List.of(List.of(1))));
  }

  @Test
  void numbersFormatCompactly() {
    assertEquals("3", HtmlReport.number(3.0));
    assertEquals("0.333333", HtmlReport.number(1.0 / 3));
    assertEquals("1.00000e+12", HtmlReport.number(1e12 + 0.5));
    assertEquals("", HtmlReport.number(Double.POSITIVE_INFINITY));
  }

  private static Element find(Document doc, String tag) {
    return (Element) doc.getElementsByTagName(tag).item(0);
  }
}
