package dev.cartan.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link NarrowGemm} against the independent triple loop of {@link GemmTest} (same tolerance), on every provider:
 * narrow and wide C, all four transpose combinations, transposed C, views with {@code ld > rows} surrounded by NaN
 * (nothing outside a view may be read), row counts that leave a partial twelve-row edge, depths across
 * {@link NarrowGemm#DEPTH_F64} / {@link NarrowGemm#DEPTH_F32}, and alpha/beta variants; plus the strided
 * micro-kernel alone, in both of the layouts the driver feeds it.
 */
class NarrowGemmTest {
  private static final int[][] SHAPES = {{0, 3, 5}, {5, 0, 3}, {4, 3, 0}, {1, 1, 1}, {7, 9, 13}, {12, 16, 17},
      {13, 32, 31}, {33, 17, 65}, {65, 33, 257}, {100, 32, 300}, {31, 65, 600}, {29, 1, 1030}};

  @Test
  void matchesTheLoopOnAllShapesTransposesAndProvidersF64() {
    Random rnd = new Random(11);
    for (DoubleKernels k : GemmTest.f64Providers()) {
      for (int[] s : SHAPES) {
        for (int combo = 0; combo < 8; combo++) {
          boolean ta = (combo & 1) != 0;
          boolean tb = (combo & 2) != 0;
          boolean tc = (combo & 4) != 0;
          DMatrix a = GemmTest.randomD(rnd, s[0], s[2], ta, combo % 3 == 0);
          DMatrix b = GemmTest.randomD(rnd, s[2], s[1], tb, combo % 3 == 1);
          DMatrix c = GemmTest.randomD(rnd, s[0], s[1], tc, combo % 3 == 2);
          GemmTest.checkD(NarrowGemm::gemm, k, -1.25, a, b, combo == 5 ? 0.0 : 0.75, c,
              k.getClass().getSimpleName() + " " + s[0] + "x" + s[1] + "x" + s[2] + " combo " + combo);
        }
      }
    }
  }

  @Test
  void matchesTheLoopOnAllShapesTransposesAndProvidersF32() {
    Random rnd = new Random(12);
    for (FloatKernels k : GemmTest.f32Providers()) {
      for (int[] s : SHAPES) {
        for (int combo = 0; combo < 8; combo++) {
          boolean ta = (combo & 1) != 0;
          boolean tb = (combo & 2) != 0;
          boolean tc = (combo & 4) != 0;
          FMatrix a = GemmTest.randomF(rnd, s[0], s[2], ta, combo % 3 == 0);
          FMatrix b = GemmTest.randomF(rnd, s[2], s[1], tb, combo % 3 == 1);
          FMatrix c = GemmTest.randomF(rnd, s[0], s[1], tc, combo % 3 == 2);
          GemmTest.checkF(NarrowGemm::gemm, k, 0.5f, a, b, combo == 6 ? 0f : 1.5f, c,
              k.getClass().getSimpleName() + " " + s[0] + "x" + s[1] + "x" + s[2] + " combo " + combo);
        }
      }
    }
  }

  @Test
  void alphaZeroKeepsBetaCAndBetaZeroOverwritesNan() {
    for (DoubleKernels k : GemmTest.f64Providers()) {
      DMatrix nan = DMatrix.zeros(20, 20);
      nan.fill(Double.NaN);
      DMatrix c = DMatrix.identity(20);
      NarrowGemm.gemm(k, 0.0, nan, nan, 2.0, c);
      assertEquals(2.0, c.get(4, 4), 0.0);
      assertEquals(0.0, c.get(4, 5), 0.0);
      c.fill(Double.NaN);
      NarrowGemm.gemm(k, 1.0, DMatrix.identity(20), DMatrix.identity(20), 0.0, c);
      for (int j = 0; j < 20; j++) {
        for (int i = 0; i < 20; i++) {
          assertEquals(i == j ? 1.0 : 0.0, c.get(i, j), 0.0);
        }
      }
    }
  }

  @Test
  void stridedMicroKernelReadsBInPlace() {
    // Both layouts the driver uses: rows of B at stride rs with contiguous columns, and columns at stride cs.
    for (DoubleKernels k : GemmTest.f64Providers()) {
      int mr = k.gemmMr();
      int nr = k.gemmNr();
      int kc = 11;
      double[] pa = new double[kc * mr];
      for (int i = 0; i < pa.length; i++) {
        pa[i] = (i % 7) - 3;
      }
      int[][] strides = {{nr + 5, 1}, {1, kc + 2}};
      for (int[] st : strides) {
        double[] pb = new double[3 + (kc - 1) * st[0] + (nr - 1) * st[1] + 1];
        for (int i = 0; i < pb.length; i++) {
          pb[i] = (i % 5) - 2;
        }
        int ldc = mr + 1;
        double[] c = new double[ldc * nr];
        java.util.Arrays.fill(c, 2.0);
        k.gemmMicroKernelStrided(kc, pa, 0, pb, 3, st[0], st[1], c, 0, ldc);
        for (int j = 0; j < nr; j++) {
          for (int i = 0; i < ldc; i++) {
            double expect = 2.0;
            for (int p = 0; i < mr && p < kc; p++) {
              expect += pa[p * mr + i] * pb[3 + p * st[0] + j * st[1]];
            }
            // Integer-valued products: exact in any order.
            assertEquals(expect, c[i + j * ldc], 0.0, "strides " + st[0] + "," + st[1] + " (" + i + ", " + j + ")");
          }
        }
      }
    }
    for (FloatKernels k : GemmTest.f32Providers()) {
      int mr = k.gemmMr();
      int nr = k.gemmNr();
      int kc = 9;
      float[] pa = new float[kc * mr];
      for (int i = 0; i < pa.length; i++) {
        pa[i] = (i % 7) - 3;
      }
      float[] pb = new float[kc * (nr + 2)];
      for (int i = 0; i < pb.length; i++) {
        pb[i] = (i % 5) - 2;
      }
      int[][] strides = {{nr + 1, 1}, {1, kc + 1}};
      for (int[] st : strides) {
        float[] c = new float[mr * nr];
        k.gemmMicroKernelStrided(kc, pa, 0, pb, 0, st[0], st[1], c, 0, mr);
        for (int j = 0; j < nr; j++) {
          for (int i = 0; i < mr; i++) {
            float expect = 0f;
            for (int p = 0; p < kc; p++) {
              expect += pa[p * mr + i] * pb[p * st[0] + j * st[1]];
            }
            assertEquals(expect, c[i + j * mr], 0f, "strides " + st[0] + "," + st[1]);
          }
        }
      }
    }
  }

  @Test
  void wideMicroKernelReadsBInPlaceOrIsAbsent() {
    for (DoubleKernels k : GemmTest.f64Providers()) {
      int mr = k.gemmWideMr();
      if (mr == 0) {
        assertThrows(UnsupportedOperationException.class,
            () -> k.gemmMicroKernelWide(1, new double[1], 0, new double[1], 0, 1, 1, new double[1], 0, 1));
        continue;
      }
      int nr = k.gemmWideNr();
      int kc = 13;
      double[] pa = new double[kc * mr];
      for (int i = 0; i < pa.length; i++) {
        pa[i] = (i % 7) - 3;
      }
      int[][] strides = {{nr + 3, 1}, {1, kc + 4}};
      for (int[] st : strides) {
        double[] pb = new double[2 + (kc - 1) * st[0] + (nr - 1) * st[1] + 1];
        for (int i = 0; i < pb.length; i++) {
          pb[i] = (i % 5) - 2;
        }
        int ldc = mr + 2;
        double[] c = new double[ldc * nr];
        java.util.Arrays.fill(c, -1.0);
        k.gemmMicroKernelWide(kc, pa, 0, pb, 2, st[0], st[1], c, 0, ldc);
        for (int j = 0; j < nr; j++) {
          for (int i = 0; i < ldc; i++) {
            double expect = -1.0;
            for (int p = 0; i < mr && p < kc; p++) {
              expect += pa[p * mr + i] * pb[2 + p * st[0] + j * st[1]];
            }
            // Integer-valued products: exact in any order.
            assertEquals(expect, c[i + j * ldc], 0.0,
                "wide, strides " + st[0] + "," + st[1] + " (" + i + ", " + j + ")");
          }
        }
      }
    }
  }

  @Test
  void floatWideMicroKernelReadsBInPlaceOrIsAbsent() {
    for (FloatKernels k : GemmTest.f32Providers()) {
      int mr = k.gemmWideMr();
      if (mr == 0) {
        assertThrows(UnsupportedOperationException.class,
            () -> k.gemmMicroKernelWide(1, new float[1], 0, new float[1], 0, 1, 1, new float[1], 0, 1));
        continue;
      }
      int nr = k.gemmWideNr();
      int kc = 10;
      float[] pa = new float[kc * mr];
      for (int i = 0; i < pa.length; i++) {
        pa[i] = (i % 7) - 3;
      }
      float[] pb = new float[kc * (nr + 1)];
      for (int i = 0; i < pb.length; i++) {
        pb[i] = (i % 5) - 2;
      }
      int ldc = mr + 1;
      float[] c = new float[ldc * nr];
      k.gemmMicroKernelWide(kc, pa, 0, pb, 0, 1, kc + 1, c, 0, ldc);
      for (int j = 0; j < nr; j++) {
        for (int i = 0; i < ldc; i++) {
          float expect = 0f;
          for (int p = 0; i < mr && p < kc; p++) {
            expect += pa[p * mr + i] * pb[p + j * (kc + 1)];
          }
          // Integer-valued products: exact in any order.
          assertEquals(expect, c[i + j * ldc], 0f, "wide f32 (" + i + ", " + j + ")");
        }
      }
    }
  }

  @Test
  void badShapesAndNullsAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NarrowGemm.gemm(1.0, DMatrix.zeros(3, 4), DMatrix.zeros(5, 2), 0.0, DMatrix.zeros(3, 2)));
    assertTrue(e.getMessage().contains("B is 5x2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> NarrowGemm.gemm(1f, FMatrix.zeros(2, 2), null, 0f, FMatrix.zeros(2, 2)));
    assertTrue(e.getMessage().contains("B is null"), e.getMessage());
  }
}
