package dev.cartan.cli.io;

import static dev.cartan.cli.io.TestFiles.f32;
import static dev.cartan.cli.io.TestFiles.f64;
import static dev.cartan.cli.io.TestFiles.u16;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of every parser (Jazzer is not available in this build's repository, so this is a
 * plain JUnit loop). Seeds are the generated files of every format plus the heads of the shared fixtures; each
 * iteration applies 1-4 mutations (bit flips, interesting byte values, 32/64-bit length-field overwrites with
 * boundary values, truncation, insertion, deletion, chunk duplication), then opens the file, lists it and reads
 * every tensor and matrix view. The only accepted outcomes are success or a {@link CheckpointFormatException};
 * any other exception, an error (OutOfMemoryError, StackOverflowError) or a hang (the whole run is under a
 * preemptive timeout) fails and the input is saved under target/fuzz-crashes; each crash found so far is a
 * named regression case in {@link HostileInputTest}.
 *
 * <p>CI runs {@code cartan.fuzz.iterations} (default 2000) iterations; a longer run:
 * {@code mvn -pl cli -am test -Dtest=FuzzTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcartan.fuzz.iterations=200000 -Dcartan.fuzz.seed=N}.
 */
class FuzzTest {
  @TempDir Path dir;

  private static final long[] INTERESTING = {0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0xffff, 0x7fffffffL, 0x80000000L,
      0xffffffffL, 1L << 32, 1L << 40, 1L << 62, Long.MAX_VALUE, Long.MIN_VALUE};

  private record Seed(String ext, byte[] bytes) {}

  private List<Seed> seeds() throws IOException {
    List<Seed> s = new ArrayList<>();
    List<TestFiles.T> ts = List.of(
        new TestFiles.T("w", "F32", new long[] {2, 3}, f32(1, 2, 3, 4, 5, 6)),
        new TestFiles.T("d", "F64", new long[] {2}, f64(0.5, -1)),
        new TestFiles.T("h", "F16", new long[] {2, 1, 1, 1}, u16(0x3c00, 0x4000)),
        new TestFiles.T("b", "BF16", new long[] {1}, u16(0x3f80)));
    s.add(new Seed(".safetensors", Files.readAllBytes(TestFiles.safetensors(dir.resolve("s.safetensors"), ts))));
    byte[] npy = TestFiles.npy(1, "<f4", true, new long[] {2, 3}, f32(1, 2, 3, 4, 5, 6));
    s.add(new Seed(".npy", npy));
    s.add(new Seed(".npy", TestFiles.npy(3, ">f8", false, new long[] {2}, new byte[16])));
    for (boolean deflate : new boolean[] {false, true}) {
      Map<String, byte[]> z = new LinkedHashMap<>();
      z.put("a.npy", npy);
      z.put("b.npy", TestFiles.npy(2, "<f2", false, new long[] {3}, u16(1, 2, 3)));
      s.add(new Seed(".npz", Files.readAllBytes(TestFiles.zip(dir.resolve("z.npz"), z, deflate))));
    }
    TestFiles.Pickler p = new TestFiles.Pickler().op(0x80, 2).op('}').op('(');
    p.tensor("w", "FloatStorage", "0", 6, 0, new long[] {2, 3}, new long[] {3, 1});
    p.tensor("t", "FloatStorage", "0", 6, 0, new long[] {3, 2}, new long[] {1, 3});
    p.tensor("d", "DoubleStorage", "1", 2, 0, new long[] {2}, new long[] {1});
    Map<String, byte[]> pt = new LinkedHashMap<>();
    pt.put("m/data.pkl", p.op('u').op('.').bytes());
    pt.put("m/data/0", f32(1, 2, 3, 4, 5, 6));
    pt.put("m/data/1", f64(1, 2));
    s.add(new Seed(".pt", Files.readAllBytes(TestFiles.zip(dir.resolve("p.pt"), pt, false))));
    byte[] q8 = new byte[34];
    q8[0] = 0;
    q8[1] = 0x3c;
    s.add(new Seed(".gguf", Files.readAllBytes(TestFiles.gguf(dir.resolve("g.gguf"), 3, 32, List.of(
        new TestFiles.G("w", 0, new long[] {3, 2}, f32(1, 2, 3, 4, 5, 6)),
        new TestFiles.G("q", 8, new long[] {32}, q8),
        new TestFiles.G("h", 1, new long[] {2}, u16(1, 2)))))));
    TestFiles.Proto sub = new TestFiles.Proto()
        .msg(5, TestFiles.onnxTensor("inner", 11, new long[] {1}).bytes(10, f64(2.5)));
    TestFiles.Proto graph = new TestFiles.Proto()
        .msg(1, new TestFiles.Proto().msg(5, new TestFiles.Proto().msg(6, sub)))
        .msg(5, TestFiles.onnxTensor("raw", 1, new long[] {2, 3}).bytes(9, f32(1, 2, 3, 4, 5, 6)))
        .msg(5, TestFiles.onnxTensor("half", 10, new long[] {2}).bytes(5,
            new TestFiles.Proto().varint(0x3c00).varint(1).toBytes()));
    s.add(new Seed(".onnx", Files.readAllBytes(TestFiles.onnx(dir.resolve("o.onnx"), graph))));
    // External data: the sibling file stays in the fuzz folder, the mutations hit location/offset/length.
    Files.write(dir.resolve("w.bin"), f32(0, 1, 2, 3));
    TestFiles.Proto extTensor = TestFiles.onnxTensor("ext", 1, new long[] {2})
        .msg(13, new TestFiles.Proto().str(1, "location").str(2, "w.bin"))
        .msg(13, new TestFiles.Proto().str(1, "offset").str(2, "8"))
        .msg(13, new TestFiles.Proto().str(1, "length").str(2, "8")).int64(14, 1);
    s.add(new Seed(".onnx", Files.readAllBytes(TestFiles.onnx(dir.resolve("e.onnx"),
        new TestFiles.Proto().msg(5, extTensor)))));
    s.add(new Seed(".npy", TestFiles.npy(1, "<f4", false, new long[] {1111111111111111111L, 0}, new byte[0])));
    Path w = FixturesTest.weights();
    if (w != null) {
      // Heads of the real files: headers intact, data truncated (itself a mutation the readers must survive).
      for (String f : List.of("ppocrv4-rec/ppocrv4_rec.safetensors", "ppocrv4-rec/ppocrv4_rec.mixed.gguf",
          "ppocrv4-rec/npy/conv2d_10.w_0.npy")) {
        Path p2 = w.resolve(f);
        if (Files.exists(p2)) {
          byte[] all = Files.readAllBytes(p2);
          String ext = f.substring(f.lastIndexOf('.'));
          s.add(new Seed(ext, java.util.Arrays.copyOf(all, Math.min(all.length, 64 << 10))));
        }
      }
    }
    return s;
  }

  private static byte[] mutate(byte[] in, Random r) {
    byte[] b = in.clone();
    int n = 1 + r.nextInt(4);
    for (int k = 0; k < n && b.length > 0; k++) {
      int at = r.nextInt(b.length);
      switch (r.nextInt(8)) {
        case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
        case 1 -> b[at] = (byte) INTERESTING[r.nextInt(INTERESTING.length)];
        case 2 -> { // 64-bit length field
          if (at + 8 <= b.length) {
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, lengthish(r, b.length));
          }
        }
        case 3 -> { // 32-bit length field
          if (at + 4 <= b.length) {
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, (int) lengthish(r, b.length));
          }
        }
        case 4 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length)); // truncate
        case 5 -> { // insert random bytes
          byte[] ins = new byte[1 + r.nextInt(16)];
          r.nextBytes(ins);
          byte[] c = new byte[b.length + ins.length];
          System.arraycopy(b, 0, c, 0, at);
          System.arraycopy(ins, 0, c, at, ins.length);
          System.arraycopy(b, at, c, at + ins.length, b.length - at);
          b = c;
        }
        case 6 -> { // delete a range
          int len = Math.min(b.length - at, 1 + r.nextInt(16));
          byte[] c = new byte[b.length - len];
          System.arraycopy(b, 0, c, 0, at);
          System.arraycopy(b, at + len, c, at, b.length - at - len);
          b = c;
        }
        default -> { // copy a chunk over another place (duplicated names, offsets)
          int len = Math.min(32, b.length - at);
          int to = r.nextInt(b.length);
          System.arraycopy(b, at, b, to, Math.min(len, b.length - to));
        }
      }
    }
    return b;
  }

  private static long lengthish(Random r, int size) {
    return switch (r.nextInt(3)) {
      case 0 -> INTERESTING[r.nextInt(INTERESTING.length)];
      case 1 -> size + r.nextInt(5) - 2;
      default -> r.nextInt(Math.max(1, 2 * size));
    };
  }

  /** Opens, lists and reads everything; returns normally or throws CheckpointFormatException. */
  static void exercise(Path f) throws IOException {
    try (TensorSource s = Checkpoints.open(f)) {
      s.problems();
      for (TensorInfo t : s.tensors()) {
        try {
          if (t.dtype().readable()) {
            s.readFloat(t.name());
            s.readDouble(t.name());
            if (t.matrixShape() != null) {
              s.readFMatrix(t.name());
            }
          }
        } catch (CheckpointFormatException e) {
          // one bad tensor: keep going with the others
        }
      }
    }
  }

  @Test
  void mutatedInputsGiveOnlyCheckpointFormatExceptions() throws Exception {
    int iterations = Integer.getInteger("cartan.fuzz.iterations", 2000);
    long seed = Long.getLong("cartan.fuzz.seed", 20261128L);
    List<Seed> seeds = seeds();
    for (Seed s : seeds) {
      Path f = Files.write(dir.resolve("seed" + s.ext), s.bytes);
      exercise(f); // every seed itself is valid or a truncated fixture that fails cleanly
    }
    Random r = new Random(seed);
    int[] refused = {0};
    assertTimeoutPreemptively(Duration.ofSeconds(Math.max(120, iterations / 10)), () -> {
      for (int i = 0; i < iterations; i++) {
        Seed s = seeds.get(r.nextInt(seeds.size()));
        byte[] m = mutate(s.bytes, r);
        // A fresh name per input: rewriting a file that stale mappings still reference is slow.
        Path f = Files.write(dir.resolve("in" + i + s.ext), m);
        try {
          exercise(f);
        } catch (CheckpointFormatException e) {
          refused[0]++;
        } catch (Throwable t) {
          Path crash = Path.of("target", "fuzz-crashes");
          Files.createDirectories(crash);
          Path saved = Files.write(crash.resolve("seed" + seed + "-iter" + i + s.ext), m);
          fail("iteration " + i + " (seed " + seed + "): " + t + "; input saved to " + saved.toAbsolutePath(), t);
        } finally {
          Files.deleteIfExists(f);
        }
      }
    });
    assertTrue(refused[0] > 0);
  }
}
