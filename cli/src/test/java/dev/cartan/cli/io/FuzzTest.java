package dev.cartan.cli.io;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of every parser with a plain JUnit loop and structure-aware mutations (the
 * coverage-guided Jazzer fuzzers are in {@link CheckpointFuzzTest}). Seeds are {@link FuzzCorpus#seeds}: the
 * generated files of every format plus the heads of the shared fixtures; each
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
    List<FuzzCorpus.Seed> seeds = FuzzCorpus.seeds(dir, true);
    for (FuzzCorpus.Seed s : seeds) {
      Path f = Files.write(dir.resolve("seed" + s.ext()), s.bytes());
      exercise(f); // every seed itself is valid or a truncated fixture that fails cleanly
    }
    Random r = new Random(seed);
    int[] refused = {0};
    assertTimeoutPreemptively(Duration.ofSeconds(Math.max(120, iterations / 10)), () -> {
      for (int i = 0; i < iterations; i++) {
        FuzzCorpus.Seed s = seeds.get(r.nextInt(seeds.size()));
        byte[] m = mutate(s.bytes(), r);
        // A fresh name per input: rewriting a file that stale mappings still reference is slow.
        Path f = Files.write(dir.resolve("in" + i + s.ext()), m);
        try {
          exercise(f);
        } catch (CheckpointFormatException e) {
          refused[0]++;
        } catch (Throwable t) {
          Path crash = Path.of("target", "fuzz-crashes");
          Files.createDirectories(crash);
          Path saved = Files.write(crash.resolve("seed" + seed + "-iter" + i + s.ext()), m);
          fail("iteration " + i + " (seed " + seed + "): " + t + "; input saved to " + saved.toAbsolutePath(), t);
        } finally {
          Files.deleteIfExists(f);
        }
      }
    });
    assertTrue(refused[0] > 0);
  }
}
