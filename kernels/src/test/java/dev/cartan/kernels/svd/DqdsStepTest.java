package dev.cartan.kernels.svd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * One dqds step ({@link Dqds#step}) against the recurrence written out plainly in this test, with the checks inside
 * the loop: the new arrays bit for bit, the lowest interior split ({@code e_i <= tol^2 min(q_i, q_{i+1})} on the new
 * arrays, the highest such {@code i <= hi - 3}), and the pivots; a step whose shift is too large fails with
 * dlasq5's early-failure marks when a pivot before the last two is negative and keeps {@code dmin1} and
 * {@code dn} when only the last one is.
 */
class DqdsStepTest {
  private static final double TOL = 100 * (Math.ulp(1.0) / 2);
  private static final double TOL2 = TOL * TOL;

  /** The plain step: new (q, e) in nq/ne, returns {dmin, dmin1, dn, split} or null at a non-positive pivot. */
  private static double[] reference(double[] q, double[] e, double[] nq, double[] ne, int lo, int hi, double tau) {
    double d = q[lo] - tau;
    double dmin = d;
    double dmin1 = Double.NaN;
    for (int i = lo; i < hi; i++) {
      if (d < 0.0 || Double.isNaN(d)) {
        return null;
      }
      nq[i] = d + e[i];
      if (!(nq[i] > 0.0)) {
        return null;
      }
      double t = q[i + 1] / nq[i];
      ne[i] = e[i] * t;
      d = d * t - tau;
      if (i < hi - 1) {
        dmin = Math.min(dmin, d);
      }
      if (i == hi - 2) {
        dmin1 = dmin;
      }
    }
    nq[hi] = d;
    int split = -1;
    for (int i = lo; i <= hi - 3; i++) {
      if (ne[i] <= TOL2 * Math.min(nq[i], nq[i + 1])) {
        split = i;
      }
    }
    return new double[] {Math.min(dmin, d), dmin1, d, split};
  }

  /** Runs both on (q, e) laid out in one array as Dqds does (q at 0, e at n, new q at 2n, new e at 3n). */
  private static Dqds.Step check(double[] q, double[] e, int lo, int hi, double tau, String what) {
    int n = q.length;
    double[] w = new double[4 * n];
    System.arraycopy(q, 0, w, 0, n);
    System.arraycopy(e, 0, w, n, n);
    Dqds.Step s = new Dqds.Step();
    boolean ok = Dqds.step(w, 0, n, 2 * n, 3 * n, lo, hi, tau, s);
    double[] nq = new double[n];
    double[] ne = new double[n];
    double[] ref = reference(q, e, nq, ne, lo, hi, tau);
    if (ref == null) {
      assertFalse(ok, what + ": a pivot is not positive");
      return s;
    }
    assertEquals(ref[0] >= 0.0, ok, what + ": outcome");
    for (int i = lo; i <= hi; i++) {
      assertEquals(Double.doubleToRawLongBits(nq[i]), Double.doubleToRawLongBits(w[2 * n + i]), what + ": q " + i);
      if (i < hi) {
        assertEquals(Double.doubleToRawLongBits(ne[i]), Double.doubleToRawLongBits(w[3 * n + i]), what + ": e " + i);
      }
    }
    assertEquals(ref[0], s.dmin, what + ": dmin");
    assertEquals(ref[1], s.dmin1, what + ": dmin1");
    assertEquals(ref[2], s.dn, what + ": dn");
    assertEquals((int) ref[3], s.split, what + ": split");
    return s;
  }

  private static double[] positive(Random rnd, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = 0.1 + rnd.nextDouble();
    }
    return x;
  }

  @Test
  void splitsAreFoundWhereTheTestHoldsAndTheHighestWins() {
    Random rnd = new Random(7);
    int n = 40;
    int lo = 3;
    int hi = 36;
    // Tiny off-diagonals (tol^2 is ~1.2e-28) at interior positions, at hi - 3 (the highest the step reports; the
    // last test of the loop, i = hi - 3, is made on the unrolled pivot), at lo, and nowhere.
    int[][] tiny = {{}, {10}, {10, 20}, {20, 10, 30}, {hi - 3}, {hi - 4}, {lo}, {lo + 1}, {hi - 2}, {hi - 1}};
    for (int[] at : tiny) {
      for (int trial = 0; trial < 3; trial++) {
        double[] q = positive(rnd, n);
        double[] e = positive(rnd, n);
        for (int k : at) {
          e[k] *= trial == 2 ? 1e-27 : 1e-40;
        }
        check(q, e, lo, hi, 0.0, "tiny at " + java.util.Arrays.toString(at) + " trial " + trial);
        check(q, e, lo, hi, 0.05, "tiny at " + java.util.Arrays.toString(at) + " shifted, trial " + trial);
      }
    }
  }

  @Test
  void shortSegmentsAndLongRandomOnes() {
    Random rnd = new Random(8);
    for (int len = 3; len <= 70; len++) {
      double[] q = positive(rnd, len + 4);
      double[] e = positive(rnd, len + 4);
      if (len % 3 == 0) {
        e[1 + rnd.nextInt(len - 1)] *= 1e-35;
      }
      check(q, e, 1, len, 0.0, "length " + len);
    }
  }

  @Test
  void failedStepsCarryDlasq5Marks() {
    Random rnd = new Random(9);
    int n = 30;
    double[] q = positive(rnd, n);
    double[] e = positive(rnd, n);
    // A shift above q_lo: the first pivot is negative, so the step stops with every mark at -1.
    Dqds.Step early = check(q, e, 0, n - 1, q[0] * 2, "early failure");
    assertEquals(-1.0, early.dmin);
    assertEquals(-1.0, early.dmin1);
    assertEquals(-1.0, early.dn);
    // The first pivot negative and the last ones recovered (an early negative pivot over a larger neighbour flips
    // the sign of the next quotient): the step still reports the early failure, not a late one.
    double[] q1 = new double[n];
    double[] e1 = new double[n];
    java.util.Arrays.fill(q1, 1.0);
    java.util.Arrays.fill(e1, 0.5);
    q1[0] = 0.01;
    double d = q1[0] - 0.02;
    boolean firstNegative = d < 0.0;
    for (int i = 0; i < n - 3; i++) {
      d = d * (q1[i + 1] / (d + e1[i])) - 0.02;
    }
    assertTrue(firstNegative && d >= 0.0, "the pivots recover before the last two: " + d);
    Dqds.Step first = check(q1, e1, 0, n - 1, 0.02, "first pivot negative");
    assertEquals(-1.0, first.dmin);
    assertEquals(-1.0, first.dmin1);
    assertEquals(-1.0, first.dn);
    // A shift just above the smallest eigenvalue makes only the last pivot negative: dmin1 and dn survive for
    // dlasq3's late-failure retry (tau + dn).
    double[] w = new double[4 * n];
    System.arraycopy(q, 0, w, 0, n);
    System.arraycopy(e, 0, w, n, n);
    double lo = 0.0;
    double hi = q[0];
    // Bisect for the largest shift whose step succeeds (the pivots are monotone in the shift).
    Dqds.Step s = new Dqds.Step();
    for (int it = 0; it < 200; it++) {
      double mid = 0.5 * (lo + hi);
      if (Dqds.step(w.clone(), 0, n, 2 * n, 3 * n, 0, n - 1, mid, s)) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    Dqds.Step late = check(q, e, 0, n - 1, hi * (1 + 1e-9), "late failure");
    assertTrue(late.dmin1 >= 0.0, "late failure keeps dmin1 " + late.dmin1);
    assertTrue(late.dn < 0.0, "late failure has a negative last pivot " + late.dn);
    Dqds.Step good = check(q, e, 0, n - 1, lo, "largest good shift");
    assertTrue(good.dmin >= 0.0);
  }
}
