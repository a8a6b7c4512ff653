package dev.cartan.cli.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reader of the safetensors format (huggingface/safetensors): {@code u64 N} little-endian, N bytes of UTF-8
 * JSON mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets relative
 * to byte 8 + N) plus an optional {@code "__metadata__"} string map, then the data, little-endian, C order.
 *
 * <p>Checked before anything is allocated: N against the file size and a 100 MiB cap; per tensor, a known dtype,
 * non-negative integer dims, an overflow-free element count, {@code end - begin} equal to the count times the
 * element size, the range inside the file, no overlap with another tensor, a unique name. A failed check refuses
 * that tensor only.
 */
final class SafetensorsReader extends BaseSource {
  /** Header cap: real headers are kilobytes to a few megabytes. */
  static final long MAX_HEADER = 100L << 20;

  private record Span(String name, long begin, long end) {}

  private SafetensorsReader(Path path) {
    super(path);
  }

  @Override
  public String format() {
    return "safetensors";
  }

  static SafetensorsReader open(Path path) throws IOException {
    return open(path, DataRegion.DEFAULT_WINDOW);
  }

  static SafetensorsReader open(Path path, long window) throws IOException {
    SafetensorsReader r = new SafetensorsReader(path);
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    r.closeables.add(ch);
    try {
      r.parse(ch, window);
    } catch (IOException | RuntimeException e) {
      r.close();
      throw e;
    }
    return r;
  }

  private void parse(FileChannel ch, long window) throws IOException {
    long size = ch.size();
    if (size < 8) {
      throw error(null, "file of " + size + " bytes is shorter than the 8-byte header length");
    }
    ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    Io.readFully(ch, lenBuf, 0, path);
    long n = lenBuf.getLong(0); // u64 header size
    if (n < 2 || n > MAX_HEADER || n > size - 8) {
      throw error(null, "header length " + Long.toUnsignedString(n) + " is out of range for a file of " + size
          + " bytes (cap " + MAX_HEADER + ")");
    }
    ByteBuffer hb = ByteBuffer.allocate((int) n);
    Io.readFully(ch, hb, 8, path);
    String header = Json.utf8(path, null, hb.array(), 0, (int) n, "header");
    long dataStart = 8 + n;
    long dataSize = size - dataStart;
    List<Span> spans = new ArrayList<>();
    try (JsonParser p = Json.MAPPER.createParser(header)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw error(null, "header is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if ("__metadata__".equals(name)) {
          p.skipChildren(); // free-form string map: not needed, never materialised
          continue;
        }
        try {
          Raw raw = entry(p, name);
          Span s = tensor(name, raw, dataSize);
          add(new Entry(new TensorInfo(name, raw.dtype, raw.shape, s.end - s.begin, path),
              new DataRegion.Mapped(path, ch, dataStart + s.begin, s.end - s.begin, window),
              ByteOrder.LITTLE_ENDIAN));
          spans.add(s);
        } catch (CheckpointFormatException ex) {
          refuse(ex);
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT) {
        throw error(null, "header JSON does not end with '}'");
      }
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new CheckpointFormatException(path, null, "header is not valid JSON: " + e.getOriginalMessage(), e);
    }
    refuseOverlaps(spans);
  }

  private void refuseOverlaps(List<Span> spans) {
    spans.sort(Comparator.comparingLong(Span::begin).thenComparingLong(Span::end));
    long maxEnd = 0;
    String maxName = null;
    for (Span s : spans) {
      // Empty tensors occupy no bytes and cannot overlap anything.
      if (s.end > s.begin && s.begin < maxEnd) {
        refuse(error(s.name, "data [" + s.begin + ", " + s.end + ") overlaps tensor '" + maxName + "'"));
        refuse(error(maxName, "data overlaps tensor '" + s.name + "'"));
      }
      if (s.end > maxEnd) {
        maxEnd = s.end;
        maxName = s.name;
      }
    }
  }

  /** One header entry as parsed, before validation. */
  private record Raw(DType dtype, long[] shape, long begin, long end) {}

  /**
   * Parses one entry with the streaming parser (no tree: a hostile 100 MiB header of numbers cannot inflate into
   * gigabytes of nodes). On a problem the rest of the entry is skipped, so the next tensor can still be read.
   */
  private Raw entry(JsonParser p, String name) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      throw error(name, "entry is not a JSON object");
    }
    String dtype = null;
    long[] shape = null;
    long[] offsets = null;
    String problem = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "dtype" -> {
          if (v == JsonToken.VALUE_STRING) {
            dtype = p.getText();
          } else {
            p.skipChildren();
            problem = "dtype is not a string";
          }
        }
        case "shape" -> {
          shape = longs(p, Shapes.MAX_RANK);
          if (shape == null) {
            problem = "shape must be an array of at most " + Shapes.MAX_RANK + " non-negative integers";
          }
        }
        case "data_offsets" -> {
          offsets = longs(p, 2);
          if (offsets == null || offsets.length != 2) {
            problem = "data_offsets must be an array of two non-negative integers";
          }
        }
        default -> p.skipChildren();
      }
    }
    if (problem != null) {
      throw error(name, problem);
    }
    if (dtype == null || shape == null || offsets == null) {
      throw error(name, "entry needs dtype, shape and data_offsets");
    }
    return new Raw(dtypeOf(name, dtype), shape, offsets[0], offsets[1]);
  }

  /** Reads an array of at most {@code max} non-negative 64-bit integers; null (array skipped) otherwise. */
  private static long[] longs(JsonParser p, int max) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return null;
    }
    long[] r = new long[max];
    int n = 0;
    boolean ok = true;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
      if (t == JsonToken.VALUE_NUMBER_INT && n < max && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
          && p.getLongValue() >= 0) {
        r[n++] = p.getLongValue();
      } else {
        ok = false;
        p.skipChildren();
      }
    }
    return ok ? java.util.Arrays.copyOf(r, n) : null;
  }

  private Span tensor(String name, Raw raw, long dataSize) throws CheckpointFormatException {
    long numel = Shapes.numel(path, name, raw.shape);
    long begin = raw.begin;
    long end = raw.end;
    if (begin < 0 || end < begin || end > dataSize) {
      throw error(name, "data_offsets [" + begin + ", " + end + ") outside the " + dataSize + " data bytes");
    }
    long need = raw.dtype.byteSize(numel);
    if (need != end - begin) {
      throw error(name, "data_offsets span " + (end - begin) + " bytes but " + numel + " elements of " + raw.dtype
          + " need " + need);
    }
    return new Span(name, begin, end);
  }

  private DType dtypeOf(String name, String s) throws CheckpointFormatException {
    switch (s) {
      case "F64": return DType.F64;
      case "F32": return DType.F32;
      case "F16": return DType.F16;
      case "BF16": return DType.BF16;
      case "I64": return DType.I64;
      case "I32": return DType.I32;
      case "I16": return DType.I16;
      case "I8": return DType.I8;
      case "U64": return DType.U64;
      case "U32": return DType.U32;
      case "U16": return DType.U16;
      case "U8": return DType.U8;
      case "BOOL": return DType.BOOL;
      case "F8_E4M3": return DType.F8_E4M3;
      case "F8_E5M2": return DType.F8_E5M2;
      default: throw error(name, "unknown dtype '" + CheckpointFormatException.printable(s) + "'");
    }
  }
}
