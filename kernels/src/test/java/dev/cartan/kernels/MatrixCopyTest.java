package dev.cartan.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * {@code copyInto} between every pair of layouts (compact, strided view, transposed view) on shapes that are not
 * multiples of the copy tile, checked element by element against the definition {@code dst(i, j) = src(i, j)}.
 */
class MatrixCopyTest {
  private static final int[][] SHAPES = {{1, 1}, {1, 70}, {70, 1}, {31, 33}, {32, 32}, {70, 45}, {100, 65}};

  /** Element (i, j) of the source: distinct for every position, exact in float32 too. */
  private static double value(int i, int j) {
    return 1000 * i + j + 0.5;
  }

  @Test
  void copiesBetweenLayouts() {
    for (int[] s : SHAPES) {
      int r = s[0];
      int c = s[1];
      for (int from = 0; from < 3; from++) {
        for (int to = 0; to < 3; to++) {
          DMatrix src = layout(from, r, c);
          FMatrix fsrc = floatLayout(from, r, c);
          for (int j = 0; j < c; j++) {
            for (int i = 0; i < r; i++) {
              src.set(i, j, value(i, j));
              fsrc.set(i, j, (float) value(i, j));
            }
          }
          DMatrix dst = layout(to, r, c);
          FMatrix fdst = floatLayout(to, r, c);
          src.copyInto(dst);
          fsrc.copyInto(fdst);
          String where = r + "x" + c + " layout " + from + " -> " + to;
          for (int j = 0; j < c; j++) {
            for (int i = 0; i < r; i++) {
              assertEquals(value(i, j), dst.get(i, j), where);
              assertEquals((float) value(i, j), fdst.get(i, j), where);
            }
          }
        }
      }
    }
  }

  /** An {@code r x c} matrix: 0 compact, 1 a view inside a larger array (ld > rows), 2 a transposed view. */
  private static DMatrix layout(int kind, int r, int c) {
    return switch (kind) {
      case 0 -> DMatrix.zeros(r, c);
      case 1 -> DMatrix.wrap(new double[3 + (r + 5) * c], 3, r, c, r + 5);
      default -> DMatrix.wrap(new double[2 + (c + 3) * r], 2, c, r, c + 3).transpose();
    };
  }

  private static FMatrix floatLayout(int kind, int r, int c) {
    return switch (kind) {
      case 0 -> FMatrix.zeros(r, c);
      case 1 -> FMatrix.wrap(new float[3 + (r + 5) * c], 3, r, c, r + 5);
      default -> FMatrix.wrap(new float[2 + (c + 3) * r], 2, c, r, c + 3).transpose();
    };
  }
}
