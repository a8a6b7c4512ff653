package dev.cartan.cli.io;

import static dev.cartan.cli.io.TestFiles.f32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * Malformed and malicious files: each gives a {@link CheckpointFormatException} naming the file (and the tensor
 * when the problem is confined to one), before any large allocation, and the good tensors stay readable.
 */
class HostileInputTest {
  @TempDir Path dir;

  private static final float[] GOOD = {1, 2, 3};

  /** Asserts that {@code tensor} was refused with a message containing {@code fragment} and "good" still reads. */
  private static void refused(TensorSource s, String tensor, String fragment) throws Exception {
    CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> s.readFloat(tensor));
    assertEquals(tensor, e.tensor(), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    assertTrue(e.getMessage().contains(s.path().getFileName().toString()), e.getMessage());
    assertTrue(s.problems().stream().anyMatch(p -> tensor.equals(p.tensor())), s.problems().toString());
    assertArrayEquals(GOOD, s.readFloat("good"));
  }

  private static CheckpointFormatException fileRefused(Path f, String fragment) {
    CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> Checkpoints.open(f).close());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    assertTrue(e.getMessage().contains(f.getFileName().toString()), e.getMessage());
    return e;
  }

  private Path st(String entries, byte[] data) throws Exception {
    String header = "{\"good\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}" + entries + "}";
    byte[] all = new byte[12 + data.length];
    System.arraycopy(f32(GOOD), 0, all, 0, 12);
    System.arraycopy(data, 0, all, 12, data.length);
    return TestFiles.safetensorsRaw(dir.resolve("h" + Math.abs(entries.hashCode()) + ".safetensors"),
        header.getBytes(StandardCharsets.UTF_8), all);
  }

  private static String tensor(String name, String dtype, String shape, long begin, long end) {
    return ",\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
        + end + "]}";
  }

  @Test
  void safetensorsPerTensorProblems() throws Exception {
    try (TensorSource s = Checkpoints.open(st(tensor("huge", "F32", "[1048576,1048576]", 12, 4398046511116L),
        new byte[24]))) {
      refused(s, "huge", "outside"); // 2^40 elements: refused from the header, nothing allocated
    }
    try (TensorSource s = Checkpoints.open(st(tensor("ovf", "F32", "[4294967296,4294967296,16]", 12, 24),
        new byte[12]))) {
      refused(s, "ovf", "overflows");
    }
    try (TensorSource s = Checkpoints.open(st(tensor("x", "F99", "[3]", 12, 24), new byte[12]))) {
      refused(s, "x", "unknown dtype");
    }
    try (TensorSource s = Checkpoints.open(st(tensor("short", "F32", "[4]", 12, 24), new byte[12]))) {
      refused(s, "short", "need 16");
    }
    try (TensorSource s = Checkpoints.open(st(tensor("trunc", "F32", "[30]", 12, 132), new byte[12]))) {
      refused(s, "trunc", "outside");
    }
    try (TensorSource s = Checkpoints.open(st(tensor("neg", "F32", "[-3]", 12, 24), new byte[12]))) {
      refused(s, "neg", "non-negative");
    }
    try (TensorSource s = Checkpoints.open(st(tensor("r", "F32", "[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]", 12, 16),
        new byte[4]))) {
      refused(s, "r", "at most 16");
    }
    try (TensorSource s = Checkpoints.open(st(tensor("a", "F32", "[3]", 12, 24) + tensor("b", "F32", "[3]", 16, 28),
        new byte[16]))) {
      refused(s, "a", "overlaps");
      refused(s, "b", "overlaps");
    }
    try (TensorSource s = Checkpoints.open(st(tensor("d", "F32", "[3]", 12, 24) + tensor("d", "F32", "[3]", 24, 36),
        new byte[24]))) {
      refused(s, "d", "duplicate");
    }
  }

  @Test
  void safetensorsFileProblems() throws Exception {
    Path big = dir.resolve("len.safetensors");
    Files.write(big, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).put("{}".getBytes())
        .array());
    fileRefused(big, "header length");
    Path neg = dir.resolve("neg.safetensors");
    Files.write(neg, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).put("{}".getBytes()).array());
    assertThrows(CheckpointFormatException.class, () -> SafetensorsReader.open(neg));
    byte[] badUtf8 = "{\"x\u00ff\":{}}".getBytes(StandardCharsets.ISO_8859_1);
    Path u = TestFiles.safetensorsRaw(dir.resolve("utf.safetensors"), badUtf8, new byte[0]);
    fileRefused(u, "UTF-8");
    Path nj = TestFiles.safetensorsRaw(dir.resolve("nj.safetensors"), "{\"a\":{".getBytes(), new byte[0]);
    fileRefused(nj, "JSON");
    Path tiny = Files.write(dir.resolve("tiny.safetensors"), new byte[] {1, 2, 3});
    assertThrows(CheckpointFormatException.class, () -> SafetensorsReader.open(tiny));
  }

  @Test
  void npyProblems() throws Exception {
    byte[] good = TestFiles.npy(1, "<f4", false, new long[] {3}, f32(GOOD));
    Path magic = dir.resolve("m.npy");
    byte[] bad = good.clone();
    bad[1] = 'X';
    Files.write(magic, bad);
    assertTrue(assertThrows(CheckpointFormatException.class, () -> NpyReader.openNpy(magic)).getMessage()
        .contains("magic"));
    byte[] v9 = good.clone();
    v9[6] = 9;
    fileRefused(Files.write(dir.resolve("v9.npy"), v9), "version 9");
    fileRefused(Files.write(dir.resolve("obj.npy"), TestFiles.npy(1, "|O", false, new long[] {3}, new byte[24])),
        "unsupported dtype");
    fileRefused(Files.write(dir.resolve("trunc.npy"), TestFiles.npy(1, "<f4", false, new long[] {30}, f32(GOOD))),
        "truncated");
    fileRefused(Files.write(dir.resolve("huge.npy"), TestFiles.npy(2, "<f8", false,
        new long[] {1L << 20, 1L << 20}, new byte[8])), "truncated");
    // Regression: 19-digit dims above Long.MAX_VALUE once escaped as NumberFormatException.
    byte[] d19 = TestFiles.npy(1, "<f4", false, new long[] {1111111111111111111L}, new byte[4]);
    String h19 = new String(d19, StandardCharsets.ISO_8859_1).replace("1111111111111111111", "9999999999999999999");
    fileRefused(Files.write(dir.resolve("d19.npy"), h19.getBytes(StandardCharsets.ISO_8859_1)), "exceeds 64 bits");
    fileRefused(Files.write(dir.resolve("ovf.npy"), TestFiles.npy(1, "<f8", false,
        new long[] {1L << 40, 1L << 40}, new byte[8])), "overflows");
    byte[] longHeader = good.clone();
    longHeader[8] = (byte) 0xff;
    longHeader[9] = (byte) 0xff;
    fileRefused(Files.write(dir.resolve("lh.npy"), longHeader), "header length");
    Map<String, byte[]> z = new LinkedHashMap<>();
    z.put("good.npy", good);
    z.put("bad.npy", TestFiles.npy(1, "<f4", false, new long[] {30}, f32(GOOD)));
    for (boolean deflate : new boolean[] {false, true}) {
      try (TensorSource s = Checkpoints.open(TestFiles.zip(dir.resolve("z" + deflate + ".npz"), z, deflate))) {
        refused(s, "bad", "bytes");
      }
    }
  }

  private Path torch(TestFiles.Pickler p, Map<String, byte[]> storages) throws Exception {
    Map<String, byte[]> e = new LinkedHashMap<>();
    e.put("a/data.pkl", p.bytes());
    for (Map.Entry<String, byte[]> s : storages.entrySet()) {
      e.put("a/data/" + s.getKey(), s.getValue());
    }
    return TestFiles.zip(dir.resolve("t" + e.hashCode() + ".pt"), e, false);
  }

  private static TestFiles.Pickler start() {
    TestFiles.Pickler p = new TestFiles.Pickler().op(0x80, 2).op('}').op('(');
    p.tensor("good", "FloatStorage", "0", 3, 0, new long[] {3}, new long[] {1});
    return p;
  }

  @Test
  void pytorchProblems() throws Exception {
    Map<String, byte[]> st = Map.of("0", f32(GOOD), "1", new byte[8]);
    TestFiles.Pickler p = start();
    p.tensor("beyond", "FloatStorage", "1", 2, 1, new long[] {2}, new long[] {1});
    p.tensor("nostorage", "FloatStorage", "7", 2, 0, new long[] {2}, new long[] {1});
    p.tensor("stride", "FloatStorage", "1", 2, 0, new long[] {2, 2}, new long[] {1L << 40, 1});
    p.tensor("huge", "FloatStorage", "1", 2, 0, new long[] {1L << 40}, new long[] {1});
    try (TensorSource s = Checkpoints.open(torch(p.op('u').op('.'), st))) {
      refused(s, "beyond", "exceeds the storage");
      refused(s, "nostorage", "no entry");
      refused(s, "stride", "beyond the storage");
      refused(s, "huge", "beyond the storage");
    }
    // Globals outside the allow-list are refused by name; nothing is called.
    TestFiles.Pickler evil = new TestFiles.Pickler().op(0x80, 2).global("os", "system").str("echo pwned")
        .op(0x85).op('R').op('.');
    fileRefused(torch(evil, Map.of()), "'os.system' is not on the allow-list");
    TestFiles.Pickler builtins = new TestFiles.Pickler().op(0x80, 4).str("builtins").str("eval").op(0x93).op('.');
    fileRefused(torch(builtins, Map.of()), "builtins.eval");
    // NEWOBJ and other object-building opcodes are refused.
    fileRefused(torch(new TestFiles.Pickler().op(0x80, 2).op(')').op(')').op(0x81).op('.'), Map.of()),
        "opcode 0x81");
    // Deep nesting: 100000 nested lists neither overflow the stack nor hang.
    TestFiles.Pickler deep = new TestFiles.Pickler().op(0x80, 2);
    for (int i = 0; i < 100_000; i++) {
      deep.op(']');
    }
    for (int i = 0; i < 99_999; i++) {
      deep.op('a');
    }
    try (TensorSource s = Checkpoints.open(torch(deep.op('.'), Map.of()))) {
      assertTrue(s.problems().get(0).getMessage().contains("nested deeper"));
    }
    // Memo reference never stored, truncated opcode, missing STOP.
    fileRefused(torch(new TestFiles.Pickler().op(0x80, 2).op('h', 5).op('.'), Map.of()), "memo");
    fileRefused(torch(new TestFiles.Pickler().op(0x80, 2).op('X', 0xff, 0xff, 0xff, 0x7f), Map.of()), "exceeds");
    fileRefused(torch(new TestFiles.Pickler().op(0x80, 2).op('}'), Map.of()), "STOP");
  }

  private static TestFiles.G g(String name, int type, long[] ne, byte[] data) {
    return new TestFiles.G(name, type, ne, data);
  }

  @Test
  void ggufProblems() throws Exception {
    Path ok = TestFiles.gguf(dir.resolve("ok.gguf"), 3, 32, List.of(
        g("good", 0, new long[] {3}, f32(GOOD)), g("q", 8, new long[] {31}, new byte[34]),
        g("t", 99, new long[] {3}, new byte[12])));
    try (TensorSource s = Checkpoints.open(ok)) {
      refused(s, "q", "multiple of the Q8_0 block");
      refused(s, "t", "ggml type 99");
    }
    byte[] b = Files.readAllBytes(ok);
    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    byte[] v1 = b.clone();
    ByteBuffer.wrap(v1).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 1);
    fileRefused(Files.write(dir.resolve("v1.gguf"), v1), "version 1");
    byte[] count = b.clone();
    ByteBuffer.wrap(count).order(ByteOrder.LITTLE_ENDIAN).putLong(8, 1L << 40);
    fileRefused(Files.write(dir.resolve("count.gguf"), count), "impossible");
    byte[] key = b.clone();
    ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).putLong(24, 1L << 62); // first key's length
    fileRefused(Files.write(dir.resolve("key.gguf"), key), "runs past the end");
    byte[] trunc = java.util.Arrays.copyOf(b, b.length - 30);
    try (TensorSource s = Checkpoints.open(Files.write(dir.resolve("trunc.gguf"), trunc))) {
      assertTrue(s.problems().size() >= 1);
    }
    assertEquals(0x46554747, bb.getInt(0));
    Path overlap = TestFiles.gguf(dir.resolve("ov.gguf"), 3, 32, List.of(
        g("good", 0, new long[] {3}, f32(GOOD)), g("x", 0, new long[] {100}, new byte[400]),
        g("y", 0, new long[] {3}, f32(GOOD))));
    byte[] ov = Files.readAllBytes(overlap);
    // Rewrite y's offset (the last u64 of the tensor infos) to point inside x.
    int yOff = indexOf(ov, "y".getBytes()) + 1 + 4 + 8 + 4;
    ByteBuffer.wrap(ov).order(ByteOrder.LITTLE_ENDIAN).putLong(yOff, 64);
    try (TensorSource s = Checkpoints.open(Files.write(overlap, ov))) {
      refused(s, "y", "overlap");
    }
    ByteBuffer.wrap(ov).order(ByteOrder.LITTLE_ENDIAN).putLong(yOff, 65);
    try (TensorSource s = Checkpoints.open(Files.write(overlap, ov))) {
      refused(s, "y", "alignment");
    }
    ByteBuffer.wrap(ov).order(ByteOrder.LITTLE_ENDIAN).putLong(yOff, 1L << 50);
    try (TensorSource s = Checkpoints.open(Files.write(overlap, ov))) {
      refused(s, "y", "beyond");
    }
    try (TensorSource s = Checkpoints.open(TestFiles.gguf(dir.resolve("dup.gguf"), 3, 32, List.of(
        g("good", 0, new long[] {3}, f32(GOOD)), g("d", 0, new long[] {1}, f32(1)), g("d", 0, new long[] {1},
            f32(2)))))) {
      refused(s, "d", "duplicate");
    }
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    // Tensor names are preceded by their u64 length; find "\1\0\0\0\0\0\0\0y".
    outer:
    for (int i = 8; i + needle.length <= hay.length; i++) {
      if (hay[i - 8] != needle.length) {
        continue;
      }
      for (int k = 1; k < 8; k++) {
        if (hay[i - 8 + k] != 0) {
          continue outer;
        }
      }
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  @Test
  void onnxProblems() throws Exception {
    TestFiles.Proto graph = new TestFiles.Proto()
        .msg(5, TestFiles.onnxTensor("good", 1, new long[] {3}).bytes(9, f32(GOOD)))
        .msg(5, TestFiles.onnxTensor("size", 1, new long[] {4}).bytes(9, f32(GOOD)))
        .msg(5, TestFiles.onnxTensor("str", 8, new long[] {1}))
        .msg(5, TestFiles.onnxTensor("trav", 1, new long[] {1}).msg(13, new TestFiles.Proto().str(1, "location")
            .str(2, "../../etc/passwd")).int64(14, 1))
        .msg(5, TestFiles.onnxTensor("abs", 1, new long[] {1}).msg(13, new TestFiles.Proto().str(1, "location")
            .str(2, "/etc/passwd")).int64(14, 1))
        .msg(5, TestFiles.onnxTensor("huge", 1, new long[] {1L << 40, 1L << 40}).bytes(9, f32(GOOD)))
        .msg(5, TestFiles.onnxTensor("big", 1, new long[] {1L << 20, 1L << 20}).bytes(9, f32(GOOD)))
        .msg(5, TestFiles.onnxTensor("nodata", 1, new long[] {2}))
        .msg(5, TestFiles.onnxTensor("nul", 1, new long[] {1}).msg(13, new TestFiles.Proto().str(1, "location")
            .str(2, "a\0b")).int64(14, 1));
    try (TensorSource s = Checkpoints.open(TestFiles.onnx(dir.resolve("m.onnx"), graph))) {
      refused(s, "size", "raw_data holds 12");
      refused(s, "str", "string");
      refused(s, "trav", "inside the model's folder");
      refused(s, "abs", "inside the model's folder");
      refused(s, "huge", "overflows");
      refused(s, "big", "the shape needs 4398046511104");
      refused(s, "nodata", "no raw_data");
      refused(s, "nul", "not a path"); // regression: InvalidPathException once escaped
    }
    fileRefused(Files.write(dir.resolve("v.onnx"), new byte[] {0x3a, (byte) 0xff, (byte) 0xff, (byte) 0xff,
        (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1}), "varint");
    fileRefused(Files.write(dir.resolve("l.onnx"), new byte[] {0x3a, 0x7f, 1, 2}), "exceeds");
    TestFiles.Proto nest = new TestFiles.Proto();
    for (int i = 0; i < 40; i++) {
      nest = new TestFiles.Proto().msg(1, new TestFiles.Proto().msg(5, new TestFiles.Proto().msg(6, nest)));
    }
    fileRefused(TestFiles.onnx(dir.resolve("deep.onnx"), nest), "nested deeper");
    fileRefused(Files.write(dir.resolve("e.onnx"), new byte[0]), "no graph");
  }
}
