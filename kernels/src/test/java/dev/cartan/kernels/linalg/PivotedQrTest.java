package dev.cartan.kernels.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.DoubleKernels;
import dev.cartan.kernels.KernelProvider;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PivotedQr}: {@code A P = Q R} with Q from the independent reflector loop ({@link NaiveReflectors}), the
 * pivoting property {@code |r_ii|^2 >= sum_{l=i..j} r_lj^2} for every {@code j > i} (each pivot had the largest
 * remaining norm), and the blocked code choosing the unblocked code's pivots with the same R up to rounding, on
 * random, wide, rank-deficient and nearly-parallel-column matrices (the last make the norm downdates cancel, so the
 * recomputation safeguard runs and ends blocks early). Blockings from 2 to 8 steps run the blocked path on small
 * shapes; the panels run on the scalar and, when present, SIMD primitives in one JVM.
 *
 * <p>Tolerances: Householder QR with pivoting is normwise backward stable like the unpivoted one (Higham,
 * "Accuracy and Stability of Numerical Algorithms", 2nd ed., section 19.5): {@code 4 (m + n) u ||A||_F}.
 */
class PivotedQrTest {
  private static final double EPS = Math.ulp(1.0);
  private static final int[][] BLOCKINGS = {{1, 0}, {2, 0}, {3, 1}, {4, 2}, {8, 0}, {32, 64}};

  /** Columns u + 1e-9 r_j: after the first step every remaining norm falls by 9 digits. */
  private static DMatrix nearlyParallel(Random rnd, int m, int n) {
    DMatrix a = NaiveReflectors.randomMatrix(rnd, m, n, false);
    double[] u = new double[m];
    for (int i = 0; i < m; i++) {
      u[i] = rnd.nextGaussian();
    }
    for (int j = 0; j < n; j++) {
      double s = 1.0 + 0.01 * j;
      for (int i = 0; i < m; i++) {
        a.set(i, j, s * u[i] + 1e-9 * a.get(i, j));
      }
    }
    return a;
  }

  /** Rank 3 plus columns of very different scales. */
  private static DMatrix rankDeficient(Random rnd, int m, int n) {
    DMatrix a = DMatrix.zeros(m, n);
    for (int r = 0; r < 3; r++) {
      double[] x = new double[m];
      double[] y = new double[n];
      for (int i = 0; i < m; i++) {
        x[i] = rnd.nextGaussian();
      }
      for (int j = 0; j < n; j++) {
        y[j] = rnd.nextGaussian() * Math.pow(10, -(j % 5));
      }
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < m; i++) {
          a.set(i, j, a.get(i, j) + x[i] * y[j]);
        }
      }
    }
    return a;
  }

  /** Factors a copy and checks A P = Q R and the pivoting property; returns the factored copy. */
  private static DMatrix check(DoubleKernels k, DMatrix a, int nb, int nx, double[] tau, int[] perm, String what) {
    int m = a.rows();
    int n = a.cols();
    DMatrix f = a.copy();
    PivotedQr.factor(k, f, tau, perm, nb, nx);
    int kr = Math.min(m, n);
    boolean[] seen = new boolean[n];
    for (int j = 0; j < n; j++) {
      assertTrue(perm[j] >= 0 && perm[j] < n && !seen[perm[j]], what + ": perm is not a permutation");
      seen[perm[j]] = true;
    }
    double[][] r = new double[m][n];
    for (int i = 0; i < kr; i++) {
      for (int j = i; j < n; j++) {
        r[i][j] = f.get(i, j);
      }
    }
    double[][] qr = NaiveReflectors.apply(f, tau, kr, r, false, false);
    double[][] ap = new double[m][n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        ap[i][j] = a.get(i, perm[j]);
      }
    }
    double norm = a.frobeniusNorm();
    double tol = 4 * (m + n) * EPS;
    double resid = NaiveReflectors.distance(qr, ap);
    assertTrue(resid <= tol * norm, what + ": ||A P - Q R|| = " + resid + " > " + tol * norm);
    for (int i = 0; i < kr; i++) {
      double rii = r[i][i] * r[i][i];
      for (int j = i + 1; j < n; j++) {
        double s = 0.0;
        for (int l = i; l <= Math.min(j, kr - 1); l++) {
          s += r[l][j] * r[l][j];
        }
        assertTrue(s <= rii * (1 + 1e-6) + (tol * norm) * (tol * norm),
            what + ": column " + j + " had a larger remaining norm than pivot " + i);
      }
    }
    return f;
  }

  @Test
  void blockedMatchesUnblockedOnRandomMatrices() {
    int[][] shapes = {{1, 1}, {1, 6}, {6, 1}, {5, 5}, {9, 4}, {4, 9}, {17, 13}, {33, 20}, {20, 33}, {70, 45}};
    long seed = 1;
    for (DoubleKernels kern : NaiveReflectors.providers()) {
      for (int[] s : shapes) {
        DMatrix a = NaiveReflectors.randomMatrix(new Random(seed++), s[0], s[1], false);
        int kr = Math.min(s[0], s[1]);
        double[] tau0 = new double[kr];
        int[] perm0 = new int[s[1]];
        DMatrix f0 = check(kern, a, 1, 0, tau0, perm0, s[0] + "x" + s[1] + " unblocked");
        for (int[] b : BLOCKINGS) {
          String what = s[0] + "x" + s[1] + " nb=" + b[0] + " nx=" + b[1];
          double[] tau = new double[kr];
          int[] perm = new int[s[1]];
          DMatrix f = check(kern, a, b[0], b[1], tau, perm, what);
          assertArrayEquals(perm0, perm, what + ": pivots differ from the unblocked ones");
          double scale = a.frobeniusNorm() * 4 * (s[0] + s[1]) * EPS;
          for (int j = 0; j < s[1]; j++) {
            for (int i = 0; i <= Math.min(j, kr - 1); i++) {
              assertEquals(f0.get(i, j), f.get(i, j), scale, what + ": R(" + i + ", " + j + ")");
            }
          }
        }
      }
    }
  }

  @Test
  void hardCasesExerciseTheNormSafeguard() {
    Random rnd = new Random(5);
    for (DoubleKernels kern : NaiveReflectors.providers()) {
      for (int[] s : new int[][] {{30, 12}, {12, 30}, {50, 50}}) {
        DMatrix[] cases = {nearlyParallel(rnd, s[0], s[1]), rankDeficient(rnd, s[0], s[1])};
        for (int c = 0; c < cases.length; c++) {
          for (int[] b : BLOCKINGS) {
            int kr = Math.min(s[0], s[1]);
            check(kern, cases[c], b[0], b[1], new double[kr], new int[s[1]],
                (c == 0 ? "nearly parallel " : "rank 3 ") + s[0] + "x" + s[1] + " nb=" + b[0]);
          }
        }
      }
    }
  }

  @Test
  void zeroMatrixKeepsTheOrder() {
    DMatrix z = DMatrix.zeros(5, 4);
    double[] tau = new double[4];
    int[] perm = new int[4];
    PivotedQr.factor(KernelProvider.scalar().f64(), z, tau, perm, 2, 0);
    assertArrayEquals(new int[] {0, 1, 2, 3}, perm);
    assertArrayEquals(new double[4], tau, 0.0);
    assertEquals(0.0, z.frobeniusNorm(), 0.0);
  }

  @Test
  void rejectsBadArguments() {
    DoubleKernels k = KernelProvider.scalar().f64();
    assertThrows(IllegalArgumentException.class, () -> PivotedQr.factor(k, null, new double[3], new int[3], 2, 0));
    assertThrows(IllegalArgumentException.class,
        () -> PivotedQr.factor(k, DMatrix.zeros(4, 3), new double[2], new int[3], 2, 0));
    assertThrows(IllegalArgumentException.class,
        () -> PivotedQr.factor(k, DMatrix.zeros(4, 3), new double[3], new int[2], 2, 0));
    assertThrows(IllegalArgumentException.class,
        () -> PivotedQr.factor(k, DMatrix.zeros(3, 4).transpose(), new double[3], new int[3], 2, 0));
    assertThrows(IllegalArgumentException.class,
        () -> PivotedQr.factor(k, DMatrix.zeros(4, 3), new double[3], new int[3], 2, -1));
  }
}
