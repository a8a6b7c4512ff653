package dev.cartan.cli.io;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a checkpoint says about one tensor, without its data.
 *
 * @param name the tensor's name as stored (GGUF, ONNX, safetensors keys; dotted paths for nested PyTorch dicts)
 * @param dtype the stored element type
 * @param shape the shape in row-major (C) order, outermost first; empty for a scalar. GGUF's innermost-first
 *     dims are reversed into this order
 * @param byteSize the bytes the data occupies in the file (before any decompression)
 * @param file the file holding the data
 */
public record TensorInfo(String name, DType dtype, long[] shape, long byteSize, Path file) {

  /** Copies the shape defensively. */
  public TensorInfo {
    shape = shape.clone();
  }

  /** The shape (a copy). */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The rank, 0 for a scalar. */
  public int rank() {
    return shape.length;
  }

  /** The number of elements: the product of the shape (1 for a scalar). Checked at construction sites. */
  public long numel() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /**
   * The matrix view's shape {rows, cols}, or null when the tensor is not a matrix: rank 2 as stored [out, in];
   * rank >= 3 (conv kernels O,I,H,W or O,I,K) flattened to out x (product of the rest); rank 0 and 1 and any
   * shape with a zero dimension or more than {@link Integer#MAX_VALUE} rows, columns or elements give null.
   */
  public int[] matrixShape() {
    if (shape.length < 2) {
      return null;
    }
    long rows = shape[0];
    long cols = 1;
    for (int i = 1; i < shape.length; i++) {
      cols *= shape[i];
      if (cols > Integer.MAX_VALUE) {
        return null;
      }
    }
    if (rows <= 0 || cols <= 0 || rows > Integer.MAX_VALUE || rows * cols > Integer.MAX_VALUE - 8) {
      return null;
    }
    return new int[] {(int) rows, (int) cols};
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorInfo t
        && t.name.equals(name)
        && t.dtype == dtype
        && Arrays.equals(t.shape, shape)
        && t.byteSize == byteSize
        && java.util.Objects.equals(t.file, file);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + " " + dtype + " " + Arrays.toString(shape) + " (" + byteSize + " bytes)";
  }
}
