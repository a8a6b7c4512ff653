package dev.cartan.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one configured Jackson mapper of the CLI, and the way commands write JSON results.
 *
 * <p>Output is pretty printed and ends with a newline. The target stream is never closed (it is usually
 * {@code System.out}). JSON has no NaN or infinity: a non-finite {@code double}/{@code float} (boxed, primitive or
 * in a {@code double[]}/{@code float[]}) is written as {@code null}, and one warning naming the JSON pointers of
 * those values goes to stderr.
 */
public final class Json {
  /** Attribute key under which a write collects the JSON pointers of the non-finite numbers it replaced. */
  private static final Object NON_FINITE = new Object();

  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
      // Our serializers handle NaN/Inf; this makes sure none slips through as a quoted "NaN".
      .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
      .addModule(nonFiniteAsNull())
      .build();

  private Json() {}

  /** The shared mapper (for reading, e.g. in tests, and for writers that need other settings). */
  public static JsonMapper mapper() {
    return MAPPER;
  }

  /**
   * Writes {@code value} as pretty-printed JSON and a newline to {@code out}, flushes it and leaves it open; if
   * non-finite numbers were replaced by null, prints one warning line to {@code err}.
   *
   * @throws UncheckedIOException if Jackson fails to serialize (a bug: every result type must be serializable)
   */
  public static void write(Object value, PrintWriter out, PrintWriter err) {
    List<String> replaced = new ArrayList<>();
    try {
      MAPPER.writer().withAttribute(NON_FINITE, replaced).writeValue(out, value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON for " + value.getClass().getName(), e);
    }
    out.println();
    out.flush();
    if (!replaced.isEmpty()) {
      err.println("cartan: warning: " + replaced.size() + " non-finite number(s) written as null in the JSON output"
          + " at " + String.join(", ", replaced.subList(0, Math.min(10, replaced.size())))
          + (replaced.size() > 10 ? ", ..." : ""));
      err.flush();
    }
  }

  private static SimpleModule nonFiniteAsNull() {
    SimpleModule m = new SimpleModule("cartan-non-finite-as-null");
    DoubleSerializer d = new DoubleSerializer();
    m.addSerializer(Double.class, d);
    m.addSerializer(double.class, d);
    FloatSerializer f = new FloatSerializer();
    m.addSerializer(Float.class, f);
    m.addSerializer(float.class, f);
    m.addSerializer(double[].class, new DoubleArraySerializer());
    m.addSerializer(float[].class, new FloatArraySerializer());
    return m;
  }

  @SuppressWarnings("unchecked")
  private static void recordNonFinite(SerializerProvider provider, String pointer) {
    Object list = provider.getAttribute(NON_FINITE);
    if (list instanceof List) {
      ((List<String>) list).add(pointer.isEmpty() ? "/" : pointer);
    }
  }

  /** JSON pointer of the value about to be written (an object field, or the next element of an array). */
  private static String nextPointer(JsonGenerator gen) {
    JsonStreamContext ctx = gen.getOutputContext();
    if (ctx.inArray()) {
      // The array context's index is that of the last element written; ours is the next one.
      return ctx.getParent().pathAsPointer().toString() + "/" + (ctx.getEntryCount());
    }
    return ctx.pathAsPointer().toString();
  }

  private static final class DoubleSerializer extends StdSerializer<Double> {
    private static final long serialVersionUID = 1L;

    DoubleSerializer() {
      super(Double.class);
    }

    @Override
    public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      double v = value;
      if (Double.isFinite(v)) {
        gen.writeNumber(v);
      } else {
        recordNonFinite(provider, nextPointer(gen));
        gen.writeNull();
      }
    }
  }

  private static final class FloatSerializer extends StdSerializer<Float> {
    private static final long serialVersionUID = 1L;

    FloatSerializer() {
      super(Float.class);
    }

    @Override
    public void serialize(Float value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      float v = value;
      if (Float.isFinite(v)) {
        gen.writeNumber(v);
      } else {
        recordNonFinite(provider, nextPointer(gen));
        gen.writeNull();
      }
    }
  }

  private static final class DoubleArraySerializer extends StdSerializer<double[]> {
    private static final long serialVersionUID = 1L;

    DoubleArraySerializer() {
      super(double[].class);
    }

    @Override
    public void serialize(double[] values, JsonGenerator gen, SerializerProvider provider) throws IOException {
      String base = nextPointer(gen);
      gen.writeStartArray(values, values.length);
      for (int i = 0; i < values.length; i++) {
        if (Double.isFinite(values[i])) {
          gen.writeNumber(values[i]);
        } else {
          recordNonFinite(provider, base + "/" + i);
          gen.writeNull();
        }
      }
      gen.writeEndArray();
    }
  }

  private static final class FloatArraySerializer extends StdSerializer<float[]> {
    private static final long serialVersionUID = 1L;

    FloatArraySerializer() {
      super(float[].class);
    }

    @Override
    public void serialize(float[] values, JsonGenerator gen, SerializerProvider provider) throws IOException {
      String base = nextPointer(gen);
      gen.writeStartArray(values, values.length);
      for (int i = 0; i < values.length; i++) {
        if (Float.isFinite(values[i])) {
          gen.writeNumber(values[i]);
        } else {
          recordNonFinite(provider, base + "/" + i);
          gen.writeNull();
        }
      }
      gen.writeEndArray();
    }
  }
}
