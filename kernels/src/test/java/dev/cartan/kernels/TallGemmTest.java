package dev.cartan.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link TallGemm#atb} against the independent triple loop of {@link GemmTest} (same tolerance), on every provider
 * (the scalar one takes {@link NarrowGemm}): reflector counts around the wide tile's 32 rows (partial edge tiles),
 * column counts that leave a partial six-column strip, depths across {@link TallGemm#DEPTH_F64} /
 * {@link TallGemm#DEPTH_F32}, views with {@code ld > rows} surrounded by NaN (nothing outside a view may be read),
 * and beta 0 (NaN in C must not survive), 1 and another value.
 */
class TallGemmTest {
  /** {m (depth), k (columns of A, rows of C), n (columns of B and C)}. */
  private static final int[][] SHAPES = {{0, 3, 5}, {5, 0, 3}, {4, 3, 0}, {1, 1, 1}, {7, 9, 13}, {17, 32, 6},
      {33, 31, 7}, {65, 33, 12}, {257, 64, 13}, {300, 65, 17}, {600, 128, 25}, {1030, 129, 11}, {513, 32, 1},
      {40, 96, 5}};

  @Test
  void matchesTheLoopOnAllShapesAndProvidersF64() {
    Random rnd = new Random(21);
    for (DoubleKernels k : GemmTest.f64Providers()) {
      for (int[] s : SHAPES) {
        for (int variant = 0; variant < 4; variant++) {
          // A^T is passed to the loop as a transposed view of the plain m x k A.
          DMatrix at = GemmTest.randomD(rnd, s[1], s[0], true, variant % 2 == 0);
          DMatrix b = GemmTest.randomD(rnd, s[0], s[2], false, variant % 3 == 0);
          DMatrix c = GemmTest.randomD(rnd, s[1], s[2], false, variant != 1);
          if (variant == 2) {
            c.fill(Double.NaN);
          }
          double beta = variant == 2 ? 0.0 : variant == 3 ? 1.0 : 0.75;
          GemmTest.checkD((kk, alpha, a, bb, bt, cc) -> TallGemm.atb(kk, alpha, a.transpose(), bb, bt, cc), k,
              variant == 1 ? 1.0 : -1.25, at, b, beta, c,
              k.getClass().getSimpleName() + " " + s[0] + "x" + s[1] + "x" + s[2] + " variant " + variant);
        }
      }
    }
  }

  @Test
  void matchesTheLoopOnAllShapesAndProvidersF32() {
    Random rnd = new Random(22);
    for (FloatKernels k : GemmTest.f32Providers()) {
      for (int[] s : SHAPES) {
        for (int variant = 0; variant < 4; variant++) {
          FMatrix at = GemmTest.randomF(rnd, s[1], s[0], true, variant % 2 == 0);
          FMatrix b = GemmTest.randomF(rnd, s[0], s[2], false, variant % 3 == 0);
          FMatrix c = GemmTest.randomF(rnd, s[1], s[2], false, variant != 1);
          if (variant == 2) {
            c.fill(Float.NaN);
          }
          float beta = variant == 2 ? 0f : variant == 3 ? 1f : 0.75f;
          GemmTest.checkF((kk, alpha, a, bb, bt, cc) -> TallGemm.atb(kk, alpha, a.transpose(), bb, bt, cc), k,
              variant == 1 ? 1f : 0.5f, at, b, beta, c,
              k.getClass().getSimpleName() + " " + s[0] + "x" + s[1] + "x" + s[2] + " variant " + variant);
        }
      }
    }
  }

  @Test
  void aMatrixMayBeBothOperands() {
    // S = V^T V, as the recursive QR's leaves form it: symmetric, and equal to the loop on every provider.
    Random rnd = new Random(23);
    for (DoubleKernels k : GemmTest.f64Providers()) {
      DMatrix v = GemmTest.randomD(rnd, 300, 33, false, true);
      DMatrix s = DMatrix.zeros(33, 33);
      TallGemm.atb(k, 1.0, v, v, 0.0, s);
      for (int i = 0; i < 33; i++) {
        for (int j = 0; j < 33; j++) {
          double e = 0;
          for (int p = 0; p < 300; p++) {
            e += v.get(p, i) * v.get(p, j);
          }
          assertEquals(e, s.get(i, j), 1e-12 * 300, k.getClass().getSimpleName() + " S(" + i + ", " + j + ")");
        }
      }
    }
  }

  @Test
  void rejectsTransposedViewsAndMismatchedShapes() {
    DMatrix a = DMatrix.zeros(10, 3);
    DMatrix b = DMatrix.zeros(10, 4);
    DMatrix c = DMatrix.zeros(3, 4);
    assertThrows(IllegalArgumentException.class, () -> TallGemm.atb(1.0, a.transpose(), b, 0.0, c));
    assertThrows(IllegalArgumentException.class, () -> TallGemm.atb(1.0, a, b, 0.0, c.transpose()));
    assertThrows(IllegalArgumentException.class, () -> TallGemm.atb(1.0, a, DMatrix.zeros(9, 4), 0.0, c));
    assertThrows(IllegalArgumentException.class, () -> TallGemm.atb(1.0, a, b, 0.0, DMatrix.zeros(4, 4)));
    assertThrows(IllegalArgumentException.class, () -> TallGemm.atb(1.0, null, b, 0.0, c));
    FMatrix af = FMatrix.zeros(10, 3);
    assertThrows(IllegalArgumentException.class,
        () -> TallGemm.atb(1f, af, FMatrix.zeros(10, 4).transpose(), 0f, FMatrix.zeros(3, 4)));
    assertThrows(IllegalArgumentException.class, () -> TallGemm.atb(1f, af, FMatrix.zeros(10, 4), 0f,
        FMatrix.zeros(3, 5)));
  }
}
