package dev.cartan.kernels.svd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.FMatrix;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The native float32 vectors route ({@link BidiagonalSvd#compute(FMatrix, boolean, int)}: float32 QR,
 * bidiagonalization and back-transformations, float64 bidiagonal SVD) against mathematics and an independent
 * reference. Values: within {@code 10 max(m, n) u_f32 sigma_1} ({@code u_f32 = 2^-24}) of the float64 route's values
 * of the same (exactly widened) matrix, since a backward error of {@code c(m, n) u_f32 ||A||_2} moves each value by
 * at most that much (Weyl). Factors: {@code ||U^T U - I||_F}, {@code ||V^T V - I||_F} and
 * {@code ||A - U diag(s) V^T||_F / ||A||_F}, evaluated in float64 with plain loops ({@link SvdTestSupport}) on the
 * widened float32 factors, within {@code 8 max(m, n) u_f32}: of order {@code n u_f32}, with room for the
 * constant.
 *
 * <p>Shapes cover the back-transformations' one-at-a-time path (fewer than {@link Bidiagonalization#WY_MIN}
 * reflectors) and the blocked one, the reduction's unblocked path (n at most the crossover 128) and its panels
 * (n = 200, 257), the QR-first rule ({@code 6 m >= 11 n}) on both sides, wide inputs (the transpose), 1 x 1, 1 x n and
 * n x 1, thin and full. Both providers' primitives run in one JVM; the GEMMs run on the provider the surefire
 * execution selected.
 */
class FloatVectorsSvdTest {
  private static final double U = 0x1p-24;

  private static final int[][] SHAPES = {
    {1, 1}, {1, 6}, {6, 1}, {2, 3}, {3, 2}, {20, 20}, {31, 25}, {40, 40}, {33, 70}, {150, 100}, {300, 100},
    {100, 300}, {200, 200}, {333, 257}, {257, 333}
  };

  /** Gaussian entries times {@code 2^exp}, rounded to float32. */
  private static FMatrix gaussian(int m, int n, int exp, long seed) {
    Random rnd = new Random(seed);
    FMatrix f = FMatrix.zeros(m, n);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        f.set(i, j, (float) Math.scalb(rnd.nextGaussian(), exp));
      }
    }
    return f;
  }

  /**
   * Checks r against the float64 route's values of the same matrix and the orthogonality and reconstruction
   * identities; returns the largest value error in units of {@code max(m, n) u_f32 sigma_1}.
   */
  private static double check(FMatrix f, FloatSvdResult r, boolean full, String what) {
    int m = f.rows();
    int n = f.cols();
    int k = Math.min(m, n);
    DMatrix a = f.toDouble();
    double[] ref = BidiagonalSvd.decompose(a, false).values();
    double[] s = r.values();
    assertTrue(r.converged(), what + ": not converged");
    assertEquals(k, s.length, what);
    double unit = Math.max(m, n) * U * ref[0];
    double worst = 0;
    for (int i = 0; i < k; i++) {
      assertTrue(Double.isFinite(s[i]) && s[i] >= 0, what + ": value " + i + " = " + s[i]);
      assertEquals(ref[i], s[i], 10 * unit, what + ": value " + i);
      if (i > 0) {
        assertTrue(s[i] <= s[i - 1], what + ": not descending at " + i);
      }
      worst = Math.max(worst, unit == 0 ? 0 : Math.abs(ref[i] - s[i]) / unit);
    }
    assertEquals(m, r.u().rows(), what + ": U rows");
    assertEquals(full ? m : k, r.u().cols(), what + ": U cols");
    assertEquals(n, r.v().rows(), what + ": V rows");
    assertEquals(full ? n : k, r.v().cols(), what + ": V cols");
    DMatrix u = r.u().toDouble();
    DMatrix v = r.v().toDouble();
    double tol = 8 * Math.max(m, n) * U;
    double ou = SvdTestSupport.orthogonalityError(u);
    double ov = SvdTestSupport.orthogonalityError(v);
    double rec = SvdTestSupport.reconstructionError(a, s, u, v);
    assertTrue(ou <= tol, what + ": ||U^T U - I|| = " + ou + " > " + tol);
    assertTrue(ov <= tol, what + ": ||V^T V - I|| = " + ov + " > " + tol);
    assertTrue(rec <= tol, what + ": ||A - U S V^T|| / ||A|| = " + rec + " > " + tol);
    return worst;
  }

  @Test
  void gaussianShapesThinAndFullOnBothProviders() {
    long seed = 1;
    double worst = 0;
    for (BidiagonalSvd svd : FloatTwoStageValuesTest.instances()) {
      for (int[] sh : SHAPES) {
        FMatrix f = gaussian(sh[0], sh[1], 0, seed++);
        for (boolean full : new boolean[] {false, true}) {
          String what = sh[0] + "x" + sh[1] + (full ? " full " : " thin ") + svd;
          worst = Math.max(worst, check(f, svd.compute(f, full, 1), full, what));
        }
      }
    }
    // The float32 route must differ from the float64 one: a worst error of exactly 0 would mean it still widens.
    assertTrue(worst > 0, "float32 values equal the float64 ones bit for bit");
  }

  @Test
  void tinyAndHugeEntriesScaleBackWithoutOverflow() {
    // 2^-100 ~ 7.9e-31 and 2^100 ~ 1.3e30: outside sgesdd's safe range [9.1e-13, 1.1e12], inside float32's.
    long seed = 100;
    for (int exp : new int[] {-100, 100}) {
      for (int[] sh : new int[][] {{1, 1}, {7, 5}, {60, 60}, {300, 100}, {90, 200}}) {
        FMatrix f = gaussian(sh[0], sh[1], exp, seed++);
        String what = sh[0] + "x" + sh[1] + " 2^" + exp;
        FloatSvdResult r = BidiagonalSvd.decompose(f, false);
        check(f, r, false, what);
        // sum s_i^2 = ||A||_F^2: the values came back to the input's scale (evaluated scaled, so nothing overflows).
        double sum = 0;
        for (double x : r.values()) {
          sum += Math.scalb(x, -exp) * Math.scalb(x, -exp);
        }
        double fro = Math.scalb(f.toDouble().frobeniusNorm(), -exp);
        assertEquals(fro, Math.sqrt(sum), 10 * Math.max(sh[0], sh[1]) * U * fro, what + ": sqrt(sum s_i^2)");
      }
    }
  }

  @Test
  void gradedSingularValues() {
    Random rnd = new Random(7);
    for (int[] sh : new int[][] {{120, 80}, {80, 120}, {260, 140}}) {
      int k = Math.min(sh[0], sh[1]);
      double[] sv = new double[k];
      for (int i = 0; i < k; i++) {
        sv[i] = Math.pow(10, -6.0 * i / (k - 1));
      }
      FMatrix f = SvdTestSupport.withValues(rnd, sh[0], sh[1], sv).toFloat();
      for (boolean full : new boolean[] {false, true}) {
        check(f, new BidiagonalSvd().compute(f, full, 1), full, sh[0] + "x" + sh[1] + " graded");
      }
    }
  }

  @Test
  void twoThreadsAgreeWithOneToRounding() {
    long seed = 31;
    for (int[] sh : new int[][] {{1200, 300}, {500, 500}, {300, 700}}) {
      FMatrix f = gaussian(sh[0], sh[1], 0, seed++);
      FloatSvdResult one = new BidiagonalSvd().compute(f, false, 1);
      FloatSvdResult two = new BidiagonalSvd().compute(f, false, 2);
      String what = sh[0] + "x" + sh[1] + " on 2 threads";
      double tol = 10 * Math.max(sh[0], sh[1]) * U * one.values()[0];
      for (int i = 0; i < one.values().length; i++) {
        assertEquals(one.values()[i], two.values()[i], tol, what + ": value " + i);
      }
      check(f, two, false, what);
    }
  }

  @Test
  void facadeFastVectorsTakeTheFloat32Route() {
    FMatrix f = gaussian(90, 40, 0, 77);
    SvdOptions thin = SvdOptions.thin().withMethod(SvdOptions.Method.FAST);
    FloatSvdResult r = Svd.decompose(f, thin);
    assertEquals(BidiagonalSvd.METHOD, r.method());
    check(f, r, false, "facade thin");
    FloatSvdResult full = Svd.decompose(f, new SvdOptions(SvdOptions.Method.FAST, SvdOptions.Vectors.FULL, 2));
    check(f, full, true, "facade full on 2 threads");
    FloatSvdResult wide = Svd.decompose(f.transpose().copy(), thin);
    check(f.transpose().copy(), wide, false, "facade wide");
    // The float32 route's values differ from the float64 route's somewhere (to rounding), as in the class test.
    double[] ref = BidiagonalSvd.decompose(f.toDouble(), false).values();
    boolean differs = false;
    for (int i = 0; i < ref.length; i++) {
      differs |= ref[i] != r.values()[i];
    }
    assertTrue(differs, "facade FAST vectors still widen to float64");
    assertNull(Svd.decompose(f, SvdOptions.valuesOnly().withMethod(SvdOptions.Method.FAST)).u());
  }

  @Test
  void rejectsNullEmptyAndNonFiniteInputNamingMatrixA() {
    FMatrix nan = gaussian(4, 3, 0, 5);
    nan.set(2, 1, Float.NaN);
    FMatrix inf = gaussian(3, 4, 0, 6);
    inf.set(0, 3, Float.NEGATIVE_INFINITY);
    for (FMatrix bad : new FMatrix[] {null, FMatrix.zeros(0, 3), FMatrix.zeros(3, 0), nan, inf}) {
      for (boolean full : new boolean[] {false, true}) {
        IllegalArgumentException x =
            assertThrows(IllegalArgumentException.class, () -> new BidiagonalSvd().compute(bad, full, 1));
        assertTrue(x.getMessage().contains("matrix A"), x.getMessage());
        x = assertThrows(IllegalArgumentException.class, () -> BidiagonalSvd.decompose(bad, full));
        assertTrue(x.getMessage().contains("matrix A"), x.getMessage());
      }
    }
    for (FMatrix bad : new FMatrix[] {null, nan, inf}) {
      IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
          () -> Svd.decompose(bad, SvdOptions.thin().withMethod(SvdOptions.Method.FAST)));
      assertTrue(x.getMessage().contains("matrix A"), x.getMessage());
    }
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
        () -> new BidiagonalSvd().compute(gaussian(5, 4, 0, 3), false, 0));
    assertTrue(x.getMessage().contains("threads"), x.getMessage());
  }
}
