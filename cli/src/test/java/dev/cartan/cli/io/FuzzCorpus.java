package dev.cartan.cli.io;

import static dev.cartan.cli.io.TestFiles.f32;
import static dev.cartan.cli.io.TestFiles.f64;
import static dev.cartan.cli.io.TestFiles.u16;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Seed inputs for the fuzzers ({@link FuzzTest}, {@link CheckpointFuzzTest}) and a writer of the Jazzer corpus.
 *
 * <p>{@code main(outDir)} writes, for each {@link CheckpointFuzzTest} method, the generated seeds of its format
 * and truncated variants of each (header-only prefixes, half, all but the last byte) into
 * {@code outDir/<method>/}; this produced the committed
 * {@code src/test/resources/dev/cartan/cli/io/CheckpointFuzzTestInputs}. {@code main(outDir, "--fixtures")}
 * adds the shared fixture files (whole if under 1 MiB, otherwise their first 1 MiB), which are too big to commit:
 * point it at Jazzer's generated-corpus folder ({@code cli/.cifuzz-corpus/dev.cartan.cli.io.CheckpointFuzzTest})
 * before a long fuzzing run. Files are named {@code seed<i>[-cut<n>]} and {@code fixture-<name>}.
 */
final class FuzzCorpus {
  private FuzzCorpus() {}

  /** One seed: the file extension that selects the reader and the file bytes. */
  record Seed(String ext, byte[] bytes) {}

  /** The {@link CheckpointFuzzTest} method fuzzing the reader for a file extension. */
  static String method(String ext) {
    return switch (ext) {
      case ".safetensors" -> "safetensors";
      case ".npy" -> "npy";
      case ".npz" -> "npz";
      case ".pt" -> "torch";
      case ".gguf" -> "gguf";
      case ".onnx" -> "onnx";
      default -> throw new IllegalArgumentException("no fuzzer for " + ext);
    };
  }

  /**
   * Small valid files of every format (written by {@link TestFiles} into {@code dir}) and, when
   * {@code fixtures} is set and the shared fixtures are present, the first 64 KiB of some real files.
   */
  static List<Seed> seeds(Path dir, boolean fixtures) throws IOException {
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
    if (fixtures && w != null) {
      // Heads of the real files: headers intact, data truncated (itself a mutation the readers must survive).
      for (String f : List.of("ppocrv4-rec/ppocrv4_rec.safetensors", "ppocrv4-rec/ppocrv4_rec.mixed.gguf",
          "ppocrv4-rec/npy/conv2d_10.w_0.npy")) {
        Path p2 = w.resolve(f);
        if (Files.exists(p2)) {
          byte[] all = Files.readAllBytes(p2);
          String ext = f.substring(f.lastIndexOf('.'));
          s.add(new Seed(ext, Arrays.copyOf(all, Math.min(all.length, 64 << 10))));
        }
      }
    }
    return s;
  }

  /** Writes the corpus; arguments: the output folder, optionally {@code --fixtures}. */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    boolean fixtures = args.length > 1 && args[1].equals("--fixtures");
    Path tmp = Files.createTempDirectory("cartan-corpus");
    int i = 0;
    for (Seed s : seeds(tmp, false)) {
      Path d = Files.createDirectories(out.resolve(method(s.ext())));
      byte[] b = s.bytes();
      Files.write(d.resolve("seed" + i), b);
      for (int cut : new int[] {16, 64, b.length / 2, b.length - 1}) {
        if (cut > 0 && cut < b.length) {
          Files.write(d.resolve("seed" + i + "-cut" + cut), Arrays.copyOf(b, cut));
        }
      }
      i++;
    }
    Path w = FixturesTest.weights();
    if (fixtures && w != null) {
      List<Path> files;
      try (Stream<Path> st = Files.walk(w)) {
        files = st.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(safetensors|npy|gguf|pt)"))
            .sorted().toList();
      }
      for (Path p : files) {
        String name = p.getFileName().toString();
        Path d = Files.createDirectories(out.resolve(method(name.substring(name.lastIndexOf('.')))));
        byte[] all = Files.readAllBytes(p);
        Files.write(d.resolve("fixture-" + name), Arrays.copyOf(all, Math.min(all.length, 1 << 20)));
      }
    }
    try (Stream<Path> st = Files.walk(tmp)) {
      for (Path p : st.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }
}
