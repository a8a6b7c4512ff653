package dev.cartan.kernels.svd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.Gemm;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link BidiagonalDc} against independent solvers of the same bidiagonal: dqds ({@link Dqds}, values to high
 * relative accuracy) and implicit QR ({@link BidiagonalQr}); the vectors against mathematics (orthonormal columns,
 * {@code B = U diag(s) V^T}). Small leaves force many merges on small matrices, so deflation and the secular
 * solver run on every kind of spectrum.
 */
class BidiagonalDcTest {
  private static final double EPS = Math.ulp(1.0);

  @Test
  void rejectsLeafBelowThree() {
    assertThrows(IllegalArgumentException.class,
        () -> BidiagonalDc.decompose(1, new double[] {1}, new double[] {0}, new double[1], 1, new double[1], 1, 2));
  }

  @Test
  void randomEveryOrderUpTo200() {
    Random rnd = new Random(7);
    for (int n = 1; n <= 200; n += (n < 40 ? 1 : 7)) {
      double[] d = new double[n];
      double[] e = new double[n];
      for (int i = 0; i < n; i++) {
        d[i] = rnd.nextGaussian();
        e[i] = i < n - 1 ? rnd.nextGaussian() : 0.0;
      }
      for (int leaf : new int[] {3, 5, 32}) {
        check(d, e, leaf, "random n=" + n + " leaf " + leaf);
      }
    }
  }

  @Test
  void gradedBothWays() {
    Random rnd = new Random(11);
    for (int n : new int[] {10, 50, 130}) {
      for (int decades : new int[] {8, 16, 30}) {
        double[] d = new double[n];
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
          double g = Math.pow(10.0, -decades * (double) i / (n - 1));
          d[i] = (rnd.nextBoolean() ? 1 : -1) * g * (0.5 + rnd.nextDouble());
          e[i] = i < n - 1 ? (rnd.nextDouble() - 0.5) * g : 0.0;
        }
        check(d, e, 4, "graded n=" + n + " decades " + decades);
        double[] dr = reversed(d, n);
        double[] er = reversed(e, n - 1);
        check(dr, er, 4, "graded reversed n=" + n + " decades " + decades);
      }
    }
  }

  @Test
  void clusteredAndRepeatedValues() {
    Random rnd = new Random(13);
    for (int n : new int[] {7, 40, 150}) {
      double[] d = new double[n];
      double[] e = new double[n];
      Arrays.fill(d, 1.0);
      check(d, e, 4, "identity n=" + n);
      for (int i = 0; i < n; i++) {
        d[i] = 1.0 + 1e-15 * rnd.nextGaussian();
        e[i] = i < n - 1 ? 1e-14 * rnd.nextGaussian() : 0.0;
      }
      check(d, e, 4, "cluster at 1 n=" + n);
      for (int i = 0; i < n; i++) {
        d[i] = i % 3 == 0 ? 1e-4 : 2.0;
        e[i] = i < n - 1 && i % 5 == 0 ? 1e-9 : 0.0;
      }
      check(d, e, 3, "two repeated values n=" + n);
      Arrays.fill(d, 1.0);
      for (int i = 0; i < n - 1; i++) {
        e[i] = 1.0;
      }
      check(d, e, 4, "ones n=" + n);
      // Wilkinson-like: pairs of nearly equal values.
      for (int i = 0; i < n; i++) {
        d[i] = Math.abs(n / 2 - i) + 1;
        e[i] = i < n - 1 ? 1e-8 : 0.0;
      }
      check(d, e, 5, "near pairs n=" + n);
    }
  }

  @Test
  void zerosOnTheDiagonalAndOffDiagonal() {
    Random rnd = new Random(17);
    for (int n : new int[] {5, 33, 100}) {
      double[] d = new double[n];
      double[] e = new double[n];
      for (int i = 0; i < n; i++) {
        d[i] = i % 4 == 1 ? 0.0 : rnd.nextGaussian();
        e[i] = i < n - 1 ? (i % 7 == 3 ? 0.0 : rnd.nextGaussian()) : 0.0;
      }
      check(d, e, 3, "some zeros n=" + n);
      double[] z = new double[n];
      check(z, e, 3, "zero diagonal n=" + n);
      check(d, new double[n], 3, "diagonal n=" + n);
      check(new double[n], new double[n], 3, "zero n=" + n);
    }
  }

  @Test
  void tinyAndHugeScales() {
    Random rnd = new Random(19);
    int n = 60;
    for (double scale : new double[] {1e-300, 1e-150, 1e150, 1e300}) {
      double[] d = new double[n];
      double[] e = new double[n];
      for (int i = 0; i < n; i++) {
        d[i] = scale * rnd.nextGaussian();
        e[i] = i < n - 1 ? scale * rnd.nextGaussian() : 0.0;
      }
      check(d, e, 4, "scale " + scale);
    }
  }

  @Test
  void largeOrders() {
    Random rnd = new Random(23);
    for (int n : new int[] {513, 1000}) {
      double[] d = new double[n];
      double[] e = new double[n];
      for (int i = 0; i < n; i++) {
        d[i] = rnd.nextGaussian();
        e[i] = i < n - 1 ? rnd.nextGaussian() : 0.0;
      }
      check(d, e, BidiagonalDc.DEFAULT_LEAF, "random n=" + n);
      for (int i = 0; i < n; i++) {
        d[i] = Math.pow(10, -12.0 * i / n);
        e[i] = i < n - 1 ? 0.5 * d[i] : 0.0;
      }
      check(d, e, BidiagonalDc.DEFAULT_LEAF, "graded n=" + n);
    }
  }

  /**
   * Values against dqds (relative to the largest value; both are backward stable on B) and implicit QR, U and V
   * orthonormal, {@code ||B - U S V^T|| <= c n eps ||B||}.
   */
  private static void check(double[] d0, double[] e0, int leaf, String what) {
    check(d0, e0, what, (n, d, e, u, v) -> BidiagonalDc.decompose(n, d, e, u, n, v, n, leaf));
  }

  /** A bidiagonal SVD into d (values), u and v (n x n, ld n), from the bidiagonal in d and e. */
  private interface Solver {
    BidiagonalDc.Stats run(int n, double[] d, double[] e, double[] u, double[] v);
  }

  /**
   * The driver's fallback ({@link BidiagonalSvd#bidiagonalSvd}): with a cap of one secular step per root, a root
   * misses it, implicit QR restarts from the saved bidiagonal and gives a decomposition that passes the same checks;
   * with the default cap these matrices need no fallback.
   */
  @Test
  void secularCapFallsBackToImplicitQr() {
    Random rnd = new Random(29);
    for (int n : new int[] {40, 100, 150}) {
      double[] d = new double[n];
      double[] e = new double[n];
      for (int i = 0; i < n; i++) {
        d[i] = rnd.nextGaussian();
        e[i] = i < n - 1 ? rnd.nextGaussian() : 0.0;
      }
      check(d, e, "capped n=" + n, (k, dd, ee, u, v) -> {
        BidiagonalDc.Stats st = BidiagonalSvd.bidiagonalSvd(k, dd, ee, u, k, v, 1);
        assertTrue(st.qrFallback, "the cap of one step was never reached");
        return st;
      });
      check(d, e, "default cap n=" + n, (k, dd, ee, u, v) -> {
        BidiagonalDc.Stats st = BidiagonalSvd.bidiagonalSvd(k, dd, ee, u, k, v, BidiagonalDc.MAX_SECULAR_STEPS);
        assertFalse(st.qrFallback, "fell back with the default cap");
        return st;
      });
    }
    assertThrows(IllegalArgumentException.class, () -> BidiagonalDc.decompose(2, new double[] {1, 1},
        new double[] {0, 0}, new double[4], 2, new double[4], 2, 3, 0));
  }

  private static void check(double[] d0, double[] e0, String what, Solver solver) {
    int n = d0.length;
    double[] ref = d0.clone();
    double[] refE = Arrays.copyOf(e0, n);
    Dqds.Stats qs = Dqds.singularValues(n, ref, refE, new double[5 * n]);
    assertTrue(qs.converged, what + ": dqds");
    double[] qd = d0.clone();
    double[] qe = Arrays.copyOf(e0, n);
    BidiagonalQr.decompose(n, qd, qe, new double[n * n], 0, n, 0, new double[n * n], 0, n, 0);
    double[] d = d0.clone();
    double[] e = Arrays.copyOf(e0, n);
    double[] u = new double[n * n];
    double[] v = new double[n * n];
    BidiagonalDc.Stats st = solver.run(n, d, e, u, v);
    double smax = 0;
    for (int i = 0; i < n; i++) {
      smax = Math.max(smax, Math.max(Math.abs(d0[i]), Math.abs(e0[i])));
    }
    assertTrue(st.converged, what + ": leaves converged");
    double tol = 20 * n * EPS * Math.max(ref.length > 0 ? ref[0] : 0, Double.MIN_NORMAL);
    for (int i = 0; i < n; i++) {
      assertTrue(d[i] >= 0 && (i == 0 || d[i] <= d[i - 1]), what + ": order at " + i);
      assertEquals(ref[i], d[i], tol, what + ": value " + i + " vs dqds");
      if (smax > 1e-250 && smax < 1e250) {
        // (BidiagonalQr's absolute thresholds lose accuracy near underflow; it always runs on scaled input.)
        assertEquals(qd[i], d[i], tol, what + ": value " + i + " vs QR");
      }
    }
    DMatrix um = DMatrix.wrap(u, 0, n, n, n);
    DMatrix vm = DMatrix.wrap(v, 0, n, n, n);
    double orthTol = 1e-15 * n + 2e-14;
    assertTrue(orthogonality(um) <= orthTol, what + ": U orthogonality " + orthogonality(um));
    assertTrue(orthogonality(vm) <= orthTol, what + ": V orthogonality " + orthogonality(vm));
    if (smax > 0) {
      // Residual on B scaled by a power of two, so that tiny and huge scales keep their digits.
      int sc = -Math.getExponent(smax);
      DMatrix us = DMatrix.zeros(n, n);
      DMatrix b = DMatrix.zeros(n, n);
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < n; i++) {
          us.set(i, j, u[i + j * n] * Math.scalb(d[j], sc));
        }
        b.set(j, j, Math.scalb(d0[j], sc));
        if (j < n - 1) {
          b.set(j, j + 1, Math.scalb(e0[j], sc));
        }
      }
      Gemm.gemm(-1.0, us, vm.transpose(), 1.0, b);
      double res = 0;
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < n; i++) {
          res = Math.max(res, Math.abs(b.get(i, j)));
        }
      }
      assertTrue(res <= 10 * n * EPS, what + ": reconstruction " + res);
    }
  }

  /** max |Q^T Q - I| by Gemm. */
  private static double orthogonality(DMatrix q) {
    int n = q.cols();
    DMatrix g = DMatrix.identity(n);
    Gemm.gemm(1.0, q.transpose(), q, -1.0, g);
    double m = 0;
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        m = Math.max(m, Math.abs(g.get(i, j)));
      }
    }
    return m;
  }

  private static double[] reversed(double[] a, int len) {
    double[] r = new double[a.length];
    for (int i = 0; i < len; i++) {
      r[i] = a[len - 1 - i];
    }
    return r;
  }
}
