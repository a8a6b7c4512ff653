package dev.cartan.kernels;

import java.util.Arrays;

/**
 * A dense float32 matrix, or a view of one, stored in column-major order with a leading dimension.
 *
 * <p>Element {@code (i, j)} of a plain (non-transposed) matrix lives at {@code data[offset + i + j * ld]}:
 * each column is contiguous, and consecutive columns are {@code ld >= rows} apart. This is LAPACK's layout. It
 * was chosen because the SVD kernels work on columns: one-sided Jacobi rotates pairs of whole columns, and
 * Householder reflectors are columns applied to panels of columns, so the inner loops of both run over
 * contiguous memory that SIMD loads directly (docs/design-notes.md, "Matrix layout").
 *
 * <p>A <em>view</em> shares the array of its parent: {@link #view(int, int, int, int)} selects a block, and
 * {@link #transpose()} returns the transposed view, whose element {@code (i, j)} is the parent's {@code (j, i)}
 * (so in a transposed view rows are contiguous). Writes through a view change the parent. Kernels that need
 * contiguous columns call {@link #isTransposed()} and take the other orientation's code path or copy.
 */
public final class FMatrix {
  /** Tile side of the mixed-layout (transposing) copy: two 32 x 32 tiles of floats fit in L1. */
  private static final int COPY_TILE = 32;

  private final float[] data;
  private final int offset;
  private final int rows;
  private final int cols;
  private final int ld;
  private final boolean transposed;

  private FMatrix(float[] data, int offset, int rows, int cols, int ld, boolean transposed) {
    this.data = data;
    this.offset = offset;
    this.rows = rows;
    this.cols = cols;
    this.ld = ld;
    this.transposed = transposed;
  }

  /** A new zero matrix with {@code rows x cols} elements and {@code ld = max(1, rows)}. */
  public static FMatrix zeros(int rows, int cols) {
    checkShape(rows, cols);
    return new FMatrix(new float[Math.multiplyExact(rows, cols)], 0, rows, cols, Math.max(1, rows), false);
  }

  /** The {@code n x n} identity. */
  public static FMatrix identity(int n) {
    FMatrix m = zeros(n, n);
    for (int i = 0; i < n; i++) {
      m.data[i + i * m.ld] = 1.0f;
    }
    return m;
  }

  /**
   * Wraps an existing column-major array without copying.
   *
   * @throws IllegalArgumentException if the shape is negative, {@code ld < max(1, rows)}, or the array is too
   *     short to hold the last column
   */
  public static FMatrix wrap(float[] data, int offset, int rows, int cols, int ld) {
    checkShape(rows, cols);
    if (data == null) {
      throw new IllegalArgumentException("data is null");
    }
    if (ld < Math.max(1, rows)) {
      throw new IllegalArgumentException("leading dimension " + ld + " < rows " + rows);
    }
    long end = rows == 0 || cols == 0 ? offset : offset + (long) (cols - 1) * ld + rows;
    if (offset < 0 || end > data.length) {
      throw new IllegalArgumentException(
          "array of length " + data.length + " cannot hold a " + rows + "x" + cols + " matrix at offset "
              + offset + " with ld " + ld);
    }
    return new FMatrix(data, offset, rows, cols, ld, false);
  }

  /** Wraps a column-major array of exactly {@code rows * cols} elements. */
  public static FMatrix wrap(float[] data, int rows, int cols) {
    checkShape(rows, cols);
    if (data != null && data.length != (long) rows * cols) {
      throw new IllegalArgumentException(
          "array of length " + data.length + " is not a " + rows + "x" + cols + " matrix");
    }
    return wrap(data, 0, rows, cols, Math.max(1, rows));
  }

  /** Copies a row-major array ({@code a[i][j]} = element (i, j)); all rows must have the same length. */
  public static FMatrix fromRows(float[][] a) {
    int m = a.length;
    int n = m == 0 ? 0 : a[0].length;
    FMatrix r = zeros(m, n);
    for (int i = 0; i < m; i++) {
      if (a[i].length != n) {
        throw new IllegalArgumentException("row " + i + " has length " + a[i].length + ", expected " + n);
      }
      for (int j = 0; j < n; j++) {
        r.data[i + j * r.ld] = a[i][j];
      }
    }
    return r;
  }

  /** Copies a row-major flat array of {@code rows * cols} elements. */
  public static FMatrix fromRowMajor(float[] a, int rows, int cols) {
    checkShape(rows, cols);
    if (a.length != (long) rows * cols) {
      throw new IllegalArgumentException(
          "array of length " + a.length + " is not a " + rows + "x" + cols + " matrix");
    }
    FMatrix r = zeros(rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        r.data[i + j * r.ld] = a[i * cols + j];
      }
    }
    return r;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** The backing array, shared with every view of it. */
  public float[] data() {
    return data;
  }

  /** Index in {@link #data()} of element (0, 0). */
  public int offset() {
    return offset;
  }

  /** Distance in {@link #data()} between consecutive columns (or, for a transposed view, rows). */
  public int ld() {
    return ld;
  }

  /** True if this is a transposed view: rows, not columns, are contiguous. */
  public boolean isTransposed() {
    return transposed;
  }

  /** Index in {@link #data()} of element (i, j), without bounds checks. */
  public int index(int i, int j) {
    return transposed ? offset + j + i * ld : offset + i + j * ld;
  }

  public float get(int i, int j) {
    checkIndex(i, j);
    return data[index(i, j)];
  }

  public void set(int i, int j, float v) {
    checkIndex(i, j);
    data[index(i, j)] = v;
  }

  /** A view of the {@code r x c} block whose top-left element is (i, j). */
  public FMatrix view(int i, int j, int r, int c) {
    if (i < 0 || j < 0 || r < 0 || c < 0 || i + (long) r > rows || j + (long) c > cols) {
      throw new IllegalArgumentException(
          "block (" + i + ", " + j + ") of size " + r + "x" + c + " is outside a " + rows + "x" + cols
              + " matrix");
    }
    int off = (r == 0 || c == 0) ? offset : index(i, j);
    return new FMatrix(data, off, r, c, ld, transposed);
  }

  /** The transposed view: shares storage, element (i, j) of the result is element (j, i) of this. */
  public FMatrix transpose() {
    return new FMatrix(data, offset, cols, rows, ld, !transposed);
  }

  /** A compact, column-major, non-transposed copy. */
  public FMatrix copy() {
    FMatrix r = zeros(rows, cols);
    copyInto(r);
    return r;
  }

  /** Copies this matrix into {@code dst}, which must have the same shape (any layout). */
  public void copyInto(FMatrix dst) {
    if (dst.rows != rows || dst.cols != cols) {
      throw new IllegalArgumentException(
          "cannot copy a " + rows + "x" + cols + " matrix into a " + dst.rows + "x" + dst.cols + " one");
    }
    if (!transposed && !dst.transposed) {
      for (int j = 0; j < cols; j++) {
        System.arraycopy(data, offset + j * ld, dst.data, dst.offset + j * dst.ld, rows);
      }
      return;
    }
    // Mixed layouts: copy by square tiles, so that the strided side of the transpose stays in cache.
    for (int j0 = 0; j0 < cols; j0 += COPY_TILE) {
      int j1 = Math.min(cols, j0 + COPY_TILE);
      for (int i0 = 0; i0 < rows; i0 += COPY_TILE) {
        int i1 = Math.min(rows, i0 + COPY_TILE);
        for (int j = j0; j < j1; j++) {
          for (int i = i0; i < i1; i++) {
            dst.data[dst.index(i, j)] = data[index(i, j)];
          }
        }
      }
    }
  }

  /** A compact float64 copy, every element widened exactly. */
  public DMatrix toDouble() {
    DMatrix d = DMatrix.zeros(rows, cols);
    for (int j = 0; j < cols; j++) {
      for (int i = 0; i < rows; i++) {
        d.set(i, j, data[index(i, j)]);
      }
    }
    return d;
  }

  /** Row-major copy of the elements, {@code result[i][j]} = element (i, j). */
  public float[][] toRows() {
    float[][] a = new float[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        a[i][j] = data[index(i, j)];
      }
    }
    return a;
  }

  /** Sets every element to {@code v}. */
  public void fill(float v) {
    for (int j = 0; j < cols; j++) {
      for (int i = 0; i < rows; i++) {
        data[index(i, j)] = v;
      }
    }
  }

  /**
   * Throws an {@link IllegalArgumentException} naming {@code name} and the first offending element if any
   * element is NaN or infinite.
   */
  public FMatrix requireFinite(String name) {
    for (int j = 0; j < cols; j++) {
      for (int i = 0; i < rows; i++) {
        float v = data[index(i, j)];
        if (!Float.isFinite(v)) {
          throw new IllegalArgumentException(
              name + " has a non-finite element " + v + " at (" + i + ", " + j + ")");
        }
      }
    }
    return this;
  }

  /** Frobenius norm (accumulated in float64), computed without overflow or harmful underflow. */
  public double frobeniusNorm() {
    double scale = 0.0;
    double ssq = 1.0;
    for (int j = 0; j < cols; j++) {
      for (int i = 0; i < rows; i++) {
        double a = Math.abs(data[index(i, j)]);
        if (a != 0.0) {
          if (scale < a) {
            double q = scale / a;
            ssq = 1.0 + ssq * q * q;
            scale = a;
          } else {
            double q = a / scale;
            ssq += q * q;
          }
        }
      }
    }
    return scale * Math.sqrt(ssq);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append("FMatrix ").append(rows).append('x').append(cols);
    if (transposed) {
      sb.append(" (transposed view)");
    }
    int shownRows = Math.min(rows, 8);
    int shownCols = Math.min(cols, 8);
    for (int i = 0; i < shownRows; i++) {
      float[] row = new float[shownCols];
      for (int j = 0; j < shownCols; j++) {
        row[j] = data[index(i, j)];
      }
      sb.append('\n').append(Arrays.toString(row));
      if (shownCols < cols) {
        sb.append(" ...");
      }
    }
    if (shownRows < rows) {
      sb.append("\n...");
    }
    return sb.toString();
  }

  private void checkIndex(int i, int j) {
    if (i < 0 || i >= rows || j < 0 || j >= cols) {
      throw new IndexOutOfBoundsException(
          "(" + i + ", " + j + ") is outside a " + rows + "x" + cols + " matrix");
    }
  }

  static void checkShape(int rows, int cols) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("negative shape " + rows + "x" + cols);
    }
  }
}
