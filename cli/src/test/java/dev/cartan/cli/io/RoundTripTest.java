package dev.cartan.cli.io;

import static dev.cartan.cli.io.TestFiles.f32;
import static dev.cartan.cli.io.TestFiles.f64;
import static dev.cartan.cli.io.TestFiles.seq;
import static dev.cartan.cli.io.TestFiles.u16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.FMatrix;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suite writes small files in every format (TestFiles) and reads them back through {@link Checkpoints}. */
class RoundTripTest {
  @TempDir Path dir;

  private static final long[] S23 = {2, 3};
  private static final float[] V6 = {1, 2, 3, 4, 5, 6};

  private static List<TestFiles.T> mixed() {
    return List.of(
        new TestFiles.T("w", "F32", S23, f32(V6)),
        new TestFiles.T("d", "F64", new long[] {3}, f64(0.1, -2.5, 1e-300)),
        new TestFiles.T("h", "F16", new long[] {2, 2}, u16(0x3c00, 0xc000, 0x3800, 0x0001)),
        new TestFiles.T("b", "BF16", new long[] {1, 2}, u16(0x3f80, 0xc040)),
        new TestFiles.T("conv", "F32", new long[] {2, 1, 2, 2}, f32(seq(8, 0.5f))),
        new TestFiles.T("ids", "I64", new long[] {2}, new byte[16]),
        new TestFiles.T("s", "F32", new long[] {}, f32(7)));
  }

  private static void checkMixed(TensorSource s) throws Exception {
    assertEquals(7, s.tensors().size(), s.problems().toString());
    assertArrayEquals(V6, s.readFloat("w"));
    assertArrayEquals(new double[] {0.1, -2.5, 1e-300}, s.readDouble("d"));
    assertArrayEquals(new float[] {1, -2, 0.5f, 0x1p-24f}, s.readFloat("h"));
    assertArrayEquals(new float[] {1, -3}, s.readFloat("b"));
    assertArrayEquals(new float[] {7}, s.readFloat("s"));
    assertNull(s.matrixShape("s"));
    assertNull(s.matrixShape("d"));
    assertArrayEquals(new int[] {2, 4}, s.matrixShape("conv"));
    DMatrix m = s.readDMatrix("w");
    assertEquals(2, m.rows());
    assertEquals(3, m.cols());
    assertEquals(6.0, m.get(1, 2));
    assertEquals(2.0, m.get(0, 1));
    FMatrix c = s.readFMatrix("conv");
    assertEquals(seq(8, 0.5f)[5], c.get(1, 1)); // row 1 = output channel 1, column 1 = (i 0, h 0, w 1)
    CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> s.readFloat("ids"));
    assertTrue(e.getMessage().contains("not a floating type"));
    assertThrows(CheckpointFormatException.class, () -> s.readDMatrix("d"));
    assertThrows(CheckpointFormatException.class, () -> s.readFloat("absent"));
  }

  @Test
  void safetensors() throws Exception {
    Path f = TestFiles.safetensors(dir.resolve("m.safetensors"), mixed());
    try (TensorSource s = Checkpoints.open(f)) {
      assertEquals("safetensors", s.format());
      checkMixed(s);
      assertEquals(List.of(), s.problems());
    }
  }

  @Test
  void safetensorsWindowsSmallerThanTensors() throws Exception {
    // Tiny windows exercise the >2 GiB path (one tensor mapped in several windows) on a small file.
    float[] big = new float[1000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (i % 128) - 64; // at most 7 significant bits: exact in bf16
    }
    byte[] h = new byte[1000 * 2];
    for (int i = 0; i < 1000; i++) {
      int bits = Float.floatToIntBits(big[i]) >>> 16;
      h[2 * i] = (byte) bits;
      h[2 * i + 1] = (byte) (bits >>> 8);
    }
    Path f = TestFiles.safetensors(dir.resolve("w.safetensors"), List.of(
        new TestFiles.T("a", "F32", new long[] {10, 100}, f32(big)),
        new TestFiles.T("b", "BF16", new long[] {1000}, h)));
    try (TensorSource s = SafetensorsReader.open(f, 36)) {
      assertArrayEquals(big, s.readFloat("a"));
      assertArrayEquals(big, s.readFloat("b"));
    }
  }

  @Test
  void safetensorsBeyond2GiB() throws Exception {
    // A sparse file: a 2 GiB - 64 byte U8 padding tensor (listed, never read), then a BF16 tensor straddling the
    // 2^31 byte boundary and an F32 tensor past it. Offsets and mappings must be 64-bit throughout.
    long pad = (1L << 31) - 64;
    String header = "{\"pad\":{\"dtype\":\"U8\",\"shape\":[" + pad + "],\"data_offsets\":[0," + pad + "]},"
        + "\"s\":{\"dtype\":\"BF16\",\"shape\":[64],\"data_offsets\":[" + pad + "," + (pad + 128) + "]},"
        + "\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[" + (pad + 128) + "," + (pad + 152) + "]}}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    Path f = dir.resolve("big.safetensors");
    float[] expect = new float[64];
    ByteBuffer tail = ByteBuffer.allocate(152).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 64; i++) {
      expect[i] = i - 20;
      tail.putShort((short) (Float.floatToIntBits(expect[i]) >>> 16));
    }
    for (float v : V6) {
      tail.putFloat(v);
    }
    try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
      raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
      raf.write(h);
      raf.seek(8 + h.length + pad);
      raf.write(tail.array());
    }
    try (TensorSource s = Checkpoints.open(f)) {
      assertEquals(3, s.tensors().size(), s.problems().toString());
      assertEquals(pad, s.info("pad").byteSize());
      assertArrayEquals(expect, s.readFloat("s"));
      assertArrayEquals(V6, s.readFloat("w"));
    } finally {
      Files.delete(f);
    }
  }

  @Test
  void safetensorsShards() throws Exception {
    TestFiles.safetensors(dir.resolve("model-00001-of-00002.safetensors"),
        List.of(new TestFiles.T("a", "F32", S23, f32(V6))));
    TestFiles.safetensors(dir.resolve("model-00002-of-00002.safetensors"),
        List.of(new TestFiles.T("b", "F32", new long[] {2}, f32(8, 9))));
    Files.writeString(dir.resolve("model.safetensors.index.json"),
        "{\"metadata\":{},\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\","
            + "\"b\":\"model-00002-of-00002.safetensors\",\"c\":\"model-00002-of-00002.safetensors\","
            + "\"evil\":\"../etc/passwd\"}}");
    try (TensorSource s = Checkpoints.open(dir)) {
      assertEquals(2, s.tensors().size());
      assertArrayEquals(V6, s.readFloat("a"));
      assertArrayEquals(new float[] {8, 9}, s.readFloat("b"));
      assertEquals(2, s.problems().size(), s.problems().toString()); // c missing from its shard, evil refused
      CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> s.readFloat("evil"));
      assertTrue(e.getMessage().contains("plain file name"));
      assertEquals("c", assertThrows(CheckpointFormatException.class, () -> s.info("c")).tensor());
    }
  }

  private static byte[] be(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.BIG_ENDIAN);
    for (float x : v) {
      b.putFloat(x);
    }
    return b.array();
  }

  @Test
  void npyVersionsOrdersAndEndianness() throws Exception {
    // Fortran order of the 2x3 matrix [[1,2,3],[4,5,6]] stores columns: 1 4 2 5 3 6.
    float[] fortran = {1, 4, 2, 5, 3, 6};
    Files.write(dir.resolve("v1.npy"), TestFiles.npy(1, "<f4", false, S23, f32(V6)));
    Files.write(dir.resolve("v2.npy"), TestFiles.npy(2, ">f4", false, S23, be(V6)));
    Files.write(dir.resolve("v3.npy"), TestFiles.npy(3, "<f4", true, S23, f32(fortran)));
    Files.write(dir.resolve("d.npy"), TestFiles.npy(1, "<f8", true, S23, f64(1, 4, 2, 5, 3, 6)));
    Files.write(dir.resolve("h.npy"), TestFiles.npy(1, "<f2", false, new long[] {2}, u16(0x3c00, 0x4000)));
    for (String n : List.of("v1", "v2", "v3")) {
      try (TensorSource s = Checkpoints.open(dir.resolve(n + ".npy"))) {
        assertEquals("npy", s.format());
        assertArrayEquals(V6, s.readFloat(n), n);
        assertEquals(6.0, s.readDMatrix(n).get(1, 2), n);
      }
    }
    try (TensorSource s = Checkpoints.open(dir)) { // a folder of .npy files
      assertEquals(5, s.tensors().size());
      assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, s.readDouble("d"));
      assertArrayEquals(new float[] {1, 2}, s.readFloat("h"));
    }
  }

  @Test
  void npzStoredAndDeflated() throws Exception {
    for (boolean deflate : new boolean[] {false, true}) {
      Map<String, byte[]> e = new LinkedHashMap<>();
      e.put("a.npy", TestFiles.npy(1, "<f4", false, S23, f32(V6)));
      e.put("f.npy", TestFiles.npy(1, "<f4", true, S23, f32(1, 4, 2, 5, 3, 6)));
      float[] big = seq(300_000, 1e-3f); // larger than the 1 MiB inflate chunk
      e.put("big.npy", TestFiles.npy(1, "<f4", false, new long[] {300_000}, f32(big)));
      Path f = TestFiles.zip(dir.resolve("x" + deflate + ".npz"), e, deflate);
      try (TensorSource s = Checkpoints.open(f)) {
        assertEquals("npz", s.format());
        assertArrayEquals(V6, s.readFloat("a"));
        assertArrayEquals(V6, s.readFloat("f"));
        assertArrayEquals(big, s.readFloat("big"));
      }
    }
  }

  @Test
  void pytorchContiguousStridedAndShared() throws Exception {
    TestFiles.Pickler p = new TestFiles.Pickler().op(0x80, 2).op('}').op('(');
    p.tensor("w", "FloatStorage", "0", 6, 0, S23, new long[] {3, 1});
    p.tensor("wt", "FloatStorage", "0", 6, 0, new long[] {3, 2}, new long[] {1, 3}); // transposed view
    p.tensor("row1", "FloatStorage", "0", 6, 3, new long[] {3}, new long[] {1}); // offset view
    p.tensor("d", "DoubleStorage", "1", 2, 0, new long[] {2}, new long[] {1});
    p.op('u');
    // A nested dict: {"sub": {"h": half tensor}} via SETITEM.
    p.str("sub").op('}').str("h");
    p.tensor("", "HalfStorage", "2", 2, 0, new long[] {2}, new long[] {1});
    p.op('s').op('s').op('.');
    Map<String, byte[]> e = new LinkedHashMap<>();
    e.put("arch/data.pkl", fixNested(p.bytes()));
    e.put("arch/data/0", f32(V6));
    e.put("arch/data/1", f64(0.5, -1));
    e.put("arch/data/2", u16(0x3c00, 0xbc00));
    Path f = TestFiles.zip(dir.resolve("m.pt"), e, false);
    try (TensorSource s = Checkpoints.open(f)) {
      assertEquals("pytorch", s.format());
      assertEquals(List.of(), s.problems());
      assertArrayEquals(V6, s.readFloat("w"));
      assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, s.readFloat("wt"));
      assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, s.readDouble("wt"));
      assertArrayEquals(new float[] {4, 5, 6}, s.readFloat("row1"));
      assertArrayEquals(new double[] {0.5, -1}, s.readDouble("d"));
      assertArrayEquals(new float[] {1, -1}, s.readFloat("sub.h"));
    }
  }

  /** The nested tensor was emitted with an empty name string before its rebuild; drop that stray string. */
  private static byte[] fixNested(byte[] b) {
    // Pickler.tensor("") writes X <len 0> before the rebuild global; remove those 5 bytes.
    byte[] marker = {'X', 0, 0, 0, 0, 'c'};
    for (int i = 0; i + marker.length <= b.length; i++) {
      boolean hit = true;
      for (int j = 0; j < marker.length && hit; j++) {
        hit = b[i + j] == marker[j];
      }
      if (hit) {
        byte[] r = new byte[b.length - 5];
        System.arraycopy(b, 0, r, 0, i);
        System.arraycopy(b, i + 5, r, i, b.length - i - 5);
        return r;
      }
    }
    throw new AssertionError("marker not found");
  }

  @Test
  void pytorchWriterHelper() throws Exception {
    Path f = TestFiles.torch(dir.resolve("t.pt"), List.of(
        new TestFiles.T("a", "FloatStorage", S23, f32(V6)),
        new TestFiles.T("b", "FloatStorage", new long[] {2, 1, 1, 2}, f32(1, 2, 3, 4))));
    try (TensorSource s = Checkpoints.open(f)) {
      assertArrayEquals(V6, s.readFloat("a"));
      assertArrayEquals(new int[] {2, 2}, s.matrixShape("b"));
    }
  }

  @Test
  void pytorchShards() throws Exception {
    TestFiles.torch(dir.resolve("pytorch_model-00001-of-00002.bin"),
        List.of(new TestFiles.T("a", "FloatStorage", S23, f32(V6))));
    TestFiles.torch(dir.resolve("pytorch_model-00002-of-00002.bin"),
        List.of(new TestFiles.T("b", "FloatStorage", new long[] {2}, f32(8, 9))));
    Files.writeString(dir.resolve("pytorch_model.bin.index.json"),
        "{\"weight_map\":{\"a\":\"pytorch_model-00001-of-00002.bin\",\"b\":\"pytorch_model-00002-of-00002.bin\"}}");
    try (TensorSource s = Checkpoints.open(dir)) {
      assertEquals(List.of(), s.problems());
      assertArrayEquals(V6, s.readFloat("a"));
      assertArrayEquals(new float[] {8, 9}, s.readFloat("b"));
    }
  }

  @Test
  void npzWithZip64EndRecord() throws Exception {
    // 70000 entries force ZipOutputStream to write the zip64 end-of-central-directory record and locator.
    Map<String, byte[]> e = new LinkedHashMap<>();
    for (int i = 0; i < 70_000; i++) {
      e.put("t" + i + ".npy", TestFiles.npy(1, "<f4", false, new long[] {1}, f32(i)));
    }
    Path f = TestFiles.zip(dir.resolve("many.npz"), e, false);
    try (TensorSource s = Checkpoints.open(f)) {
      assertEquals(70_000, s.tensors().size());
      assertArrayEquals(new float[] {69_999}, s.readFloat("t69999"));
      assertArrayEquals(new float[] {65_536}, s.readFloat("t65536"));
    }
  }

  @Test
  void ggufAllPlainTypesAndDimsReversed() throws Exception {
    byte[] q8 = ByteBuffer.allocate(34 * 2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3800)
        .put(2, (byte) 4).putShort(34, (short) 0x3c00).put(36, (byte) -3).array();
    Path f = TestFiles.gguf(dir.resolve("m.gguf"), 3, 32, List.of(
        new TestFiles.G("w", 0, new long[] {3, 2}, f32(V6)), // ne0 = 3 (inner), ne1 = 2 -> shape [2, 3]
        new TestFiles.G("h", 1, new long[] {2}, u16(0x3c00, 0xc000)),
        new TestFiles.G("b", 30, new long[] {2}, u16(0x3f80, 0xc040)),
        new TestFiles.G("d", 28, new long[] {1}, f64(0.1)),
        new TestFiles.G("q", 8, new long[] {32, 2}, q8)));
    try (TensorSource s = Checkpoints.open(f)) {
      assertEquals("gguf", s.format());
      assertEquals(List.of(), s.problems());
      assertArrayEquals(new long[] {2, 3}, s.info("w").shape());
      assertArrayEquals(V6, s.readFloat("w"));
      assertEquals(6.0, s.readDMatrix("w").get(1, 2));
      assertArrayEquals(new float[] {1, -2}, s.readFloat("h"));
      assertArrayEquals(new float[] {1, -3}, s.readFloat("b"));
      assertArrayEquals(new double[] {0.1}, s.readDouble("d"));
      float[] q = s.readFloat("q");
      assertEquals(64, q.length);
      assertEquals(2.0f, q[0]); // 0.5 * 4
      assertEquals(-3.0f, q[32]); // 1 * -3
      assertEquals("test", ((GgufReader) s).metadata().get("general.architecture"));
    }
    Path v2 = TestFiles.gguf(dir.resolve("v2.gguf"), 2, 64, List.of(
        new TestFiles.G("a", 0, new long[] {2}, f32(1, 2)), new TestFiles.G("b", 0, new long[] {1}, f32(3))));
    try (TensorSource s = Checkpoints.open(v2)) {
      assertArrayEquals(new float[] {3}, s.readFloat("b"));
    }
  }

  /** llama.cpp's reference Q8_0 quantizer (quantize_row_q8_0_ref): d = amax / 127 stored as f16, q = round(x / d). */
  private static byte[] quantizeQ8_0(float[] x) {
    ByteBuffer b = ByteBuffer.allocate(x.length / 32 * 34).order(ByteOrder.LITTLE_ENDIAN);
    for (int blk = 0; blk < x.length; blk += 32) {
      float amax = 0;
      for (int i = blk; i < blk + 32; i++) {
        amax = Math.max(amax, Math.abs(x[i]));
      }
      float d = amax / 127;
      int dh = toHalf(d);
      float id = d != 0 ? 1 / d : 0;
      b.putShort((short) dh);
      for (int i = blk; i < blk + 32; i++) {
        b.put((byte) Math.round(x[i] * id));
      }
    }
    return b.array();
  }

  /** float to binary16, round to nearest even, normal range only (enough for scales of order 1e-3..1e3). */
  private static int toHalf(float f) {
    int bits = Float.floatToIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int exp = ((bits >>> 23) & 0xff) - 127 + 15;
    if (f == 0) {
      return sign;
    }
    int mant = bits & 0x7fffff;
    int r = (exp << 10) | (mant >>> 13);
    int rest = mant & 0x1fff;
    if (rest > 0x1000 || (rest == 0x1000 && (r & 1) == 1)) {
      r++;
    }
    return sign | r;
  }

  @Test
  void ggufQ8_0WithinRoundingBound() throws Exception {
    java.util.Random rnd = new java.util.Random(8);
    float[] x = new float[64 * 96];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rnd.nextGaussian() * 0.05);
    }
    Path f = TestFiles.gguf(dir.resolve("q.gguf"), 3, 32,
        List.of(new TestFiles.G("q", 8, new long[] {96, 64}, quantizeQ8_0(x))));
    try (TensorSource s = Checkpoints.open(f)) {
      assertArrayEquals(new int[] {64, 96}, s.matrixShape("q"));
      float[] y = s.readFloat("q");
      for (int blk = 0; blk < x.length; blk += 32) {
        double amax = 0;
        for (int i = blk; i < blk + 32; i++) {
          amax = Math.max(amax, Math.abs(x[i]));
        }
        // |d' q - x| <= d/2 + 127 |d' - d| <= d (1/2 + 127 * 2^-11) < 0.6 d with d = amax / 127.
        for (int i = blk; i < blk + 32; i++) {
          assertTrue(Math.abs(y[i] - x[i]) <= 0.6 * amax / 127, "element " + i);
        }
      }
    }
  }

  /** Widening each element of {@code f} to double: what readDouble must return for a non-F64 tensor. */
  private static double[] widened(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  @Test
  void readDoubleWidensChunkByChunkAsReadFloat() throws Exception {
    // Lengths around multiples of the widening chunk, so chunk boundaries and a short last chunk are crossed.
    int n = 3 * BaseSource.WIDEN_CHUNK + 5;
    java.util.Random rnd = new java.util.Random(21);
    float[] v = new float[n];
    int[] h = new int[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rnd.nextGaussian();
      h[i] = rnd.nextInt(0x7c00) | (rnd.nextBoolean() ? 0x8000 : 0); // finite half and bfloat16 bit patterns
    }
    Path f = TestFiles.safetensors(dir.resolve("long.safetensors"), List.of(
        new TestFiles.T("w", "F32", new long[] {n}, f32(v)),
        new TestFiles.T("h", "F16", new long[] {n}, u16(h)),
        new TestFiles.T("b", "BF16", new long[] {n}, u16(h)),
        new TestFiles.T("one", "F32", new long[] {BaseSource.WIDEN_CHUNK}, f32(java.util.Arrays.copyOf(v,
            BaseSource.WIDEN_CHUNK)))));
    try (TensorSource s = Checkpoints.open(f)) {
      for (String name : List.of("w", "h", "b", "one")) {
        assertArrayEquals(widened(s.readFloat(name)), s.readDouble(name), name);
      }
      assertEquals(v[n - 1], s.readDouble("w")[n - 1]);
    }
    float[] x = new float[32 * (BaseSource.WIDEN_CHUNK / 32 + 3)];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    Path g = TestFiles.gguf(dir.resolve("long.gguf"), 3, 32,
        List.of(new TestFiles.G("q", 8, new long[] {x.length}, quantizeQ8_0(x))));
    try (TensorSource s = Checkpoints.open(g)) {
      assertArrayEquals(widened(s.readFloat("q")), s.readDouble("q"));
    }
  }

  @Test
  void onnxRawTypedExternalAndSubgraphs() throws Exception {
    Files.write(dir.resolve("weights.bin"), f32(0, 0, 9, 8, 7, 6));
    TestFiles.Proto ext = TestFiles.onnxTensor("ext", 1, new long[] {2, 2});
    ext.msg(13, new TestFiles.Proto().str(1, "location").str(2, "weights.bin"));
    ext.msg(13, new TestFiles.Proto().str(1, "offset").str(2, "8"));
    ext.msg(13, new TestFiles.Proto().str(1, "length").str(2, "16"));
    ext.int64(14, 1);
    TestFiles.Proto typedHalf = TestFiles.onnxTensor("half", 10, new long[] {2});
    typedHalf.bytes(5, new TestFiles.Proto().varint(0x3c00).varint(0xc000).toBytes());
    TestFiles.Proto sub = new TestFiles.Proto()
        .msg(5, TestFiles.onnxTensor("inner", 11, new long[] {1}).bytes(10, f64(2.5)));
    TestFiles.Proto ifNode = new TestFiles.Proto().str(4, "If")
        .msg(5, new TestFiles.Proto().str(1, "then_branch").msg(6, sub));
    TestFiles.Proto graph = new TestFiles.Proto()
        .msg(1, ifNode)
        .msg(5, TestFiles.onnxTensor("raw", 1, S23).bytes(9, f32(V6)))
        .msg(5, TestFiles.onnxTensor("typed", 1, new long[] {2}).bytes(4, f32(-1, 1)))
        .msg(5, typedHalf)
        .msg(5, ext)
        .msg(5, TestFiles.onnxTensor("shape", 7, new long[] {2}).bytes(7, new TestFiles.Proto().varint(1)
            .varint(2).toBytes()));
    Path f = TestFiles.onnx(dir.resolve("m.onnx"), graph);
    try (TensorSource s = Checkpoints.open(f)) {
      assertEquals("onnx", s.format());
      assertEquals(List.of(), s.problems());
      assertEquals(6, s.tensors().size());
      assertArrayEquals(V6, s.readFloat("raw"));
      assertArrayEquals(new float[] {-1, 1}, s.readFloat("typed"));
      assertArrayEquals(new float[] {1, -2}, s.readFloat("half"));
      assertArrayEquals(new float[] {9, 8, 7, 6}, s.readFloat("ext"));
      assertArrayEquals(new double[] {2.5}, s.readDouble("inner"));
      assertEquals(DType.I64, s.info("shape").dtype());
    }
  }

  @Test
  void legacyTorchIsRefusedClearly() throws Exception {
    Path f = dir.resolve("old.pt");
    Files.write(f, new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9,
        0x20, 0x6a, (byte) 0xa8, 0x50, 0x19, '.'});
    CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> Checkpoints.open(f));
    assertTrue(e.getMessage().contains("legacy"), e.getMessage());
    assertTrue(e.getMessage().contains("old.pt"));
  }

  @Test
  void unknownFormatIsRefused() throws Exception {
    Path f = Files.write(dir.resolve("x.bin"), "hello world, not a checkpoint".getBytes(StandardCharsets.UTF_8));
    assertThrows(CheckpointFormatException.class, () -> Checkpoints.open(f));
  }
}
