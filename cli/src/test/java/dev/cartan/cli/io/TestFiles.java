package dev.cartan.cli.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Test-only writers of every supported format, from their specifications (small files only). */
final class TestFiles {
  private TestFiles() {}

  /** A tensor to write: name, format-specific type code, shape (row-major, outermost first), raw bytes. */
  record T(String name, String type, long[] shape, byte[] data) {}

  static byte[] f32(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      b.putFloat(x);
    }
    return b.array();
  }

  static byte[] f64(double... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (double x : v) {
      b.putDouble(x);
    }
    return b.array();
  }

  static byte[] u16(int... v) {
    ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int x : v) {
      b.putShort((short) x);
    }
    return b.array();
  }

  static float[] seq(int n, float scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (i - n / 3) * scale;
    }
    return v;
  }

  static String shapeJson(long[] shape) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ",").append(shape[i]);
    }
    return sb.append(']').toString();
  }

  // ---------------------------------------------------------------- safetensors

  /** Header JSON for tensors laid out back to back. */
  static String safetensorsHeader(List<T> ts) {
    StringBuilder sb = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
    long off = 0;
    for (T t : ts) {
      sb.append(",\"").append(t.name).append("\":{\"dtype\":\"").append(t.type).append("\",\"shape\":")
          .append(shapeJson(t.shape)).append(",\"data_offsets\":[").append(off).append(',')
          .append(off + t.data.length).append("]}");
      off += t.data.length;
    }
    return sb.append('}').toString();
  }

  static Path safetensors(Path file, List<T> ts) throws IOException {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (T t : ts) {
      data.write(t.data);
    }
    return safetensorsRaw(file, safetensorsHeader(ts).getBytes(StandardCharsets.UTF_8), data.toByteArray());
  }

  static Path safetensorsRaw(Path file, byte[] header, byte[] data) throws IOException {
    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
    try (OutputStream o = Files.newOutputStream(file)) {
      o.write(len.array());
      o.write(header);
      o.write(data);
    }
    return file;
  }

  // ---------------------------------------------------------------- npy / npz

  static byte[] npy(int major, String descr, boolean fortran, long[] shape, byte[] data) {
    StringBuilder sb = new StringBuilder("{'descr': '").append(descr).append("', 'fortran_order': ")
        .append(fortran ? "True" : "False").append(", 'shape': (");
    for (long d : shape) {
      sb.append(d).append(", ");
    }
    sb.append("), }");
    int pre = major == 1 ? 10 : 12;
    while ((pre + sb.length() + 1) % 64 != 0) {
      sb.append(' ');
    }
    sb.append('\n');
    byte[] h = sb.toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(pre + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) major).put((byte) 0);
    if (major == 1) {
      b.putShort((short) h.length);
    } else {
      b.putInt(h.length);
    }
    b.put(h).put(data);
    return b.array();
  }

  /** A zip of the given entries, stored (with CRC) or deflated. */
  static Path zip(Path file, Map<String, byte[]> entries, boolean deflate) throws IOException {
    try (ZipOutputStream z = new ZipOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry ze = new ZipEntry(e.getKey());
        if (!deflate) {
          ze.setMethod(ZipEntry.STORED);
          ze.setSize(e.getValue().length);
          CRC32 crc = new CRC32();
          crc.update(e.getValue());
          ze.setCrc(crc.getValue());
        }
        z.putNextEntry(ze);
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return file;
  }

  // ---------------------------------------------------------------- PyTorch

  /** A tiny pickler emitting the opcode sequence torch.save uses for a dict of tensors (protocol 2). */
  static final class Pickler {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Pickler op(int... bytes) {
      for (int b : bytes) {
        out.write(b);
      }
      return this;
    }

    Pickler str(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      op('X');
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
      out.writeBytes(b);
      return this;
    }

    Pickler global(String module, String name) {
      op('c');
      out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
      return this;
    }

    Pickler integer(long v) {
      if (v != (int) v) {
        op(0x8a, 8); // LONG1 with 8 little-endian bytes
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        return this;
      }
      op('J');
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
      return this;
    }

    Pickler tuple(long... v) {
      op('(');
      for (long x : v) {
        integer(x);
      }
      return op('t');
    }

    /** name -> _rebuild_tensor_v2(('storage', torch.<type>, key, 'cpu', numel), offset, size, stride, ...). */
    Pickler tensor(String name, String storage, String key, long numel, long offset, long[] size, long[] stride) {
      str(name);
      global("torch._utils", "_rebuild_tensor_v2");
      op('(');
      op('(').str("storage").global("torch", storage).str(key).str("cpu").integer(numel).op('t').op('Q');
      integer(offset).tuple(size).tuple(stride).op(0x89);
      global("collections", "OrderedDict").op(')').op('R');
      return op('t').op('R');
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  static long[] cStrides(long[] shape) {
    long[] s = new long[shape.length];
    long p = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = p;
      p *= shape[i];
    }
    return s;
  }

  /** A torch.save-style zip: archive/data.pkl, archive/byteorder, archive/data/&lt;i&gt; per F32 tensor. */
  static Path torch(Path file, List<T> ts) throws IOException {
    Pickler p = new Pickler().op(0x80, 2).op('}').op('(');
    Map<String, byte[]> entries = new LinkedHashMap<>();
    List<byte[]> storages = new ArrayList<>();
    for (int i = 0; i < ts.size(); i++) {
      T t = ts.get(i);
      p.tensor(t.name, t.type, String.valueOf(i), t.data.length / 4, 0, t.shape, cStrides(t.shape));
      storages.add(t.data);
    }
    p.op('u').op('.');
    entries.put("archive/data.pkl", p.bytes());
    entries.put("archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < storages.size(); i++) {
      entries.put("archive/data/" + i, storages.get(i));
    }
    entries.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
    return zip(file, entries, false);
  }

  // ---------------------------------------------------------------- GGUF

  /** A GGUF tensor: name, ggml type id, ggml dims (innermost first), raw bytes. */
  record G(String name, int type, long[] ne, byte[] data) {}

  static void gstr(ByteBuffer b, String s) {
    byte[] x = s.getBytes(StandardCharsets.UTF_8);
    b.putLong(x.length).put(x);
  }

  static Path gguf(Path file, int version, int alignment, List<G> ts) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x46554747).putInt(version).putLong(ts.size()).putLong(3);
    gstr(b, "general.architecture");
    b.putInt(8);
    gstr(b, "test");
    gstr(b, "general.alignment");
    b.putInt(4).putInt(alignment);
    gstr(b, "tokenizer.tokens");
    b.putInt(9).putInt(8).putLong(2);
    gstr(b, "a");
    gstr(b, "bc");
    long off = 0;
    List<Long> offs = new ArrayList<>();
    for (G t : ts) {
      gstr(b, t.name);
      b.putInt(t.ne.length);
      for (long d : t.ne) {
        b.putLong(d);
      }
      b.putInt(t.type).putLong(off);
      offs.add(off);
      off = (off + t.data.length + alignment - 1) / alignment * alignment;
    }
    int start = (b.position() + alignment - 1) / alignment * alignment;
    for (int i = 0; i < ts.size(); i++) {
      b.position((int) (start + offs.get(i)));
      b.put(ts.get(i).data);
    }
    Files.write(file, java.util.Arrays.copyOf(b.array(), b.position()));
    return file;
  }

  // ---------------------------------------------------------------- ONNX (protobuf)

  /** A protobuf message writer. */
  static final class Proto {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(long v) {
      while ((v & ~0x7fL) != 0) {
        out.write((int) ((v & 0x7f) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
      return this;
    }

    Proto tag(int field, int wire) {
      return varint(((long) field << 3) | wire);
    }

    Proto bytes(int field, byte[] b) {
      tag(field, 2).varint(b.length);
      out.writeBytes(b);
      return this;
    }

    Proto str(int field, String s) {
      return bytes(field, s.getBytes(StandardCharsets.UTF_8));
    }

    Proto msg(int field, Proto m) {
      return bytes(field, m.out.toByteArray());
    }

    Proto int64(int field, long v) {
      return tag(field, 0).varint(v);
    }

    byte[] toBytes() {
      return out.toByteArray();
    }
  }

  static Proto onnxTensor(String name, int dataType, long[] dims) {
    Proto t = new Proto();
    for (long d : dims) {
      t.int64(1, d);
    }
    return t.int64(2, dataType).str(8, name);
  }

  /** ModelProto{ir_version, graph{initializers, nodes}}. */
  static Path onnx(Path file, Proto graph) throws IOException {
    Proto m = new Proto().int64(1, 8).msg(7, graph);
    Files.write(file, m.toBytes());
    return file;
  }
}
