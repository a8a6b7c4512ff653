package dev.cartan.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Gemm} against an independent triple loop over {@code get(i, j)}, on shapes that hit every edge of the
 * micro-tiles and blocks, all four transpose combinations, block views with {@code ld > rows}, transposed C, and
 * alpha/beta variants; on the scalar provider and, when the Vector module is present, the SIMD providers. The
 * SIMD GEMM kernel uses the hardware's preferred vector width, so kernels/pom.xml also runs this class with
 * {@code -XX:MaxVectorSize=32} and {@code =16} to cover the 256- and 128-bit tiles.
 *
 * <p>Tolerance: each element of {@code alpha op(A) op(B) + beta C} computed in any order with or without FMA is
 * within {@code k u (|alpha| (|A||B|)_ij) + 2 u |beta C_ij|} plus lower-order terms (Higham, "Accuracy and
 * Stability of Numerical Algorithms", 2nd ed., section 3.5); the checks use {@code (k + 4) u} and {@code 4 u}.
 */
class GemmTest {
  private static final int[] DIMS = {0, 1, 7, 9, 17, 31, 33, 65};

  static List<DoubleKernels> f64Providers() {
    List<DoubleKernels> ks = new ArrayList<>();
    ks.add(KernelProvider.scalar().f64());
    KernelProvider.simd().ifPresent(p -> ks.add(p.f64()));
    KernelProvider.simd(128).ifPresent(p -> ks.add(p.f64()));
    KernelProvider.simd(256).ifPresent(p -> ks.add(p.f64()));
    return ks;
  }

  static List<FloatKernels> f32Providers() {
    List<FloatKernels> ks = new ArrayList<>();
    ks.add(KernelProvider.scalar().f32());
    KernelProvider.simd().ifPresent(p -> ks.add(p.f32()));
    KernelProvider.simd(256).ifPresent(p -> ks.add(p.f32()));
    return ks;
  }

  /** An r x c matrix, stored transposed (as the transposed view of a c x r one) and/or inside a larger array. */
  static DMatrix randomD(Random rnd, int r, int c, boolean transposed, boolean padded) {
    int sr = transposed ? c : r;
    int sc = transposed ? r : c;
    int pad = padded ? 3 : 0;
    DMatrix big = DMatrix.zeros(sr + pad + 2, sc + 1);
    big.fill(Double.NaN); // anything outside the view must never be read
    DMatrix s = padded ? big.view(2, 1, sr, sc) : DMatrix.zeros(sr, sc);
    for (int j = 0; j < sc; j++) {
      for (int i = 0; i < sr; i++) {
        s.set(i, j, rnd.nextDouble() * 2 - 1);
      }
    }
    return transposed ? s.transpose() : s;
  }

  static FMatrix randomF(Random rnd, int r, int c, boolean transposed, boolean padded) {
    int sr = transposed ? c : r;
    int sc = transposed ? r : c;
    int pad = padded ? 3 : 0;
    FMatrix big = FMatrix.zeros(sr + pad + 2, sc + 1);
    big.fill(Float.NaN);
    FMatrix s = padded ? big.view(2, 1, sr, sc) : FMatrix.zeros(sr, sc);
    for (int j = 0; j < sc; j++) {
      for (int i = 0; i < sr; i++) {
        s.set(i, j, rnd.nextFloat() * 2 - 1);
      }
    }
    return transposed ? s.transpose() : s;
  }

  /** A float64 GEMM driver on given primitives ({@link Gemm} or {@link NarrowGemm}). */
  interface DoubleDriver {
    void gemm(DoubleKernels k, double alpha, DMatrix a, DMatrix b, double beta, DMatrix c);
  }

  /** A float32 GEMM driver on given primitives. */
  interface FloatDriver {
    void gemm(FloatKernels k, float alpha, FMatrix a, FMatrix b, float beta, FMatrix c);
  }

  /** Runs Gemm and checks every element of C against the triple loop in double with the bound above. */
  private static void checkD(DoubleKernels k, double alpha, DMatrix a, DMatrix b, double beta, DMatrix c,
      String what) {
    checkD(Gemm::gemm, k, alpha, a, b, beta, c, what);
  }

  /** Runs the driver and checks every element of C against the triple loop in double with the bound above. */
  static void checkD(DoubleDriver driver, DoubleKernels k, double alpha, DMatrix a, DMatrix b, double beta,
      DMatrix c, String what) {
    int m = c.rows();
    int n = c.cols();
    int kk = a.cols();
    double[][] c0 = c.toRows();
    driver.gemm(k, alpha, a, b, beta, c);
    double u = Math.ulp(1.0) / 2;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        double abs = 0;
        if (alpha != 0.0) {
          for (int p = 0; p < kk; p++) {
            s += a.get(i, p) * b.get(p, j);
            abs += Math.abs(a.get(i, p) * b.get(p, j));
          }
        }
        double bc = beta == 0.0 ? 0.0 : beta * c0[i][j];
        double expect = alpha * s + bc;
        double tol = (kk + 4) * u * Math.abs(alpha) * abs + 4 * u * Math.abs(bc) + Double.MIN_NORMAL;
        double got = c.get(i, j);
        if (!(Math.abs(got - expect) <= tol)) {
          fail(what + ": C(" + i + ", " + j + ") = " + got + ", expected " + expect + " +- " + tol);
        }
      }
    }
  }

  private static void checkF(FloatKernels k, float alpha, FMatrix a, FMatrix b, float beta, FMatrix c,
      String what) {
    checkF(Gemm::gemm, k, alpha, a, b, beta, c, what);
  }

  static void checkF(FloatDriver driver, FloatKernels k, float alpha, FMatrix a, FMatrix b, float beta, FMatrix c,
      String what) {
    int m = c.rows();
    int n = c.cols();
    int kk = a.cols();
    float[][] c0 = c.toRows();
    driver.gemm(k, alpha, a, b, beta, c);
    double u = Math.ulp(1f) / 2.0;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        double abs = 0;
        if (alpha != 0f) {
          for (int p = 0; p < kk; p++) {
            double t = (double) a.get(i, p) * b.get(p, j);
            s += t;
            abs += Math.abs(t);
          }
        }
        double bc = beta == 0f ? 0.0 : (double) beta * c0[i][j];
        double expect = alpha * s + bc;
        // alpha is folded into packed A (one more rounding), hence k + 4.
        double tol = (kk + 4) * u * Math.abs(alpha) * abs + 4 * u * Math.abs(bc) + Float.MIN_NORMAL;
        double got = c.get(i, j);
        if (!(Math.abs(got - expect) <= tol)) {
          fail(what + ": C(" + i + ", " + j + ") = " + got + ", expected " + expect + " +- " + tol);
        }
      }
    }
  }

  @Test
  void awkwardShapesAllTransposesAllProvidersF64() {
    Random rnd = new Random(1);
    for (DoubleKernels k : f64Providers()) {
      for (int m : DIMS) {
        for (int n : DIMS) {
          for (int kk : new int[] {0, 1, 9, 33}) {
            int combo = rnd.nextInt(4);
            boolean ta = (combo & 1) != 0;
            boolean tb = (combo & 2) != 0;
            DMatrix a = randomD(rnd, m, kk, ta, rnd.nextBoolean());
            DMatrix b = randomD(rnd, kk, n, tb, rnd.nextBoolean());
            DMatrix c = randomD(rnd, m, n, rnd.nextInt(5) == 0, rnd.nextBoolean());
            checkD(k, 1.5, a, b, -0.5, c, k.getClass().getSimpleName() + " m=" + m + " n=" + n + " k=" + kk
                + " tA=" + ta + " tB=" + tb);
          }
        }
      }
    }
  }

  @Test
  void everyTransposeCombinationAcrossBlockBoundariesF64() {
    Random rnd = new Random(2);
    // 257 crosses KC_F64 = 256, 200/257 rows cross the MC_F64 = 192 block, 3100 columns the NC_F64 = 3072 one.
    int[][] shapes = {{257, 129, 31}, {65, 17, 257}, {129, 257, 260}, {200, 13, 300}, {5, 3100, 3}};
    for (DoubleKernels k : f64Providers()) {
      for (int[] s : shapes) {
        for (int combo = 0; combo < 4; combo++) {
          boolean ta = (combo & 1) != 0;
          boolean tb = (combo & 2) != 0;
          DMatrix a = randomD(rnd, s[0], s[2], ta, combo == 1);
          DMatrix b = randomD(rnd, s[2], s[1], tb, combo == 2);
          DMatrix c = randomD(rnd, s[0], s[1], false, combo == 3);
          checkD(k, -1.25, a, b, 0.75, c, k.getClass().getSimpleName() + " " + s[0] + "x" + s[1] + "x" + s[2]
              + " tA=" + ta + " tB=" + tb);
        }
      }
    }
  }

  @Test
  void alphaBetaVariantsF64() {
    Random rnd = new Random(3);
    double[][] ab = {{1, 0}, {1, 1}, {-2, 3}, {0.5, -1}, {0, 2}, {0, 0}};
    for (DoubleKernels k : f64Providers()) {
      for (double[] x : ab) {
        DMatrix a = randomD(rnd, 33, 17, false, false);
        DMatrix b = randomD(rnd, 17, 31, true, false);
        DMatrix c = randomD(rnd, 33, 31, false, true);
        checkD(k, x[0], a, b, x[1], c, "alpha=" + x[0] + " beta=" + x[1]);
      }
    }
  }

  @Test
  void betaZeroOverwritesNanAndAlphaZeroDoesNotReadAB() {
    for (DoubleKernels k : f64Providers()) {
      DMatrix a = DMatrix.identity(9);
      DMatrix c = DMatrix.zeros(9, 9);
      c.fill(Double.NaN);
      Gemm.gemm(k, 2.0, a, a, 0.0, c);
      for (int i = 0; i < 9; i++) {
        for (int j = 0; j < 9; j++) {
          assertEquals(i == j ? 2.0 : 0.0, c.get(i, j), 0.0);
        }
      }
      DMatrix nan = DMatrix.zeros(9, 9);
      nan.fill(Double.NaN);
      Gemm.gemm(k, 0.0, nan, nan, 0.5, c);
      assertEquals(1.0, c.get(3, 3), 0.0);
      assertEquals(0.0, c.get(3, 4), 0.0);
    }
    for (FloatKernels k : f32Providers()) {
      FMatrix c = FMatrix.zeros(17, 5);
      c.fill(Float.NaN);
      Gemm.gemm(k, 1f, FMatrix.identity(17), FMatrix.identity(17).view(0, 0, 17, 5), 0f, c);
      for (int i = 0; i < 17; i++) {
        for (int j = 0; j < 5; j++) {
          assertEquals(i == j ? 1f : 0f, c.get(i, j), 0f);
        }
      }
    }
  }

  @Test
  void awkwardShapesAllTransposesAllProvidersF32() {
    Random rnd = new Random(4);
    int[][] shapes = {{0, 5, 3}, {1, 1, 1}, {7, 9, 0}, {17, 33, 9}, {31, 65, 129}, {65, 17, 31}, {33, 31, 513},
        {129, 47, 65}, {257, 33, 17}, {3, 3100, 5}};
    for (FloatKernels k : f32Providers()) {
      for (int[] s : shapes) {
        for (int combo = 0; combo < 4; combo++) {
          boolean ta = (combo & 1) != 0;
          boolean tb = (combo & 2) != 0;
          FMatrix a = randomF(rnd, s[0], s[2], ta, combo == 3);
          FMatrix b = randomF(rnd, s[2], s[1], tb, combo == 0);
          FMatrix c = randomF(rnd, s[0], s[1], combo == 2, combo == 1);
          checkF(k, 0.75f, a, b, combo == 1 ? 0f : 1.5f, c, k.getClass().getSimpleName() + " " + s[0] + "x"
              + s[1] + "x" + s[2] + " tA=" + ta + " tB=" + tb);
        }
      }
    }
  }

  @Test
  void publicEntryAndMultiplyAgreeWithTheLoop() {
    Random rnd = new Random(5);
    DMatrix a = randomD(rnd, 65, 33, false, false);
    DMatrix b = randomD(rnd, 33, 9, true, false);
    DMatrix c = Gemm.multiply(a, b);
    DMatrix z = DMatrix.zeros(65, 9);
    checkD(KernelProvider.scalar().f64(), 1.0, a, b, 0.0, z, "reference");
    for (int i = 0; i < 65; i++) {
      for (int j = 0; j < 9; j++) {
        assertEquals(z.get(i, j), c.get(i, j), 1e-13);
      }
    }
    FMatrix fa = randomF(rnd, 17, 31, true, false);
    FMatrix fb = randomF(rnd, 31, 7, false, true);
    FMatrix fc = Gemm.multiply(fa, fb);
    FMatrix fz = FMatrix.zeros(17, 7);
    checkF(KernelProvider.scalar().f32(), 1f, fa, fb, 0f, fz, "reference");
    for (int i = 0; i < 17; i++) {
      for (int j = 0; j < 7; j++) {
        assertEquals(fz.get(i, j), fc.get(i, j), 1e-5f);
      }
    }
  }

  @Test
  void scalarAndSimdMicroKernelsAgreeOnOneTile() {
    // The micro-kernel contract directly: C += Apanel Bpanel on a full tile with ldc > mr.
    for (DoubleKernels k : f64Providers()) {
      int mr = k.gemmMr();
      int nr = k.gemmNr();
      assertTrue(mr > 0 && nr > 0);
      int kc = 13;
      int ldc = mr + 3;
      double[] pa = new double[kc * mr + 1];
      double[] pb = new double[kc * nr + 2];
      for (int i = 0; i < pa.length; i++) {
        pa[i] = (i % 7) - 3;
      }
      for (int i = 0; i < pb.length; i++) {
        pb[i] = (i % 5) - 2;
      }
      double[] c = new double[ldc * nr + 1];
      java.util.Arrays.fill(c, 1.0);
      k.gemmMicroKernel(kc, pa, 1, pb, 2, c, 1, ldc);
      for (int j = 0; j < nr; j++) {
        for (int i = 0; i < ldc; i++) {
          double expect = 1.0;
          if (i < mr) {
            for (int p = 0; p < kc; p++) {
              expect += pa[1 + p * mr + i] * pb[2 + p * nr + j];
            }
          }
          // Integer-valued products: exact in any order.
          assertEquals(expect, c[1 + i + j * ldc], 0.0, "tile (" + i + ", " + j + ")");
        }
      }
      assertEquals(1.0, c[0], 0.0);
    }
  }

  @Test
  void badShapesAndNullsAreRejectedWithTheirNames() {
    DMatrix a = DMatrix.zeros(3, 4);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Gemm.gemm(1.0, a, DMatrix.zeros(5, 2), 0.0,
            DMatrix.zeros(3, 2)));
    assertTrue(e.getMessage().contains("A is 3x4") && e.getMessage().contains("B is 5x2"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Gemm.gemm(1.0, a, DMatrix.zeros(4, 2), 0.0, DMatrix.zeros(3, 3)));
    e = assertThrows(IllegalArgumentException.class, () -> Gemm.multiply(null, a));
    assertTrue(e.getMessage().contains("A is null"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Gemm.gemm(1f, FMatrix.zeros(2, 2), FMatrix.zeros(2, 2), 0f, null));
    assertTrue(e.getMessage().contains("C is null"), e.getMessage());
  }
  @Test
  void threadedCallsAreBitwiseTheOneThreadCall() {
    Random rnd = new Random(41);
    // Shapes above Parallel.MIN_FLOPS, split by columns (wide C), by rows (tall C), with ragged last blocks.
    int[][] shapes = {{150, 310, 190}, {517, 131, 150}, {257, 257, 140}};
    for (int[] sh : shapes) {
      int m = sh[0];
      int n = sh[1];
      int kk = sh[2];
      assertTrue(2.0 * m * n * kk >= Parallel.MIN_FLOPS);
      for (int t = 0; t < 4; t++) {
        boolean ta = (t & 1) != 0;
        boolean tb = (t & 2) != 0;
        DMatrix a = randomD(rnd, m, kk, ta, true);
        DMatrix b = randomD(rnd, kk, n, tb, false);
        DMatrix c0 = randomD(rnd, m, n, false, true);
        DMatrix one = c0.copy();
        Gemm.gemm(0.75, a, b, -0.5, one);
        for (int threads = 2; threads <= 5; threads++) {
          DMatrix c = c0.copy();
          Gemm.gemm(0.75, a, b, -0.5, c, threads);
          for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
              assertEquals(one.get(i, j), c.get(i, j), 0.0, m + "x" + n + "x" + kk + " t" + t + " threads " + threads);
            }
          }
          // A transposed C (computed as C^T = op(B)^T op(A)^T, alpha folded into the other operand, so compared
          // with the one-thread call on the same transposed C).
          DMatrix oneT = c0.transpose().copy().transpose();
          Gemm.gemm(0.75, a, b, -0.5, oneT);
          DMatrix ct = c0.transpose().copy().transpose();
          Gemm.gemm(0.75, a, b, -0.5, ct, threads);
          for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
              assertEquals(oneT.get(i, j), ct.get(i, j), 0.0, "transposed C, threads " + threads);
            }
          }
        }
        FMatrix af = randomF(rnd, m, kk, ta, false);
        FMatrix bf = randomF(rnd, kk, n, tb, true);
        FMatrix oneF = FMatrix.zeros(m, n);
        Gemm.gemm(1f, af, bf, 0f, oneF);
        FMatrix cf = FMatrix.zeros(m, n);
        Gemm.gemm(1f, af, bf, 0f, cf, 3);
        for (int j = 0; j < n; j++) {
          for (int i = 0; i < m; i++) {
            assertEquals(oneF.get(i, j), cf.get(i, j), 0f);
          }
        }
      }
    }
  }

  @Test
  void splitCoversTheRangeInWholeTiles() {
    for (int len : new int[] {1, 11, 12, 13, 100, 1000}) {
      for (int parts = 1; parts <= 6; parts++) {
        int prev = Parallel.split(len, parts, 12, 0);
        assertEquals(0, prev);
        for (int q = 1; q <= parts; q++) {
          int next = Parallel.split(len, parts, 12, q);
          assertTrue(next >= prev && (next == len || next % 12 == 0), len + " " + parts + " " + q);
          prev = next;
        }
        assertEquals(len, prev);
      }
    }
    assertEquals(1, Gemm.parts(8, 100, 100, 100, 16, 12)); // 2e6 flops: below the threshold
    assertEquals(2, Gemm.parts(2, 1000, 1000, 1000, 16, 12));
    assertEquals(8, Gemm.parts(8, 4000, 10, 4000, 16, 12)); // tall C: 250 row tiles
    assertEquals(3, Gemm.parts(8, 10, 30, 100000, 16, 12)); // wide C with only 3 column tiles
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Gemm.gemm(1.0, DMatrix.zeros(2, 2), DMatrix.zeros(2, 2), 0.0, DMatrix.zeros(2, 2), 0));
    assertTrue(e.getMessage().contains("threads"), e.getMessage());
  }
}
