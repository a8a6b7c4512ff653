package dev.cartan.cli.io;

import java.nio.file.Path;

/** Overflow-safe shape arithmetic shared by the readers. */
final class Shapes {
  private Shapes() {}

  /** Highest rank accepted (GGML uses 4, ONNX models rarely exceed 8). */
  static final int MAX_RANK = 16;

  /** Product of the dims, or a {@link CheckpointFormatException} if a dim is negative or the product overflows. */
  static long numel(Path file, String tensor, long[] shape) throws CheckpointFormatException {
    if (shape.length > MAX_RANK) {
      throw new CheckpointFormatException(file, tensor, "rank " + shape.length + " exceeds " + MAX_RANK);
    }
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new CheckpointFormatException(file, tensor, "negative dimension " + d);
      }
      if (d != 0 && n > Long.MAX_VALUE / d) {
        throw new CheckpointFormatException(file, tensor, "element count overflows 64 bits: "
            + java.util.Arrays.toString(shape));
      }
      n *= d;
    }
    return n;
  }
}
