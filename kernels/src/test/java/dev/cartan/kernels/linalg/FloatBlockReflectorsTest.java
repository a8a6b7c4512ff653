package dev.cartan.kernels.linalg;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.FMatrix;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link FloatBlockReflectors} against the independent one-at-a-time loop of {@link NaiveReflectors} run in float64
 * on the same (widened) float32 reflectors and C, both left cases, on odd shapes including k = 1 and m = k, and with
 * the reflectors given as rows through a transposed view. The
 * panel sits in a NaN-filled array with NaN on and above its diagonal, so a read outside the reflectors shows.
 * Runs under whichever provider the surefire execution selected (SIMD and scalar runs).
 *
 * <p>Tolerance: the float32 computation is backward stable with unit roundoff {@code u = 2^-24}; the reflectors
 * with {@code tau} rounded to float32 are orthogonal to {@code O(u)}; so the result is within
 * {@code c (m + k) u ||C||_F} of the float64 one (Higham, 2nd ed., section 19.3), checked with {@code c = 8}.
 */
class FloatBlockReflectorsTest {
  private static final double U = 0x1p-24;

  @Test
  void matchesTheFloat64LoopOnOddShapes() {
    int[][] shapes = {{1, 1, 1}, {5, 1, 3}, {7, 3, 1}, {9, 9, 4}, {33, 8, 31}, {65, 17, 9}, {129, 32, 70}};
    long seed = 1;
    for (int[] s : shapes) {
      int m = s[0];
      int k = s[1];
      int n = s[2];
      Random rnd = new Random(seed++);
      FMatrix big = FMatrix.zeros(m + 3, k + 2);
      big.fill(Float.NaN);
      FMatrix p = big.view(1, 2, m, k);
      float[] tau = new float[k];
      DMatrix pw = randomReflectors(rnd, p, tau);
      FloatBlockReflectors h = new FloatBlockReflectors().load(p, tau, 0);
      for (boolean transpose : new boolean[] {false, true}) {
        checkApplied(rnd, h, pw, tau, n, transpose, m + "x" + k + " n=" + n + " transpose=" + transpose);
      }
    }
  }

  /**
   * Row reflectors given as a transposed view (as the bidiagonalization's right reflectors are) act as the same
   * reflectors given in a plain panel; the transposed storage's NaN on and left of its diagonal must not be read.
   */
  @Test
  void transposedPanelHoldsRowReflectors() {
    int m = 40;
    int k = 6;
    Random rnd = new Random(99);
    FMatrix p = FMatrix.zeros(m, k);
    p.fill(Float.NaN);
    float[] tau = new float[k];
    DMatrix pw = randomReflectors(rnd, p, tau);
    FMatrix rows = p.transpose().copy(); // reflector j in row j, from column j + 1
    FloatBlockReflectors h = new FloatBlockReflectors().load(rows.transpose(), tau, 0);
    checkApplied(rnd, h, pw, tau, 5, false, "transposed panel");
  }

  /**
   * Fills the strict lower part of {@code p} ({@code m x k}) with uniform entries in (-1, 1) and {@code tau} with
   * {@code 2 / ||v_j||^2} (so each reflector is exactly orthogonal in float64); returns the widened panel.
   */
  private static DMatrix randomReflectors(Random rnd, FMatrix p, float[] tau) {
    int m = p.rows();
    int k = p.cols();
    DMatrix pw = DMatrix.zeros(m, k);
    for (int j = 0; j < k; j++) {
      double ss = 1.0;
      for (int i = j + 1; i < m; i++) {
        float x = (float) (rnd.nextDouble() * 2 - 1);
        p.set(i, j, x);
        pw.set(i, j, x);
        ss += (double) x * x;
      }
      tau[j] = (float) (2.0 / ss);
    }
    return pw;
  }

  /** Applies h to a Gaussian {@code m x n} C and compares with {@link NaiveReflectors} in float64 (class bound). */
  private static void checkApplied(Random rnd, FloatBlockReflectors h, DMatrix pw, float[] tau, int n,
      boolean transpose, String what) {
    int m = pw.rows();
    int k = pw.cols();
    double[] tauWide = new double[k];
    for (int j = 0; j < k; j++) {
      tauWide[j] = tau[j];
    }
    FMatrix c = FMatrix.zeros(m, n);
    DMatrix cw = DMatrix.zeros(m, n);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        float x = (float) rnd.nextGaussian();
        c.set(i, j, x);
        cw.set(i, j, x);
      }
    }
    double[][] expected = NaiveReflectors.apply(pw, tauWide, k, cw.toRows(), false, transpose);
    h.applyLeft(c, transpose);
    double err = 0;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double d = c.get(i, j) - expected[i][j];
        err += d * d;
      }
    }
    err = Math.sqrt(err);
    double tol = 8 * (m + k) * U * cw.frobeniusNorm();
    assertTrue(err <= tol, what + ": " + err + " > " + tol);
  }

  @Test
  void rejectsBadArguments() {
    float[] tau = new float[3];
    FloatBlockReflectors h = new FloatBlockReflectors();
    assertThrows(IllegalArgumentException.class, () -> h.load(null, tau, 0));
    assertThrows(IllegalArgumentException.class, () -> h.load(FMatrix.zeros(4, 3), null, 0));
    assertThrows(IllegalArgumentException.class, () -> h.load(FMatrix.zeros(2, 3), tau, 0));
    assertThrows(IllegalArgumentException.class, () -> h.load(FMatrix.zeros(4, 3), tau, 1));
    assertThrows(IllegalArgumentException.class, () -> h.load(FMatrix.zeros(4, 2).transpose(), tau, 0));
    h.load(FMatrix.zeros(4, 3), tau, 0);
    assertThrows(IllegalArgumentException.class, () -> h.applyLeft(FMatrix.zeros(3, 2), false));
    assertThrows(IllegalArgumentException.class, () -> h.applyLeft(null, false));
  }
}
