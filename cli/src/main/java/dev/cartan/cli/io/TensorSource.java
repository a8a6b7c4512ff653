package dev.cartan.cli.io;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.FMatrix;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * An opened checkpoint (one file, a sharded folder or a folder of arrays): its tensors can be listed without
 * reading their data and read one at a time, widened to float32 or float64.
 *
 * <p>Data are returned in row-major (C) order of {@link TensorInfo#shape()} whatever the storage order
 * (NumPy Fortran order and PyTorch strides are undone; GGUF shapes are reported outermost first). Memory use is
 * the tensor being read plus bounded buffers. Tensors that failed validation are absent from {@link #tensors()}
 * and listed in {@link #problems()}; asking to read one throws its recorded exception.
 *
 * <p>Matrix view: a rank-2 tensor [out, in] as stored; a tensor of rank &gt;= 3 (conv kernels O,I,H,W) flattened
 * to out x (in h w) by keeping the row-major data; rank 0 and 1 are not matrices.
 */
public interface TensorSource extends Closeable {

  /** The path that was opened. */
  Path path();

  /** A short format name: safetensors, npy, npz, pytorch, gguf, onnx, or a combination for folders. */
  String format();

  /** The readable-or-listed tensors in file order (tensors that failed validation are in {@link #problems()}). */
  List<TensorInfo> tensors();

  /** Tensors (or whole shards) refused while opening, each naming the file and the tensor. */
  List<CheckpointFormatException> problems();

  /**
   * The information for one tensor.
   *
   * @throws CheckpointFormatException if there is no such tensor or it was refused at open time
   */
  TensorInfo info(String name) throws CheckpointFormatException;

  /**
   * Reads a tensor widened (or, for F64, rounded) to float32, row-major.
   *
   * @throws CheckpointFormatException if the tensor is absent, refused, non-float, too large for one array
   *     (more than 2^31 - 9 elements) or its data are malformed
   * @throws IOException if the file cannot be read
   */
  float[] readFloat(String name) throws IOException;

  /**
   * Reads a tensor widened to float64, row-major (exact for every readable dtype).
   *
   * @throws CheckpointFormatException as for {@link #readFloat}
   * @throws IOException if the file cannot be read
   */
  double[] readDouble(String name) throws IOException;

  /**
   * The matrix view {rows, cols} of a tensor, or null for rank 0/1 (see {@link TensorInfo#matrixShape()}).
   *
   * @throws CheckpointFormatException if the tensor is absent or refused
   */
  default int[] matrixShape(String name) throws CheckpointFormatException {
    return info(name).matrixShape();
  }

  /**
   * Reads the matrix view in float64 as a column-major {@link DMatrix}.
   *
   * @throws CheckpointFormatException if the tensor is not a matrix (rank &lt; 2) or cannot be read
   * @throws IOException if the file cannot be read
   */
  default DMatrix readDMatrix(String name) throws IOException {
    int[] rc = requireMatrix(name);
    return DMatrix.fromRowMajor(readDouble(name), rc[0], rc[1]);
  }

  /**
   * Reads the matrix view in float32 as a column-major {@link FMatrix}.
   *
   * @throws CheckpointFormatException if the tensor is not a matrix (rank &lt; 2) or cannot be read
   * @throws IOException if the file cannot be read
   */
  default FMatrix readFMatrix(String name) throws IOException {
    int[] rc = requireMatrix(name);
    return FMatrix.fromRowMajor(readFloat(name), rc[0], rc[1]);
  }

  private int[] requireMatrix(String name) throws CheckpointFormatException {
    TensorInfo t = info(name);
    int[] rc = t.matrixShape();
    if (rc == null) {
      throw new CheckpointFormatException(
          t.file(), name, "rank " + t.rank() + " tensor " + java.util.Arrays.toString(t.shape())
              + " has no matrix view (needs rank >= 2, non-empty, at most 2^31 - 9 elements)");
    }
    return rc;
  }
}
