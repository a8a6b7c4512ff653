package dev.cartan.cli.io;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reader of GGUF v2 and v3 (ggml/docs/gguf.md), little-endian files only.
 *
 * <p>Layout: u32 magic "GGUF", u32 version, u64 tensor_count, u64 metadata_kv_count; metadata pairs (gguf_string
 * key = u64 length + UTF-8 bytes, u32 value type, value; arrays are u32 element type + u64 count + elements);
 * tensor infos (gguf_string name, u32 n_dims, u64 dims[n_dims] innermost first, u32 ggml_type, u64 offset
 * relative to the data section); padding to {@code general.alignment} (default 32); data. Dims are reported
 * outermost first (reversed), so a ggml [ne0 = in, ne1 = out] weight lists as [out, in], matching safetensors.
 *
 * <p>Scalars and strings of the metadata are kept ({@link #metadata()}); arrays are skipped (their count and
 * element sizes are checked against the file before skipping). Every tensor's offset is checked for alignment,
 * range and overlap; block types require the innermost dim to be a multiple of the block size.
 */
final class GgufReader extends BaseSource {
  static final long MAX_STRING = 64L << 20;
  static final long MAX_NAME = 1 << 16;
  static final int MAX_ARRAY_DEPTH = 4;

  private final Map<String, Object> metadata = new LinkedHashMap<>();

  private GgufReader(Path path) {
    super(path);
  }

  @Override
  public String format() {
    return "gguf";
  }

  /** Scalar and string metadata (arrays are omitted), in file order. */
  Map<String, Object> metadata() {
    return Collections.unmodifiableMap(metadata);
  }

  static GgufReader open(Path path) throws IOException {
    GgufReader r = new GgufReader(path);
    FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
    r.closeables.add(ch);
    try {
      r.parse(ch);
    } catch (IOException | RuntimeException e) {
      r.close();
      throw e;
    }
    return r;
  }

  private String string(Cursor c, long cap, String what) throws IOException {
    long n = c.i64(); // u64 length
    byte[] b = c.bytes(n, cap, what);
    return Json.utf8(path, null, b, 0, b.length, what);
  }

  private record Info(String name, DType type, long[] shape, long offset, long bytes) {}

  private void parse(FileChannel ch) throws IOException {
    Cursor c = new Cursor(path, ch, 0);
    if (c.size() < 24 || c.i32() != 0x46554747) { // "GGUF" as u32 LE
      throw error(null, "bad GGUF magic");
    }
    long version = c.u32();
    if (version != 2 && version != 3) {
      throw error(null, "GGUF version " + version + " is not supported (2, 3)"
          + (Long.reverseBytes(version) >>> 32 == 2 || Long.reverseBytes(version) >>> 32 == 3
              ? "; big-endian GGUF is not supported" : ""));
    }
    long tensorCount = c.i64();
    long kvCount = c.i64();
    // Each tensor info is at least 8 + 4 + 4 + 8 bytes and each pair at least 8 + 4 + 1: bounds the counts.
    if (tensorCount < 0 || tensorCount > c.remaining() / 24 || kvCount < 0 || kvCount > c.remaining() / 13) {
      throw error(null, "tensor count " + tensorCount + " or metadata count " + kvCount
          + " impossible in a file of " + c.size() + " bytes");
    }
    long alignment = 32;
    for (long i = 0; i < kvCount; i++) {
      String key = string(c, MAX_NAME, "metadata key");
      int type = c.i32();
      Object v = value(c, type, key, 0);
      if (v != null) {
        metadata.put(key, v);
      }
      if (key.equals("general.alignment")) {
        if (!(v instanceof Long a) || a <= 0 || (a & (a - 1)) != 0 || a > (1 << 20)) {
          throw error(null, "general.alignment must be a power of two up to 2^20, got " + v);
        }
        alignment = (Long) v;
      }
    }
    List<Info> infos = new ArrayList<>();
    for (long i = 0; i < tensorCount; i++) {
      String name = string(c, MAX_NAME, "tensor name");
      long nd = c.u32();
      if (nd > Shapes.MAX_RANK) {
        throw error(name, "n_dims " + nd + " exceeds " + Shapes.MAX_RANK);
      }
      long[] ne = new long[(int) nd];
      for (int d = 0; d < nd; d++) {
        ne[d] = c.i64();
      }
      int type = c.i32();
      long offset = c.i64();
      try {
        infos.add(info(name, ne, type, offset, alignment));
      } catch (CheckpointFormatException e) {
        refuse(e);
      }
    }
    long dataStart = (c.position() + alignment - 1) / alignment * alignment;
    long dataSize = c.size() - Math.min(dataStart, c.size());
    infos.sort((a, b) -> Long.compare(a.offset, b.offset));
    long end = 0;
    String prev = null;
    for (Info t : infos) {
      if (t.offset > dataSize || t.bytes > dataSize - t.offset) {
        refuse(error(t.name, "data [" + t.offset + ", +" + t.bytes + ") beyond the " + dataSize
            + " data bytes (truncated file?)"));
        continue;
      }
      if (t.bytes > 0 && t.offset < end) {
        refuse(error(t.name, "data overlap tensor '" + prev + "'"));
        refuse(error(prev, "data overlap tensor '" + t.name + "'"));
        continue;
      }
      if (t.offset + t.bytes > end) {
        end = t.offset + t.bytes;
        prev = t.name;
      }
      add(new Entry(new TensorInfo(t.name, t.type, t.shape, t.bytes, path),
          new DataRegion.Mapped(path, ch, dataStart + t.offset, t.bytes, DataRegion.DEFAULT_WINDOW),
          ByteOrder.LITTLE_ENDIAN));
    }
  }

  private Info info(String name, long[] ne, int type, long offset, long alignment)
      throws CheckpointFormatException {
    DType t = ggmlType(name, type);
    long[] shape = new long[ne.length];
    for (int d = 0; d < ne.length; d++) {
      shape[d] = ne[ne.length - 1 - d];
    }
    long numel = Shapes.numel(path, name, shape);
    if (ne.length > 0 && ne[0] % t.blockSize() != 0) {
      throw error(name, "innermost dim " + ne[0] + " is not a multiple of the " + t + " block size "
          + t.blockSize());
    }
    long bytes = t.byteSize(numel);
    if (bytes < 0) {
      throw error(name, numel + " elements are not a whole number of " + t + " blocks of " + t.blockSize());
    }
    if (offset < 0 || offset % alignment != 0) {
      throw error(name, "offset " + offset + " is not a non-negative multiple of the alignment " + alignment);
    }
    return new Info(name, t, shape, offset, bytes);
  }

  private DType ggmlType(String name, int type) throws CheckpointFormatException {
    return switch (type) {
      case 0 -> DType.F32;
      case 1 -> DType.F16;
      case 2 -> DType.Q4_0;
      case 3 -> DType.Q4_1;
      case 6 -> DType.Q5_0;
      case 7 -> DType.Q5_1;
      case 8 -> DType.Q8_0;
      case 9 -> DType.Q8_1;
      case 10 -> DType.Q2_K;
      case 11 -> DType.Q3_K;
      case 12 -> DType.Q4_K;
      case 13 -> DType.Q5_K;
      case 14 -> DType.Q6_K;
      case 15 -> DType.Q8_K;
      case 24 -> DType.I8;
      case 25 -> DType.I16;
      case 26 -> DType.I32;
      case 27 -> DType.I64;
      case 28 -> DType.F64;
      case 30 -> DType.BF16;
      default -> throw error(name, "ggml type " + type + " is not supported (IQ*, TQ* and MXFP4 types are not "
          + "read)");
    };
  }

  /** Element byte sizes of the fixed-size metadata value types (-1 for string, array, unknown). */
  private static int fixedSize(int type) {
    return switch (type) {
      case 0, 1, 7 -> 1; // u8, i8, bool
      case 2, 3 -> 2; // u16, i16
      case 4, 5, 6 -> 4; // u32, i32, f32
      case 10, 11, 12 -> 8; // u64, i64, f64
      default -> -1;
    };
  }

  private Object value(Cursor c, int type, String key, int depth) throws IOException {
    switch (type) {
      case 0: return (long) c.u8();
      case 1: return (long) (byte) c.u8();
      case 2: return (long) (c.u8() | c.u8() << 8);
      case 3: return (long) (short) (c.u8() | c.u8() << 8);
      case 4: return c.u32();
      case 5: return (long) c.i32();
      case 6: return (double) Float.intBitsToFloat(c.i32());
      case 7: return c.u8() != 0;
      case 8: return string(c, MAX_STRING, "metadata string '" + key + "'");
      case 10: return c.i64();
      case 11: return c.i64();
      case 12: return Double.longBitsToDouble(c.i64());
      case 9: {
        if (depth >= MAX_ARRAY_DEPTH) {
          throw error(null, "metadata '" + key + "': arrays nested deeper than " + MAX_ARRAY_DEPTH);
        }
        int et = c.i32();
        long n = c.i64();
        int fs = fixedSize(et);
        if (n < 0 || (fs > 0 && n > c.remaining() / fs) || (fs < 0 && n > c.remaining() / 8)) {
          throw error(null, "metadata array '" + key + "' of " + n + " elements runs past the end of the file");
        }
        if (fs > 0) {
          c.skip(n * fs, "metadata array '" + key + "'");
        } else if (et == 8) {
          // String arrays (vocabularies) are skipped without allocating their contents.
          for (long i = 0; i < n; i++) {
            c.skip(c.i64(), "metadata string in array '" + key + "'");
          }
        } else {
          for (long i = 0; i < n; i++) {
            value(c, et, key, depth + 1);
          }
        }
        return null;
      }
      default:
        throw error(null, "metadata '" + CheckpointFormatException.printable(key) + "' has unknown value type "
            + type);
    }
  }
}
