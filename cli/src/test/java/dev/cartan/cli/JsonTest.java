package dev.cartan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  record Sample(String name, double d, Double boxed, float f, double[] values, float[] floats, List<Double> list) {}

  private static final class Out {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    void write(Object value) {
      Json.write(value, new PrintWriter(out), new PrintWriter(err));
    }
  }

  @Test
  void finiteNumbersRoundTripAndNoWarning() throws Exception {
    Out o = new Out();
    Sample s = new Sample("a", 0.1, -2.5e-300, 1.5f, new double[] {1, 2.5, Double.MIN_VALUE},
        new float[] {3f}, List.of(4.0));
    o.write(s);
    assertEquals("", o.err.toString());
    assertTrue(o.out.toString().endsWith("}" + System.lineSeparator()));
    assertTrue(o.out.toString().contains("\n  \"name\""), "pretty printed: " + o.out);
    JsonNode n = Json.mapper().readTree(o.out.toString());
    assertEquals(0.1, n.get("d").asDouble(), 0.0);
    assertEquals(-2.5e-300, n.get("boxed").asDouble(), 0.0);
    assertEquals(1.5, n.get("f").asDouble(), 0.0);
    assertEquals(Double.MIN_VALUE, n.get("values").get(2).asDouble(), 0.0);
    assertEquals(4.0, n.get("list").get(0).asDouble(), 0.0);
  }

  @Test
  void nonFiniteNumbersBecomeNullWithOneWarningNamingThem() throws Exception {
    Out o = new Out();
    Sample s = new Sample("b", Double.NaN, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        new double[] {1, Double.NaN, 3}, new float[] {Float.NaN}, List.of(5.0, Double.NEGATIVE_INFINITY));
    o.write(s);
    JsonNode n = Json.mapper().readTree(o.out.toString());
    assertTrue(n.get("d").isNull());
    assertTrue(n.get("boxed").isNull());
    assertTrue(n.get("f").isNull());
    assertEquals(1.0, n.get("values").get(0).asDouble(), 0.0);
    assertTrue(n.get("values").get(1).isNull());
    assertEquals(3.0, n.get("values").get(2).asDouble(), 0.0);
    assertTrue(n.get("floats").get(0).isNull());
    assertEquals(5.0, n.get("list").get(0).asDouble(), 0.0);
    assertTrue(n.get("list").get(1).isNull());
    assertFalse(o.out.toString().contains("NaN"));
    assertFalse(o.out.toString().contains("Infinity"));
    String err = o.err.toString();
    assertEquals(1, err.split("\\R").length, err);
    assertTrue(err.startsWith("cartan: warning: 6 non-finite number(s) written as null"), err);
    for (String pointer : List.of("/d", "/boxed", "/f", "/values/1", "/floats/0", "/list/1")) {
      assertTrue(err.contains(pointer), pointer + " missing in " + err);
    }
  }

  @Test
  void nonFiniteAtTheRootAndInMaps() throws Exception {
    Out o = new Out();
    o.write(Map.of("x", Double.NaN));
    assertTrue(Json.mapper().readTree(o.out.toString()).get("x").isNull());
    assertTrue(o.err.toString().contains("/x"), o.err.toString());
    Out root = new Out();
    root.write(new double[] {Double.NaN});
    assertTrue(root.err.toString().contains("/0"), root.err.toString());
  }

  @Test
  void neverClosesTheTarget() {
    boolean[] closed = {false};
    StringWriter sink = new StringWriter();
    Writer tracking = new Writer() {
      @Override
      public void write(char[] cbuf, int off, int len) {
        sink.write(cbuf, off, len);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {
        closed[0] = true;
      }
    };
    PrintWriter out = new PrintWriter(tracking);
    Json.write(Map.of("a", 1), out, new PrintWriter(new StringWriter()));
    Json.write(Map.of("b", 2), out, new PrintWriter(new StringWriter()));
    assertFalse(closed[0]);
    assertFalse(out.checkError());
    assertTrue(sink.toString().contains("\"b\""), sink.toString());
  }
}
