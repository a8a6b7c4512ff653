package dev.cartan.cli.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
/**
 * Read-throughput harness (not a test): writes 8192 x 8192 F32, BF16, F16 safetensors and a Q8_0 GGUF into the
 * folder given as argument (about 610 MB, reused on later runs) and times {@code readFloat} from the page cache,
 * best of 5. Command in docs/benchmarks.md.
 */
public final class ReadThroughput {
  private ReadThroughput() {}

  private static void writeSt(Path f, String name, String dtype, long rows, long cols, int es) throws IOException {
    String h = "{\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":[" + rows + "," + cols + "],\"data_offsets\":[0," + rows*cols*es + "]}}";
    byte[] hb = h.getBytes();
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(hb.length).flip());
      ch.write(ByteBuffer.wrap(hb));
      Random r = new Random(1); byte[] buf = new byte[1 << 20];
      for (long done = 0; done < rows*cols*es; done += buf.length) {
        r.nextBytes(buf);
        if (es == 2) for (int i = 1; i < buf.length; i += 2) buf[i] &= 0x3f; // finite, moderate exponents
        if (es == 4) for (int i = 3; i < buf.length; i += 4) buf[i] &= 0x3f;
        ch.write(ByteBuffer.wrap(buf, 0, (int) Math.min(buf.length, rows*cols*es - done)));
      }
    }
  }
  private static void writeQ8(Path f, long rows, long cols) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x46554747).putInt(3).putLong(1).putLong(0);
    byte[] n = "q".getBytes(); b.putLong(n.length).put(n).putInt(2).putLong(cols).putLong(rows).putInt(8).putLong(0);
    int start = (b.position() + 31) / 32 * 32;
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap(b.array(), 0, start));
      long bytes = rows * cols / 32 * 34; byte[] buf = new byte[34 * 30840]; Random r = new Random(2);
      r.nextBytes(buf); for (int i = 0; i < buf.length; i += 34) { buf[i] = 0; buf[i+1] = 0x20; }
      for (long done = 0; done < bytes; done += buf.length) ch.write(ByteBuffer.wrap(buf, 0, (int) Math.min(buf.length, bytes - done)));
    }
  }
  /**
   * Runs the measurement.
   *
   * @param a optional folder for the generated files
   */
  public static void main(String[] a) throws Exception {
    Path d = Path.of(a.length > 0 ? a[0] : "target/read-throughput"); Files.createDirectories(d);
    int R = 8192, C = 8192;
    Object[][] cases = {{"f32.safetensors", "F32", 4}, {"bf16.safetensors", "BF16", 2}, {"f16.safetensors", "F16", 2}};
    for (Object[] c : cases) if (!Files.exists(d.resolve((String) c[0]))) writeSt(d.resolve((String) c[0]), "t", (String) c[1], R, C, (Integer) c[2]);
    if (!Files.exists(d.resolve("q8.gguf"))) writeQ8(d.resolve("q8.gguf"), R, C);
    for (String f : new String[] {"f32.safetensors", "bf16.safetensors", "f16.safetensors", "q8.gguf"}) {
      try (TensorSource s = Checkpoints.open(d.resolve(f))) {
        String name = s.tensors().get(0).name(); long in = s.tensors().get(0).byteSize();
        s.readFloat(name); // warm page cache and JIT
        double best = 1e9;
        for (int k = 0; k < 5; k++) { long t0 = System.nanoTime(); float[] x = s.readFloat(name); double t = (System.nanoTime() - t0) / 1e9; best = Math.min(best, t); if (x.length != R*C) throw new AssertionError(); }
        System.out.printf("%-18s in %6.1f MB  out %6.1f MB  best %.3f s  -> %.2f GB/s of float32 output, %.2f GB/s of file%n", f, in/1e6, R*(double)C*4/1e6, best, R*(double)C*4/best/1e9, in/best/1e9);
      }
    }
  }
}
