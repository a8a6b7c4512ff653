package dev.cartan.cli.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Reader of ONNX graph initializers from the protobuf wire format (onnx/onnx.proto3; protobuf encoding guide),
 * with no protobuf library.
 *
 * <p>Walked messages and fields: ModelProto.graph (7); GraphProto.node (1), .initializer (5); NodeProto.attribute
 * (5); AttributeProto.g (6) and .graphs (11) (sub-graphs of If, Loop, Scan: their initializers are read too).
 * TensorProto: dims (1, int64, packed or not), data_type (2), float_data (4, packed), int32_data (5, packed varints;
 * holds the bits of FLOAT16/BFLOAT16), int64_data (7) and uint64_data (11) (integer tensors: listed only), name (8), raw_data (9), double_data (10, packed), external_data (13:
 * location, offset, length) and data_location (14). External files must be relative paths inside the model's
 * folder. Sub-graph nesting is capped at {@link #MAX_DEPTH}; every length is checked against its enclosing
 * message. Models over 2 GiB are refused (protobuf's own limit; big models use external data).
 */
final class OnnxReader extends BaseSource {
  static final int MAX_DEPTH = 16;

  private final Map<Path, FileChannel> external = new HashMap<>();
  private FileChannel ch;
  private ByteBuffer buf;

  private OnnxReader(Path path) {
    super(path);
  }

  @Override
  public String format() {
    return "onnx";
  }

  static OnnxReader open(Path path) throws IOException {
    OnnxReader r = new OnnxReader(path);
    r.ch = FileChannel.open(path, StandardOpenOption.READ);
    r.closeables.add(r.ch);
    try {
      long size = r.ch.size();
      if (size > Integer.MAX_VALUE) {
        throw r.error(null, "ONNX protobuf over 2 GiB; protobuf messages are limited to 2 GiB");
      }
      r.buf = r.ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
      r.model(0, (int) size);
    } catch (IOException | RuntimeException e) {
      r.close();
      throw e;
    }
    return r;
  }

  /** A position in the buffer plus wire-format primitives, bounded by a message end. */
  private final class Wire {
    int pos;
    final int end;

    Wire(int pos, int end) {
      this.pos = pos;
      this.end = end;
    }

    boolean more() {
      return pos < end;
    }

    long varint() throws CheckpointFormatException {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw error(null, "varint runs past its message at byte " + pos);
        }
        int b = buf.get(pos++) & 0xff;
        v |= (long) (b & 0x7f) << shift;
        if (b < 0x80) {
          return v;
        }
      }
      throw error(null, "varint longer than 10 bytes at byte " + pos);
    }

    /** Returns the end of a length-delimited field whose payload starts at {@link #pos}. */
    int lengthEnd() throws CheckpointFormatException {
      long n = varint();
      if (n < 0 || n > end - pos) {
        throw error(null, "length " + n + " at byte " + pos + " exceeds its enclosing message");
      }
      return pos + (int) n;
    }

    void skip(int wire) throws CheckpointFormatException {
      switch (wire) {
        case 0 -> varint();
        case 1 -> advance(8);
        case 2 -> pos = lengthEnd();
        case 5 -> advance(4);
        default -> throw error(null, "protobuf wire type " + wire + " at byte " + pos + " is not supported");
      }
    }

    void advance(int n) throws CheckpointFormatException {
      if (n > end - pos) {
        throw error(null, "field runs past its message at byte " + pos);
      }
      pos += n;
    }

    String string(int e) throws CheckpointFormatException {
      byte[] b = new byte[e - pos];
      buf.get(pos, b);
      pos = e;
      return Json.utf8(path, null, b, 0, b.length, "protobuf string");
    }
  }

  private void model(int start, int end) throws IOException {
    Wire w = new Wire(start, end);
    boolean graph = false;
    while (w.more()) {
      long tag = w.varint();
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (field == 7 && wire == 2) {
        int e = w.lengthEnd();
        graph(w.pos, e, 0);
        w.pos = e;
        graph = true;
      } else {
        w.skip(wire);
      }
    }
    if (!graph) {
      throw error(null, "no graph in the ONNX model (not an ONNX file?)");
    }
  }

  private void graph(int start, int end, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw error(null, "sub-graphs nested deeper than " + MAX_DEPTH);
    }
    Wire w = new Wire(start, end);
    while (w.more()) {
      long tag = w.varint();
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (wire == 2 && (field == 1 || field == 5)) {
        int e = w.lengthEnd();
        if (field == 1) {
          node(w.pos, e, depth);
        } else {
          try {
            tensor(w.pos, e);
          } catch (CheckpointFormatException ex) {
            refuse(ex);
          }
        }
        w.pos = e;
      } else {
        w.skip(wire);
      }
    }
  }

  private void node(int start, int end, int depth) throws IOException {
    Wire w = new Wire(start, end);
    while (w.more()) {
      long tag = w.varint();
      if ((tag >>> 3) == 5 && (tag & 7) == 2) { // attribute
        int e = w.lengthEnd();
        Wire a = new Wire(w.pos, e);
        while (a.more()) {
          long t = a.varint();
          if (((t >>> 3) == 6 || (t >>> 3) == 11) && (t & 7) == 2) { // g, graphs
            int ge = a.lengthEnd();
            graph(a.pos, ge, depth + 1);
            a.pos = ge;
          } else {
            a.skip((int) (t & 7));
          }
        }
        w.pos = e;
      } else {
        w.skip((int) (tag & 7));
      }
    }
  }

  private DType onnxType(String name, long t) throws CheckpointFormatException {
    return switch ((int) t) {
      case 1 -> DType.F32;
      case 2 -> DType.U8;
      case 3 -> DType.I8;
      case 4 -> DType.U16;
      case 5 -> DType.I16;
      case 6 -> DType.I32;
      case 7 -> DType.I64;
      case 9 -> DType.BOOL;
      case 10 -> DType.F16;
      case 11 -> DType.F64;
      case 12 -> DType.U32;
      case 13 -> DType.U64;
      case 14 -> DType.C64;
      case 15 -> DType.C128;
      case 16 -> DType.BF16;
      case 17 -> DType.F8_E4M3;
      case 19 -> DType.F8_E5M2;
      default -> throw error(name, "ONNX data_type " + t + " is not supported");
    };
  }

  private void tensor(int start, int end) throws IOException {
    Wire w = new Wire(start, end);
    long[] dims = new long[Shapes.MAX_RANK];
    int rank = 0;
    long type = 0;
    String name = null;
    int rawStart = -1;
    int rawEnd = -1;
    int typedField = 0;
    int typedStart = -1;
    int typedEnd = -1;
    long location = 0;
    String extLocation = null;
    long extOffset = 0;
    long extLength = -1;
    String problem = null;
    while (w.more()) {
      long tag = w.varint();
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      switch (field) {
        case 1 -> { // dims: repeated int64, packed (wire 2) or one per tag (wire 0)
          if (wire == 2) {
            int e = w.lengthEnd();
            Wire packed = new Wire(w.pos, e);
            while (packed.more()) {
              if (rank == Shapes.MAX_RANK) {
                throw error(name, "rank exceeds " + Shapes.MAX_RANK);
              }
              dims[rank++] = packed.varint();
            }
            w.pos = e;
          } else if (wire == 0) {
            if (rank == Shapes.MAX_RANK) {
              throw error(name, "rank exceeds " + Shapes.MAX_RANK);
            }
            dims[rank++] = w.varint();
          } else {
            w.skip(wire);
          }
        }
        case 2 -> type = wire == 0 ? w.varint() : skipBad(w, wire);
        case 8 -> {
          if (wire != 2) {
            throw error(null, "tensor name has wire type " + wire);
          }
          name = w.string(w.lengthEnd());
        }
        case 9 -> {
          if (wire != 2) {
            throw error(name, "raw_data has wire type " + wire);
          }
          rawEnd = w.lengthEnd();
          rawStart = w.pos;
          w.pos = rawEnd;
        }
        case 4, 5, 7, 10, 11 -> {
          if (wire == 2) {
            typedEnd = w.lengthEnd();
            typedStart = w.pos;
            typedField = field;
            w.pos = typedEnd;
          } else {
            problem = "unpacked repeated float_data/int32_data/double_data is not supported";
            w.skip(wire);
          }
        }
        case 3 -> {
          problem = "segmented tensors are not supported";
          w.skip(wire);
        }
        case 13 -> { // external_data: StringStringEntryProto {1 key, 2 value}
          if (wire != 2) {
            throw error(name, "external_data has wire type " + wire);
          }
          int e = w.lengthEnd();
          Wire kv = new Wire(w.pos, e);
          String k = null;
          String v = null;
          while (kv.more()) {
            long t = kv.varint();
            if ((t & 7) == 2 && ((t >>> 3) == 1 || (t >>> 3) == 2)) {
              String s = kv.string(kv.lengthEnd());
              if ((t >>> 3) == 1) {
                k = s;
              } else {
                v = s;
              }
            } else {
              kv.skip((int) (t & 7));
            }
          }
          w.pos = e;
          if ("location".equals(k)) {
            extLocation = v;
          } else if ("offset".equals(k) || "length".equals(k)) {
            long n;
            try {
              n = Long.parseLong(v == null ? "" : v.trim());
            } catch (NumberFormatException ex) {
              throw error(name, "external_data " + k + " is not an integer");
            }
            if (n < 0) {
              throw error(name, "negative external_data " + k);
            }
            if ("offset".equals(k)) {
              extOffset = n;
            } else {
              extLength = n;
            }
          }
        }
        case 14 -> location = wire == 0 ? w.varint() : skipBad(w, wire);
        default -> w.skip(wire);
      }
    }
    if (name == null) {
      throw error(null, "initializer without a name at byte " + start);
    }
    if (problem != null) {
      throw error(name, problem);
    }
    long[] shape = java.util.Arrays.copyOf(dims, rank);
    for (long d : shape) {
      if (d < 0) {
        throw error(name, "negative dimension " + d);
      }
    }
    if (type == 8) {
      throw error(name, "string tensors are not numeric");
    }
    DType t = onnxType(name, type);
    long numel = Shapes.numel(path, name, shape);
    long need = t.byteSize(numel);
    if (need < 0) {
      throw error(name, "byte size overflows");
    }
    if (location == 1 || extLocation != null) {
      add(externalEntry(name, t, shape, need, extLocation, extOffset, extLength));
      return;
    }
    TensorInfo info;
    if (rawStart >= 0) {
      if (rawEnd - rawStart != need) {
        throw error(name, "raw_data holds " + (rawEnd - rawStart) + " bytes, the shape needs " + need);
      }
      info = new TensorInfo(name, t, shape, need, path);
      add(new Entry(info, new DataRegion.Mapped(path, ch, rawStart, need, DataRegion.DEFAULT_WINDOW),
          ByteOrder.LITTLE_ENDIAN));
      return;
    }
    if (numel == 0) {
      add(new Entry(new TensorInfo(name, t, shape, 0, path), new DataRegion.Heap(path, new byte[0]),
          ByteOrder.LITTLE_ENDIAN));
      return;
    }
    if (typedStart < 0) {
      throw error(name, "no raw_data, typed data or external data");
    }
    int len = typedEnd - typedStart;
    if ((typedField == 4 && t == DType.F32) || (typedField == 10 && t == DType.F64)) {
      if (len != need) {
        throw error(name, "packed data hold " + len + " bytes, the shape needs " + need);
      }
      add(new Entry(new TensorInfo(name, t, shape, need, path),
          new DataRegion.Mapped(path, ch, typedStart, need, DataRegion.DEFAULT_WINDOW), ByteOrder.LITTLE_ENDIAN));
      return;
    }
    if (typedField == 5 && (t == DType.F16 || t == DType.BF16)) {
      // Each value is a varint of at least one byte, so numel <= len bounds the allocation by the file.
      if (numel > len) {
        throw error(name, "int32_data hold at most " + len + " values, the shape needs " + numel);
      }
      byte[] bits = new byte[(int) (2 * numel)];
      Wire v = new Wire(typedStart, typedEnd);
      for (int i = 0; i < numel; i++) {
        if (!v.more()) {
          throw error(name, "int32_data hold fewer values than the shape needs");
        }
        long x = v.varint();
        bits[2 * i] = (byte) x;
        bits[2 * i + 1] = (byte) (x >>> 8);
      }
      if (v.more()) {
        throw error(name, "int32_data hold more values than the shape needs");
      }
      add(new Entry(new TensorInfo(name, t, shape, need, path), new DataRegion.Heap(path, bits),
          ByteOrder.LITTLE_ENDIAN));
      return;
    }
    if (!t.readable()) {
      // Integer tensors in typed fields: listed as non-float, never decoded.
      add(new Entry(new TensorInfo(name, t, shape, len, path), new DataRegion.Heap(path, new byte[0]),
          ByteOrder.LITTLE_ENDIAN));
      return;
    }
    throw error(name, "typed field " + typedField + " does not match data_type " + t);
  }

  private long skipBad(Wire w, int wire) throws CheckpointFormatException {
    w.skip(wire);
    return -1;
  }

  private Entry externalEntry(String name, DType t, long[] shape, long need, String loc, long off, long len)
      throws IOException {
    if (loc == null || loc.isEmpty()) {
      throw error(name, "external data without a location");
    }
    Path rel;
    try {
      rel = Path.of(loc).normalize();
    } catch (java.nio.file.InvalidPathException e) {
      throw error(name, "external data location '" + CheckpointFormatException.printable(loc) + "' is not a path");
    }
    if (rel.isAbsolute() || rel.startsWith("..")) {
      throw error(name, "external data location '" + CheckpointFormatException.printable(loc)
          + "' must be a relative path inside the model's folder");
    }
    Path dir = path.toAbsolutePath().getParent();
    Path file = dir.resolve(rel).normalize();
    if (!file.startsWith(dir) || !Files.isRegularFile(file)) {
      throw error(name, "external data file '" + CheckpointFormatException.printable(loc) + "' not found");
    }
    if (len >= 0 && len != need) {
      throw error(name, "external data length " + len + " but the shape needs " + need);
    }
    FileChannel c = external.get(file);
    if (c == null) {
      c = FileChannel.open(file, StandardOpenOption.READ);
      external.put(file, c);
      closeables.add(c);
    }
    if (off > c.size() || need > c.size() - off) {
      throw error(name, "external data [" + off + ", +" + need + ") beyond the " + c.size() + "-byte file "
          + file.getFileName());
    }
    return new Entry(new TensorInfo(name, t, shape, need, file),
        new DataRegion.Mapped(file, c, off, need, DataRegion.DEFAULT_WINDOW), ByteOrder.LITTLE_ENDIAN);
  }
}
