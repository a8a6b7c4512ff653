package dev.cartan.cli.io;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Peak-heap harness (not a test): writes a 2.15 GB safetensors file of eight 8192 x 8192 F32 tensors (zeros,
 * 268 MB each) into the folder given as argument, reads every tensor with {@code readFloat} and prints the sum of
 * the heap pools' peak usage. Run with a small {@code -Xmx} (e.g. 600m) to show that no whole-file copy is made.
 */
public final class PeakHeap {
  private PeakHeap() {}

  /**
   * Runs the measurement.
   *
   * @param args optional folder for the generated file
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/read-throughput");
    Files.createDirectories(dir);
    Path f = dir.resolve("2g.safetensors");
    int k = 8;
    long n = 64L << 20;
    if (!Files.exists(f)) {
      StringBuilder h = new StringBuilder("{");
      for (int i = 0; i < k; i++) {
        h.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[8192,")
            .append(n / 8192).append("],\"data_offsets\":[").append(i * n * 4).append(',').append((i + 1) * n * 4)
            .append("]}");
      }
      byte[] hb = h.append('}').toString().getBytes(StandardCharsets.UTF_8);
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(hb.length).flip());
        ch.write(ByteBuffer.wrap(hb));
        ByteBuffer zeros = ByteBuffer.allocate(1 << 24);
        for (long done = 0; done < k * n * 4; done += zeros.capacity()) {
          zeros.clear();
          ch.write(zeros);
        }
      }
    }
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      p.resetPeakUsage();
    }
    long t0 = System.nanoTime();
    try (TensorSource s = Checkpoints.open(f)) {
      for (TensorInfo t : s.tensors()) {
        s.readFloat(t.name());
      }
    }
    long peak = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        peak += p.getPeakUsage().getUsed();
      }
    }
    System.out.printf("file %.2f GB, largest tensor %.0f MB, sum of heap pool peaks %.0f MB, %.1f s%n",
        Files.size(f) / 1e9, n * 4 / 1e6, peak / 1e6, (System.nanoTime() - t0) / 1e9);
  }
}
