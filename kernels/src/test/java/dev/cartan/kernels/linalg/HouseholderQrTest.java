package dev.cartan.kernels.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.DoubleKernels;
import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.FloatKernels;
import dev.cartan.kernels.KernelProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link HouseholderQr}: the factorization reproduces A with an orthogonal Q built by the independent reflector
 * loop ({@link NaiveReflectors}), blocked and unblocked give the same R, the generated Q and the applied Q match
 * that loop, on tall, square and wide shapes with blockings small enough that the blocked paths run on them (panel
 * widths 2 to 8, crossovers 0 to 5, plus the defaults on 300 x 200). The panels run on the scalar and, when
 * present, the SIMD primitives in one JVM; the GEMM updates on the provider the surefire execution selected.
 *
 * <p>Tolerance: Householder QR is normwise backward stable, {@code ||A - Q R||_F <= c m n u ||A||_F} with Q
 * orthogonal to {@code c m n u} (Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed., theorem 19.4
 * and section 19.3); the checks use {@code 4 (m + n) u}-multiples of the norms, which hold with a wide margin since
 * the observed errors grow like {@code sqrt(m n) u}.
 */
class HouseholderQrTest {
  private static final double EPS = Math.ulp(1.0);
  private static final int[][] SHAPES = {
    {1, 1}, {1, 5}, {5, 1}, {2, 2}, {7, 3}, {3, 7}, {9, 9}, {17, 5}, {20, 13}, {33, 31}, {31, 33}, {65, 17},
    {40, 40}
  };
  private static final int[][] BLOCKINGS = {{1, 0}, {2, 0}, {3, 1}, {4, 5}, {8, 2}, {64, 0}};
  /** Panel widths and leaves for the recursive QR: odd splits, one-column leaves, panels wider than A. */
  private static final int[][] RECURSIVE_BLOCKINGS = {{1, 1}, {2, 1}, {3, 1}, {5, 2}, {8, 3}, {13, 4}, {64, 8},
    {64, 64}};

  private static double[][] identity(int n) {
    double[][] e = new double[n][n];
    for (int i = 0; i < n; i++) {
      e[i][i] = 1.0;
    }
    return e;
  }

  /** R (min(m, n) x n, zero below the diagonal) from a factored A, padded with zero rows to m x n. */
  private static double[][] upper(DMatrix f) {
    double[][] r = new double[f.rows()][f.cols()];
    for (int i = 0; i < f.rows(); i++) {
      for (int j = i; j < f.cols(); j++) {
        r[i][j] = f.get(i, j);
      }
    }
    return r;
  }

  private static double[][] multiply(double[][] x, double[][] y) {
    int m = x.length;
    int kk = y.length;
    int n = kk == 0 ? 0 : y[0].length;
    double[][] r = new double[m][n];
    for (int i = 0; i < m; i++) {
      for (int p = 0; p < kk; p++) {
        for (int j = 0; j < n; j++) {
          r[i][j] += x[i][p] * y[p][j];
        }
      }
    }
    return r;
  }

  private static double[][] transpose(double[][] x) {
    int n = x.length == 0 ? 0 : x[0].length;
    double[][] r = new double[n][x.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < n; j++) {
        r[j][i] = x[i][j];
      }
    }
    return r;
  }

  /**
   * The factor f (R and reflectors, scalars tau) of A reproduces A with an orthogonal Q, and its R is the reference
   * factor's, all to {@code 4 (m + n) u} multiples of the norms.
   */
  private static void checkFactor(DMatrix a, DMatrix f, double[] tau, DMatrix ref, double u, String what) {
    int m = a.rows();
    double norm = a.frobeniusNorm();
    double[][] q = NaiveReflectors.apply(f, tau, tau.length, identity(m), false, false);
    double tol = 4 * (m + a.cols()) * u;
    double resid = NaiveReflectors.distance(multiply(q, upper(f)), a.toRows());
    assertTrue(resid <= tol * norm, what + ": ||A - QR|| = " + resid + " > " + tol * norm);
    double orth = NaiveReflectors.distance(multiply(transpose(q), q), identity(m));
    assertTrue(orth <= tol * Math.sqrt(m), what + ": ||Q^T Q - I|| = " + orth);
    double dr = NaiveReflectors.distance(upper(f), upper(ref));
    assertTrue(dr <= tol * norm, what + ": R differs from the unblocked R by " + dr);
  }

  /** One float64 factorization with two blocking parameters (nb and nx, or nb and leaf). */
  private interface Factorization {
    void factor(DoubleKernels k, DMatrix a, double[] tau, int p0, int p1);
  }

  /**
   * On every shape and both providers, each blocking's factor reproduces A with an orthogonal Q and gives the
   * unblocked R ({@link #checkFactor}).
   */
  private static void checkBlockings(long seed, int[][] blockings, String label, Factorization f) {
    for (DoubleKernels k : NaiveReflectors.providers()) {
      for (int[] s : SHAPES) {
        int m = s[0];
        int n = s[1];
        DMatrix a = NaiveReflectors.randomMatrix(new Random(seed++), m, n, false);
        DMatrix ref = a.copy();
        HouseholderQr.factor(k, ref, new double[Math.min(m, n)], 1, 0);
        for (int[] b : blockings) {
          String what = m + "x" + n + " " + label + " " + b[0] + "/" + b[1] + " " + k.getClass().getSimpleName();
          DMatrix g = a.copy();
          double[] tau = new double[Math.min(m, n)];
          f.factor(k, g, tau, b[0], b[1]);
          checkFactor(a, g, tau, ref, EPS, what);
        }
      }
    }
  }

  @Test
  void factorReproducesAWithOrthogonalQ() {
    checkBlockings(1, BLOCKINGS, "nb/nx", HouseholderQr::factor);
  }

  /**
   * The recursive-panel QR gives the unblocked R and a reflector set that reproduces A with Q orthogonal, for panel
   * widths and leaves that exercise odd splits, leaves of one column, and panels wider than the matrix.
   */
  @Test
  void recursiveFactorReproducesAWithOrthogonalQ() {
    checkBlockings(11, RECURSIVE_BLOCKINGS, "recursive nb/leaf", HouseholderQr::factorRecursive);
  }

  /** One float32 factorization with two blocking parameters. */
  private interface FloatFactorization {
    void factor(FloatKernels k, FMatrix a, float[] tau, int p0, int p1);
  }

  /** {@link #checkBlockings} for float32: tolerances from {@code u = 2^-24}, on the scalar and SIMD primitives. */
  private static void checkFloatBlockings(long seed, int[][] blockings, String label, FloatFactorization f) {
    double u = 0x1p-24;
    List<FloatKernels> kernels = new ArrayList<>();
    kernels.add(KernelProvider.scalar().f32());
    KernelProvider.simd().ifPresent(p -> kernels.add(p.f32()));
    for (FloatKernels k : kernels) {
      for (int[] s : SHAPES) {
        int m = s[0];
        int n = s[1];
        FMatrix a = NaiveReflectors.randomMatrix(new Random(seed++), m, n, false).toFloat();
        FMatrix ref = a.copy();
        HouseholderQr.factor(k, ref, new float[Math.min(m, n)], 1, 0);
        for (int[] b : blockings) {
          String what = m + "x" + n + " " + label + " " + b[0] + "/" + b[1] + " " + k.getClass().getSimpleName();
          FMatrix g = a.copy();
          float[] tau = new float[Math.min(m, n)];
          f.factor(k, g, tau, b[0], b[1]);
          double[] tauWide = new double[tau.length];
          for (int i = 0; i < tau.length; i++) {
            tauWide[i] = tau[i];
          }
          checkFactor(a.toDouble(), g.toDouble(), tauWide, ref.toDouble(), u, what);
        }
      }
    }
  }

  /** The float32 recursive-panel QR, as {@link #recursiveFactorReproducesAWithOrthogonalQ} for float64. */
  @Test
  void floatRecursiveFactorReproducesAWithOrthogonalQ() {
    checkFloatBlockings(17, RECURSIVE_BLOCKINGS, "recursive nb/leaf", HouseholderQr::factorRecursive);
    assertThrows(IllegalArgumentException.class,
        () -> HouseholderQr.factorRecursive(KernelProvider.scalar().f32(), FMatrix.zeros(4, 3), new float[3], 0, 4));
  }

  /**
   * The float32 factor: R and the reflectors, widened, reproduce the float32 A with Q orthogonal to
   * {@code 4 (m + n) u_f32}, and every blocking gives the unblocked R to that tolerance, on the scalar and SIMD
   * float32 primitives.
   */
  @Test
  void floatFactorReproducesAWithOrthogonalQ() {
    checkFloatBlockings(7, BLOCKINGS, "nb/nx", HouseholderQr::factor);
    assertThrows(IllegalArgumentException.class, () -> HouseholderQr.factor((FMatrix) null, new float[1]));
    assertThrows(IllegalArgumentException.class, () -> HouseholderQr.factor(FMatrix.zeros(3, 2), new float[1]));
    assertThrows(IllegalArgumentException.class,
        () -> HouseholderQr.factor(FMatrix.zeros(3, 2).transpose(), new float[2]));
  }


  @Test
  void formQMatchesTheReflectorProduct() {
    long seed = 100;
    for (DoubleKernels k : NaiveReflectors.providers()) {
      for (int[] s : SHAPES) {
        int m = s[0];
        int n = s[1];
        if (m < n) {
          continue;
        }
        for (int kr : new int[] {n, n / 2}) {
          for (int[] b : BLOCKINGS) {
            String what = m + "x" + n + " kr=" + kr + " nb=" + b[0] + " nx=" + b[1];
            DMatrix f = NaiveReflectors.randomMatrix(new Random(seed++), m, n, false);
            double[] tau = new double[n];
            HouseholderQr.factor(k, f, tau, 2, 0);
            DMatrix reflectors = f.copy();
            double[][] e = new double[m][n];
            for (int i = 0; i < n; i++) {
              e[i][i] = 1.0;
            }
            double[][] expected = NaiveReflectors.apply(reflectors, tau, kr, e, false, false);
            HouseholderQr.formQ(k, f, tau, kr, b[0], b[1]);
            double err = NaiveReflectors.distance(f.toRows(), expected);
            assertTrue(err <= 4 * (m + n) * EPS * Math.sqrt(n), what + ": error " + err);
          }
        }
      }
    }
  }

  @Test
  void applyQInAllFourCases() {
    Random rnd = new Random(7);
    for (int[] s : SHAPES) {
      int m = s[0];
      int n = s[1];
      int kr = Math.min(m, n);
      DMatrix f = NaiveReflectors.randomMatrix(rnd, m, n, false);
      double[] tau = new double[kr];
      HouseholderQr.factor(f, tau);
      for (int nb : new int[] {1, 3, 32}) {
        for (boolean right : new boolean[] {false, true}) {
          for (boolean transpose : new boolean[] {false, true}) {
            int nc = 1 + (m + nb) % 6;
            DMatrix c = right ? NaiveReflectors.randomMatrix(rnd, nc, m, false)
                : NaiveReflectors.randomMatrix(rnd, m, nc, false);
            double[][] expected = NaiveReflectors.apply(f, tau, kr, c.toRows(), right, transpose);
            HouseholderQr.applyQ(f, tau, kr, c, right, transpose, nb);
            double err = NaiveReflectors.distance(c.toRows(), expected);
            String what = m + "x" + n + " nb=" + nb + (right ? " right" : " left") + (transpose ? " Q^T" : " Q");
            assertTrue(err <= 4 * (m + n) * EPS * c.frobeniusNorm(), what + ": error " + err);
          }
        }
      }
    }
  }

  /** The default blocking (nb = 64) on one larger matrix, with Q formed and applied. */
  @Test
  void defaultBlockingOnALargerMatrix() {
    int m = 300;
    int n = 200;
    DMatrix a = NaiveReflectors.randomMatrix(new Random(3), m, n, false);
    DMatrix f = a.copy();
    double[] tau = new double[n];
    HouseholderQr.factor(f, tau);
    DMatrix r = DMatrix.zeros(n, n);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i <= j; i++) {
        r.set(i, j, f.get(i, j));
      }
    }
    // A = Q [R; 0] by applyQ on the padded R, and A = Q_thin R by formQ.
    DMatrix padded = DMatrix.zeros(m, n);
    r.copyInto(padded.view(0, 0, n, n));
    HouseholderQr.applyQ(f, tau, n, padded, false, false);
    double tol = 4 * (m + n) * EPS * a.frobeniusNorm();
    assertTrue(NaiveReflectors.distance(padded.toRows(), a.toRows()) <= tol);
    HouseholderQr.formQ(f, tau, n);
    DMatrix qr = DMatrix.zeros(m, n);
    dev.cartan.kernels.Gemm.gemm(1.0, f, r, 0.0, qr);
    assertTrue(NaiveReflectors.distance(qr.toRows(), a.toRows()) <= tol);
    DMatrix qtq = DMatrix.zeros(n, n);
    dev.cartan.kernels.Gemm.gemm(1.0, f.transpose(), f, 0.0, qtq);
    assertTrue(NaiveReflectors.distance(qtq.toRows(), identity(n)) <= 4 * (m + n) * EPS * Math.sqrt(n));
  }

  /**
   * The default recursive blocking on a tall matrix with several panels, a last panel narrower than the block and
   * leaves of odd width: R matches the dgeqrf-style blocked R, and Q formed from its reflectors is orthogonal and
   * reproduces A.
   */
  @Test
  void recursiveDefaultOnATallMatrix() {
    int m = 900;
    int n = 300;
    DMatrix a = NaiveReflectors.randomMatrix(new Random(5), m, n, false);
    for (DoubleKernels k : NaiveReflectors.providers()) {
      DMatrix ref = a.copy();
      HouseholderQr.factor(k, ref, new double[n], HouseholderQr.DEFAULT_BLOCK, 0);
      DMatrix f = a.copy();
      double[] tau = new double[n];
      HouseholderQr.factorRecursive(k, f, tau, HouseholderQr.RECURSIVE_BLOCK, HouseholderQr.RECURSIVE_LEAF - 5);
      double tol = 4 * (m + n) * EPS * a.frobeniusNorm();
      DMatrix r = DMatrix.zeros(n, n);
      DMatrix rRef = DMatrix.zeros(n, n);
      for (int j = 0; j < n; j++) {
        for (int i = 0; i <= j; i++) {
          r.set(i, j, f.get(i, j));
          rRef.set(i, j, ref.get(i, j));
        }
      }
      assertTrue(NaiveReflectors.distance(r.toRows(), rRef.toRows()) <= tol, "R differs from the blocked R");
      HouseholderQr.formQ(f, tau, n);
      DMatrix qr = DMatrix.zeros(m, n);
      dev.cartan.kernels.Gemm.gemm(1.0, f, r, 0.0, qr);
      assertTrue(NaiveReflectors.distance(qr.toRows(), a.toRows()) <= tol, "||A - QR||");
      DMatrix qtq = DMatrix.zeros(n, n);
      dev.cartan.kernels.Gemm.gemm(1.0, f.transpose(), f, 0.0, qtq);
      assertTrue(NaiveReflectors.distance(qtq.toRows(), identity(n)) <= 4 * (m + n) * EPS * Math.sqrt(n));
    }
  }

  /** A zero matrix gives tau = 0 (every H_i = I), R = 0 and Q = I; empty shapes do nothing. */
  @Test
  void zeroAndEmpty() {
    DMatrix z = DMatrix.zeros(6, 4);
    double[] tau = new double[4];
    HouseholderQr.factor(KernelProvider.scalar().f64(), z, tau, 2, 0);
    for (double t : tau) {
      assertEquals(0.0, t, 0.0);
    }
    assertEquals(0.0, z.frobeniusNorm(), 0.0);
    HouseholderQr.formQ(z, tau, 4);
    for (int j = 0; j < 4; j++) {
      for (int i = 0; i < 6; i++) {
        assertEquals(i == j ? 1.0 : 0.0, z.get(i, j), 0.0);
      }
    }
    HouseholderQr.factor(DMatrix.zeros(0, 3), new double[0]);
    HouseholderQr.factor(DMatrix.zeros(3, 0), new double[0]);
    HouseholderQr.formQ(DMatrix.zeros(3, 0), new double[0], 0);
    HouseholderQr.applyQ(DMatrix.zeros(3, 0), new double[0], 0, DMatrix.zeros(3, 2), false, true);
  }

  @Test
  void rejectsBadArguments() {
    double[] tau = new double[3];
    assertThrows(IllegalArgumentException.class, () -> HouseholderQr.factor(null, tau));
    assertThrows(IllegalArgumentException.class, () -> HouseholderQr.factor(DMatrix.zeros(4, 3), null));
    assertThrows(IllegalArgumentException.class, () -> HouseholderQr.factor(DMatrix.zeros(4, 3), new double[2]));
    IllegalArgumentException tr = assertThrows(IllegalArgumentException.class,
        () -> HouseholderQr.factor(DMatrix.zeros(3, 4).transpose(), tau));
    assertTrue(tr.getMessage().contains("transposed"), tr.getMessage());
    assertThrows(IllegalArgumentException.class, () -> HouseholderQr.formQ(DMatrix.zeros(3, 4), new double[4], 3));
    assertThrows(IllegalArgumentException.class, () -> HouseholderQr.formQ(DMatrix.zeros(5, 3), tau, 4));
    assertThrows(IllegalArgumentException.class,
        () -> HouseholderQr.applyQ(DMatrix.zeros(5, 3), tau, 3, DMatrix.zeros(4, 2), false, false));
    assertThrows(IllegalArgumentException.class,
        () -> HouseholderQr.applyQ(DMatrix.zeros(5, 3), tau, 3, DMatrix.zeros(5, 2), true, false));
    assertThrows(IllegalArgumentException.class,
        () -> HouseholderQr.applyQ(DMatrix.zeros(5, 3), tau, 3, DMatrix.zeros(5, 2), false, false, 0));
    DoubleKernels k = KernelProvider.scalar().f64();
    assertThrows(IllegalArgumentException.class, () -> HouseholderQr.factorRecursive(k, DMatrix.zeros(4, 3), tau, 0, 8));
    assertThrows(IllegalArgumentException.class, () -> HouseholderQr.factorRecursive(k, DMatrix.zeros(4, 3), tau, 8, 0));
    assertThrows(IllegalArgumentException.class,
        () -> HouseholderQr.factorRecursive(k, DMatrix.zeros(4, 3), new double[2], 8, 8));
  }
}
