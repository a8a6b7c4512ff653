package dev.cartan.kernels.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.kernels.DMatrix;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link BlockReflectors} against applying the k reflectors one at a time by an independent loop over
 * {@code get}/{@code set} ({@link NaiveReflectors}: no kernels, no GEMM), in all four side/transpose cases, on odd
 * shapes, k = 0, k = 1 and m = k. Panels and C are views inside larger arrays filled with NaN, and the panel's
 * diagonal and upper triangle are NaN too: a read of anything outside the reflectors, or a write outside C, shows
 * up as NaN or a changed element. Runs under whichever provider the surefire execution selected (SIMD and scalar runs).
 *
 * <p>Tolerance: with {@code tau_i = 2 / |v_i|^2} every {@code H_i} is orthogonal, both computations are
 * backward stable, and each result differs from the exact one by at most {@code c (m + k) u ||C||_F} (Higham,
 * "Accuracy and Stability of Numerical Algorithms", 2nd ed., section 19.3); the check uses {@code c = 8}.
 */
class BlockReflectorsTest {
  private static final double EPS = Math.ulp(1.0);

  /** An m x k panel of random reflectors inside a NaN-filled array, NaN on and above its diagonal. */
  private static DMatrix panel(Random rnd, int m, int k, double[] tau) {
    DMatrix big = DMatrix.zeros(m + 3, k + 2);
    big.fill(Double.NaN);
    DMatrix p = big.view(1, 2, m, k);
    for (int j = 0; j < k; j++) {
      double ss = 1.0;
      for (int i = j + 1; i < m; i++) {
        double x = rnd.nextDouble() * 2 - 1;
        p.set(i, j, x);
        ss += x * x;
      }
      tau[j] = 2.0 / ss;
    }
    return p;
  }

  private static void check(int m, int k, int n, long seed) {
    Random rnd = new Random(seed);
    double[] tau = new double[k + 2];
    double[] t = new double[k];
    DMatrix p = panel(rnd, m, k, t);
    System.arraycopy(t, 0, tau, 1, k);
    if (k > 2) {
      tau[2] = 0.0; // H_1 = I
    }
    BlockReflectors h = new BlockReflectors().load(p, tau, 1);
    assertEquals(m, h.order());
    assertEquals(k, h.count());
    double[] tauUsed = java.util.Arrays.copyOfRange(tau, 1, k + 1);
    for (boolean right : new boolean[] {false, true}) {
      for (boolean transpose : new boolean[] {false, true}) {
        for (boolean transposedC : new boolean[] {false, true}) {
          DMatrix c = right ? NaiveReflectors.randomMatrix(rnd, n, m, transposedC)
              : NaiveReflectors.randomMatrix(rnd, m, n, transposedC);
          double norm = c.frobeniusNorm();
          double[][] expected = NaiveReflectors.apply(p, tauUsed, k, c.toRows(), right, transpose);
          if (right) {
            h.applyRight(c, transpose);
          } else {
            h.applyLeft(c, transpose);
          }
          String what = m + "x" + k + " reflectors, n=" + n + (right ? " right" : " left")
              + (transpose ? " transposed" : "") + (transposedC ? ", C a transposed view" : "");
          double tol = 8 * (m + k) * EPS * Math.max(norm, Double.MIN_NORMAL);
          double err = NaiveReflectors.distance(c.toRows(), expected);
          assertTrue(err <= tol, what + ": error " + err + " > " + tol);
          assertOutsideUntouched(c, what);
        }
      }
    }
  }

  /** The NaN frame around C (the rest of its backing array) is still NaN. */
  private static void assertOutsideUntouched(DMatrix c, String what) {
    DMatrix plain = c.isTransposed() ? c.transpose() : c;
    double[] d = plain.data();
    int inside = 0;
    for (double x : d) {
      if (!Double.isNaN(x)) {
        inside++;
      }
    }
    assertEquals((long) plain.rows() * plain.cols(), inside, what + ": elements outside C changed");
  }

  @Test
  void matchesNaiveOnOddShapes() {
    int[][] shapes = {
      {1, 1, 1}, {5, 1, 3}, {7, 3, 1}, {9, 9, 4}, {17, 5, 13}, {33, 8, 31}, {65, 17, 9}, {100, 31, 45},
      {129, 32, 7}, {200, 64, 33}, {31, 31, 65}
    };
    long seed = 1;
    for (int[] s : shapes) {
      check(s[0], s[1], s[2], seed++);
    }
  }

  @Test
  void emptyBlockAndEmptyC() {
    check(6, 0, 5, 11);
    check(0, 0, 3, 12);
    check(7, 4, 0, 13);
    BlockReflectors h = new BlockReflectors().load(DMatrix.zeros(4, 0), new double[0], 0);
    DMatrix c = DMatrix.identity(4);
    h.applyLeft(c, false);
    h.applyRight(c, true);
    assertEquals(0.0, c.copy().frobeniusNorm() - 2.0, 0.0);
  }

  /** T is upper triangular with tau on its diagonal, and I - V T V^T equals the product of the reflectors. */
  @Test
  void triangularFactor() {
    Random rnd = new Random(21);
    int m = 12;
    int k = 5;
    double[] tau = new double[k];
    DMatrix p = panel(rnd, m, k, tau);
    DMatrix t = new BlockReflectors().load(p, tau, 0).t();
    for (int j = 0; j < k; j++) {
      assertEquals(tau[j], t.get(j, j), 0.0);
      for (int i = j + 1; i < k; i++) {
        assertEquals(0.0, t.get(i, j), 0.0);
      }
    }
    // k = 2 in closed form: T(0, 1) = -tau_0 tau_1 v_0^T v_1.
    DMatrix t2 = new BlockReflectors().load(p.view(0, 0, m, 2), tau, 0).t();
    double dot = 0.0;
    double[] v0 = NaiveReflectors.vector(p, 0);
    double[] v1 = NaiveReflectors.vector(p, 1);
    for (int i = 0; i < m; i++) {
      dot += v0[i] * v1[i];
    }
    assertEquals(-tau[0] * tau[1] * dot, t2.get(0, 1), 1e-14 * Math.abs(tau[0] * tau[1]) * m);
    // The same panel read through a transposed view gives the same T.
    DMatrix store = DMatrix.zeros(k, m);
    store.fill(Double.NaN);
    for (int j = 0; j < k; j++) {
      for (int i = j + 1; i < m; i++) {
        store.set(j, i, p.get(i, j));
      }
    }
    DMatrix tt = new BlockReflectors().load(store.transpose(), tau, 0).t();
    for (int j = 0; j < k; j++) {
      for (int i = 0; i < k; i++) {
        assertEquals(t.get(i, j), tt.get(i, j), 0.0);
      }
    }
  }

  /** Reuse: a larger block, then a smaller one, in the same instance give the same as fresh instances. */
  @Test
  void reuseAcrossSizes() {
    Random rnd = new Random(31);
    BlockReflectors h = new BlockReflectors();
    for (int[] s : new int[][] {{40, 12, 20}, {9, 3, 50}, {60, 20, 5}}) {
      double[] tau = new double[s[1]];
      DMatrix p = panel(rnd, s[0], s[1], tau);
      DMatrix c = NaiveReflectors.randomMatrix(rnd, s[0], s[2], false);
      DMatrix c2 = c.copy();
      h.load(p, tau, 0).applyLeft(c, true);
      new BlockReflectors().load(p, tau, 0).applyLeft(c2, true);
      for (int j = 0; j < c.cols(); j++) {
        for (int i = 0; i < c.rows(); i++) {
          assertEquals(c2.get(i, j), c.get(i, j), 0.0);
        }
      }
    }
  }

  @Test
  void rejectsBadArguments() {
    BlockReflectors h = new BlockReflectors();
    assertThrows(IllegalArgumentException.class, () -> h.load(null, new double[1], 0));
    assertThrows(IllegalArgumentException.class, () -> h.load(DMatrix.zeros(3, 1), null, 0));
    IllegalArgumentException wide =
        assertThrows(IllegalArgumentException.class, () -> h.load(DMatrix.zeros(2, 3), new double[3], 0));
    assertTrue(wide.getMessage().contains("m >= k"), wide.getMessage());
    assertThrows(IllegalArgumentException.class, () -> h.load(DMatrix.zeros(4, 3), new double[3], 1));
    h.load(DMatrix.zeros(4, 2), new double[2], 0);
    assertThrows(IllegalArgumentException.class, () -> h.applyLeft(DMatrix.zeros(3, 4), false));
    assertThrows(IllegalArgumentException.class, () -> h.applyRight(DMatrix.zeros(4, 3), false));
    assertThrows(IllegalArgumentException.class, () -> h.applyLeft(null, false));
  }
}
