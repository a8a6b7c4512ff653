package dev.cartan.kernels.svd;

import static dev.cartan.kernels.svd.SvdTestSupport.EPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.kernels.DMatrix;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The contract every float64 SVD implementation meets (STYLE.md): each case ends with finiteness, ordering,
 * orthogonality of U and V, reconstruction {@code ||A - U S V^T||_F / ||A||_F <= 1e-14}, agreement of the
 * values-only run with the vectors run, and a comparison of the values with values known from the
 * construction. Implementations extend this class and supply {@link #svd}; those with relative accuracy say so
 * in {@link #relativeAccuracy()} and are then held to relative tolerances on graded matrices.
 */
public abstract class SvdChecks {
  static final double ORTHO_TOL = 1e-13;
  static final double RECON_TOL = 1e-14;

  /** The implementation under test: thin SVD of {@code a}; must not modify {@code a}. */
  protected abstract SvdResult svd(DMatrix a, boolean wantVectors);

  /** True if the implementation promises relative accuracy for column-graded, well-conditioned factors. */
  protected abstract boolean relativeAccuracy();

  /** Runs both modes, checks the contract, returns the vectors run. */
  protected SvdResult checked(DMatrix a) {
    DMatrix before = a.copy();
    SvdResult r = svd(a, true);
    SvdResult vo = svd(a, false);
    assertTrue(Arrays.deepEquals(before.toRows(), a.toRows()), "input modified");
    int m = a.rows();
    int n = a.cols();
    int k = Math.min(m, n);
    double[] s = r.values();
    assertEquals(k, s.length, "number of values");
    assertEquals(k, vo.values().length, "number of values (values only)");
    assertTrue(r.converged(), "not converged");
    if (relativeAccuracy()) {
      assertNotNull(r.relativeError(), "relative error estimates");
    }
    for (int i = 0; i < k; i++) {
      assertTrue(Double.isFinite(s[i]) && s[i] >= 0, "value " + i + " = " + s[i]);
      if (i > 0) {
        assertTrue(s[i] <= s[i - 1], "values not descending at " + i + ": " + Arrays.toString(s));
      }
      double tol = 4 * Math.sqrt(Math.max(m, n)) * EPS * (k == 0 ? 0 : s[0]);
      assertTrue(Math.abs(vo.values()[i] - s[i]) <= tol,
          "values-only run differs at " + i + ": " + vo.values()[i] + " vs " + s[i]);
    }
    assertEquals(m, r.u().rows());
    assertEquals(k, r.u().cols());
    assertEquals(n, r.v().rows());
    assertEquals(k, r.v().cols());
    assertTrue(SvdTestSupport.orthogonalityError(r.u()) <= ORTHO_TOL,
        "U^T U - I = " + SvdTestSupport.orthogonalityError(r.u()));
    assertTrue(SvdTestSupport.orthogonalityError(r.v()) <= ORTHO_TOL,
        "V^T V - I = " + SvdTestSupport.orthogonalityError(r.v()));
    double rec = SvdTestSupport.reconstructionError(a, s, r.u(), r.v());
    assertTrue(rec <= RECON_TOL, "||A - U S V^T|| / ||A|| = " + rec + " for " + m + "x" + n);
    return r;
  }

  /** Checks the contract and compares the values with {@code expected} (any order; sorted here). */
  protected void checkedWithValues(DMatrix a, double[] expected, boolean graded) {
    SvdResult r = checked(a);
    double[] e = expected.clone();
    Arrays.sort(e);
    int k = e.length;
    double s1 = k == 0 ? 0 : e[k - 1];
    double absTol = 10 * Math.sqrt(Math.max(a.rows(), a.cols())) * EPS * s1;
    for (int i = 0; i < k; i++) {
      double want = e[k - 1 - i];
      double got = r.values()[i];
      double err = Math.abs(got - want);
      if (graded && relativeAccuracy()) {
        assertTrue(err <= 10 * Math.max(a.rows(), a.cols()) * EPS * want,
            "value " + i + ": " + got + " vs " + want + " (relative " + err / want + ")");
      } else {
        assertTrue(err <= absTol, "value " + i + ": " + got + " vs " + want);
      }
    }
  }

  /** {@code H D}: a Sylvester-Hadamard matrix scaled to be exactly orthogonal ({@code n = 4^j}) times D. */
  static DMatrix hadamardTimes(int n, double[] d, Random rnd) {
    int[] rowPerm = shuffled(n, rnd);
    double scale = 1.0 / Math.sqrt(n);
    DMatrix a = DMatrix.zeros(n, d.length);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d.length; j++) {
        int sign = Integer.bitCount(rowPerm[i] & j) % 2 == 0 ? 1 : -1;
        a.set(i, j, sign * scale * d[j]);
      }
    }
    return a;
  }

  static int[] shuffled(int n, Random rnd) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  @Test
  void zeroShapes() {
    for (int[] shape : new int[][] {{0, 0}, {0, 5}, {5, 0}}) {
      SvdResult r = svd(DMatrix.zeros(shape[0], shape[1]), true);
      assertEquals(0, r.values().length);
      assertEquals(shape[0], r.u().rows());
      assertEquals(0, r.u().cols());
      assertEquals(shape[1], r.v().rows());
      assertEquals(0, r.v().cols());
      assertTrue(r.converged());
    }
  }

  @Test
  void oneByOne() {
    SvdResult r = checked(DMatrix.fromRows(new double[][] {{-3.0}}));
    assertEquals(3.0, r.values()[0]);
    assertEquals(-3.0, r.u().get(0, 0) * r.values()[0] * r.v().get(0, 0), 1e-15);
  }

  @Test
  void everyShapeUpToNine() {
    Random rnd = new Random(11);
    for (int m = 1; m <= 9; m++) {
      for (int n = 1; n <= 9; n++) {
        int k = Math.min(m, n);
        double[] s = new double[k];
        for (int i = 0; i < k; i++) {
          s[i] = 1.0 + rnd.nextDouble() * 9.0;
        }
        checkedWithValues(SvdTestSupport.withValues(rnd, m, n, s), s, false);
        checked(SvdTestSupport.gaussian(rnd, m, n));
      }
    }
  }

  @Test
  void zeroMatrix() {
    for (int[] shape : new int[][] {{1, 1}, {4, 6}, {7, 3}, {1, 5}, {5, 1}}) {
      SvdResult r = checked(DMatrix.zeros(shape[0], shape[1]));
      for (double v : r.values()) {
        assertEquals(0.0, v);
      }
    }
  }

  @Test
  void identity() {
    for (int[] shape : new int[][] {{5, 5}, {7, 4}, {4, 7}, {1, 1}}) {
      DMatrix a = DMatrix.zeros(shape[0], shape[1]);
      for (int i = 0; i < Math.min(shape[0], shape[1]); i++) {
        a.set(i, i, 1.0);
      }
      SvdResult r = checked(a);
      for (double v : r.values()) {
        assertEquals(1.0, v, 4 * EPS);
      }
    }
  }

  @Test
  void tinyAndHugeScale() {
    Random rnd = new Random(12);
    for (int[] shape : new int[][] {{8, 6}, {6, 8}, {1, 9}, {9, 1}, {9, 9}}) {
      DMatrix g = SvdTestSupport.gaussian(rnd, shape[0], shape[1]);
      double[] ref = svd(g, false).values();
      for (int e : new int[] {-1000, -990, 990, 1015}) {
        DMatrix a = DMatrix.zeros(shape[0], shape[1]);
        for (int j = 0; j < shape[1]; j++) {
          for (int i = 0; i < shape[0]; i++) {
            a.set(i, j, Math.scalb(g.get(i, j), e));
          }
        }
        double[] expected = new double[ref.length];
        for (int i = 0; i < ref.length; i++) {
          expected[i] = Math.scalb(ref[i], e);
        }
        SvdResult r = checked(a);
        for (int i = 0; i < ref.length; i++) {
          assertEquals(expected[i], r.values()[i], 1e-14 * expected[0], "scale 2^" + e + " value " + i);
        }
      }
    }
  }

  @Test
  void gradedColumns() {
    Random rnd = new Random(13);
    for (int[] shape : new int[][] {{16, 16}, {64, 9}, {16, 5}}) {
      int n = shape[1];
      double[] d = new double[n];
      for (int j = 0; j < n; j++) {
        d[j] = Math.pow(10.0, -12.0 * j / Math.max(1, n - 1));
      }
      int[] p = shuffled(n, rnd);
      double[] dp = new double[n];
      for (int j = 0; j < n; j++) {
        dp[j] = d[p[j]];
      }
      DMatrix a = hadamardTimes(shape[0], dp, rnd);
      checkedWithValues(a, d, true);
      checkedWithValues(a.transpose().copy(), d, true);
    }
  }

  @Test
  void rankDeficient() {
    Random rnd = new Random(14);
    for (int[] shape : new int[][] {{9, 7, 3}, {7, 9, 2}, {12, 12, 5}, {6, 6, 1}}) {
      int m = shape[0];
      int n = shape[1];
      int rank = shape[2];
      DMatrix a = DMatrix.zeros(m, n);
      int[][] x = new int[m][rank];
      int[][] y = new int[n][rank];
      for (int l = 0; l < rank; l++) {
        for (int i = 0; i < m; i++) {
          x[i][l] = rnd.nextInt(7) - 3;
        }
        for (int j = 0; j < n; j++) {
          y[j][l] = rnd.nextInt(7) - 3;
        }
      }
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          int t = 0;
          for (int l = 0; l < rank; l++) {
            t += x[i][l] * y[j][l];
          }
          a.set(i, j, t);
        }
      }
      SvdResult r = checked(a);
      for (int i = rank; i < r.values().length; i++) {
        assertTrue(r.values()[i] <= 10 * Math.sqrt(Math.max(m, n)) * EPS * r.values()[0],
            "value " + i + " of a rank-" + rank + " matrix: " + r.values()[i]);
      }
    }
  }

  @Test
  void repeatedValues() {
    Random rnd = new Random(15);
    double[] s = {2, 2, 2, 1, 1, 0.5, 0.5};
    checkedWithValues(SvdTestSupport.withValues(rnd, 9, 7, s), s, false);
    checkedWithValues(SvdTestSupport.withValues(rnd, 7, 9, s), s, false);
    double[] ones = {1, 1, 1, 1, 1, 1};
    checkedWithValues(SvdTestSupport.withValues(rnd, 6, 6, ones), ones, false);
  }

  @Test
  void wideAndTall() {
    Random rnd = new Random(16);
    for (int[] shape : new int[][] {{5, 40}, {40, 5}, {1, 60}, {60, 1}, {33, 31}, {31, 33}}) {
      int k = Math.min(shape[0], shape[1]);
      double[] s = new double[k];
      for (int i = 0; i < k; i++) {
        s[i] = Math.pow(2.0, -i / 3.0);
      }
      checkedWithValues(SvdTestSupport.withValues(rnd, shape[0], shape[1], s), s, false);
    }
  }

  @Test
  void rejectsNonFiniteInput() {
    DMatrix a = DMatrix.zeros(3, 3);
    a.set(1, 2, Double.NaN);
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> svd(a, true));
    assertTrue(e.getMessage().contains("(1, 2)"), e.getMessage());
    a.set(1, 2, Double.NEGATIVE_INFINITY);
    assertFalse(
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> svd(a, false))
            .getMessage().isEmpty());
  }
}
