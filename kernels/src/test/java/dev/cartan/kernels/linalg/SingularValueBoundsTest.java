package dev.cartan.kernels.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.svd.Svd;
import dev.cartan.kernels.svd.SvdOptions;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SingularValueBounds}: the certified interval contains the true extreme singular values and overestimates
 * {@code log cond} by at most {@code tolerance max(a, A_FLOOR)}. Truth is either exact by construction (diagonal
 * matrices, permuted and signed) or the accurate Jacobi SVD ({@code Q diag(s) P^T} with prescribed s, random,
 * graded, near-identity matrices), whose relative error on these well-conditioned inputs is a few {@code n u},
 * allowed for by {@link #SVD_SLACK}. Ill-conditioned matrices must be refused, not certified wrongly.
 */
class SingularValueBoundsTest {
  private static final double TOL = 1e-3;
  /** Relative error allowed for the reference SVD values (Jacobi, well-conditioned inputs, n <= 300). */
  private static final double SVD_SLACK = 1e-12;

  /** Certifies t and checks the interval and the overestimate against the reference values sMin, sMax. */
  private static SingularValueBounds.Result check(DMatrix t, double sMin, double sMax, String what) {
    SingularValueBounds.Result r = SingularValueBounds.certify(t, TOL);
    assertTrue(r.certified(), what + ": " + r.reason());
    assertTrue(r.sigmaMinLower() <= sMin * (1 + SVD_SLACK), what + " lower " + r.sigmaMinLower() + " > " + sMin);
    assertTrue(r.sigmaMaxUpper() >= sMax * (1 - SVD_SLACK), what + " upper " + r.sigmaMaxUpper() + " < " + sMax);
    double a = Math.log(sMax / sMin);
    double over = r.logConditionUpper() - a;
    assertTrue(over >= -2 * SVD_SLACK, what + " not an upper bound: " + over);
    assertTrue(over <= TOL * Math.max(a, SingularValueBounds.A_FLOOR) + 2 * SVD_SLACK, what + " overestimate " + over
        + " of a = " + a);
    // The Ritz estimates lie inside the certified interval.
    assertTrue(r.sigmaMinLower() <= r.sigmaMinRitz() && r.sigmaMaxRitz() <= r.sigmaMaxUpper(), what);
    return r;
  }

  private static double[] accurate(DMatrix t) {
    return Svd.decompose(t, SvdOptions.valuesOnly().withMethod(SvdOptions.Method.ACCURATE)).values();
  }

  private static void checkAgainstSvd(DMatrix t, String what) {
    double[] s = accurate(t);
    check(t, s[s.length - 1], s[0], what);
  }

  @Test
  void diagonalMatricesAreExact() {
    Random rnd = new Random(5);
    for (int n : new int[] {1, 2, 3, 7, 16, 33, 100}) {
      DMatrix t = DMatrix.zeros(n, n);
      double lo = Double.POSITIVE_INFINITY;
      double hi = 0;
      for (int i = 0; i < n; i++) {
        double s = Math.exp(rnd.nextDouble() * 2 - 1);
        lo = Math.min(lo, s);
        hi = Math.max(hi, s);
        t.set(i, i, rnd.nextBoolean() ? s : -s);
      }
      check(t, lo, hi, "diagonal n = " + n);
    }
  }

  @Test
  void multiplesOfOrthogonalMatricesHaveAmplitudeNearZero() {
    Random rnd = new Random(6);
    for (int n : new int[] {1, 4, 50, 129}) {
      DMatrix q = LinalgTestSupport.orthogonal(n, rnd);
      double[] s = accurate(q);
      SingularValueBounds.Result r = check(q, s[n - 1], s[0], "orthogonal n = " + n);
      assertTrue(r.logConditionUpper() < 1e-6, "orthogonal: " + r.logConditionUpper());
      DMatrix c = DMatrix.identity(n);
      for (int i = 0; i < n; i++) {
        c.set(i, i, 3.5);
      }
      check(c, 3.5, 3.5, "3.5 I, n = " + n);
    }
  }

  @Test
  void prescribedSpectraRandomGradedAndRepeated() {
    Random rnd = new Random(7);
    for (int n : new int[] {9, 64, 150}) {
      double[] spread = new double[n];
      double[] graded = new double[n];
      double[] repeated = new double[n];
      for (int k = 0; k < n; k++) {
        spread[k] = 0.5 + rnd.nextDouble();
        graded[k] = Math.pow(10, -2.0 * k / (n - 1)); // cond 100
        repeated[k] = k < n / 2 ? 2 : 0.25;
      }
      checkAgainstSvd(LinalgTestSupport.withSingularValues(spread, rnd), "spread n = " + n);
      checkAgainstSvd(LinalgTestSupport.withSingularValues(graded, rnd), "graded n = " + n);
      checkAgainstSvd(LinalgTestSupport.withSingularValues(repeated, rnd), "repeated n = " + n);
    }
  }

  @Test
  void gaussianAndNearIdentityMatrices() {
    Random rnd = new Random(8);
    for (int n : new int[] {2, 17, 65, 200, 300}) {
      checkAgainstSvd(LinalgTestSupport.gaussian(n, rnd), "gaussian n = " + n);
      for (double eps : new double[] {1e-6, 0.02, 0.3}) {
        DMatrix t = LinalgTestSupport.gaussian(n, rnd);
        for (int j = 0; j < n; j++) {
          for (int i = 0; i < n; i++) {
            t.set(i, j, t.get(i, j) * eps / Math.sqrt(n) + (i == j ? 1 : 0));
          }
        }
        checkAgainstSvd(t, "I + " + eps + " B, n = " + n);
      }
    }
  }

  /**
   * A workspace reused across orders (growing and shrinking) and left full of values of another scale gives the
   * result of a fresh call: no stale value is read. Compared to 1e-12 relative, not bit for bit, only because a
   * JIT-compiled SIMD reduction may add lanes in another order than the interpreted one between two calls.
   */
  @Test
  void reusedWorkspaceGivesTheFreshResult() {
    Random rnd = new Random(21);
    SingularValueBounds.Workspace ws = new SingularValueBounds.Workspace();
    int[] orders = {65, 17, 65, 200, 40, 2, 300, 17};
    for (int k = 0; k < orders.length; k++) {
      int n = orders[k];
      DMatrix t = LinalgTestSupport.gaussian(n, rnd);
      double scale = k % 2 == 0 ? 1e150 : 1; // leaves huge values in the workspace for the next call
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < n; i++) {
          t.set(i, j, scale * (t.get(i, j) * 0.1 / Math.sqrt(n) + (i == j ? 1 : 0)));
        }
      }
      SingularValueBounds.Result fresh = SingularValueBounds.certify(t, TOL);
      SingularValueBounds.Result reused = SingularValueBounds.certify(t, TOL, ws);
      String what = "n = " + n + ", scale " + scale;
      assertTrue(fresh.certified(), what + ": " + fresh.reason());
      assertEquals(fresh.certified(), reused.certified(), what);
      assertEquals(fresh.iterations(), reused.iterations(), what);
      assertEquals(fresh.factorizations(), reused.factorizations(), what);
      assertEquals(fresh.sigmaMinLower(), reused.sigmaMinLower(), 1e-12 * fresh.sigmaMinLower(), what);
      assertEquals(fresh.sigmaMaxUpper(), reused.sigmaMaxUpper(), 1e-12 * fresh.sigmaMaxUpper(), what);
    }
    assertThrows(IllegalArgumentException.class, () -> SingularValueBounds.certify(DMatrix.identity(3), TOL, null));
  }

  @Test
  void illConditionedMatricesAreRefused() {
    Random rnd = new Random(9);
    for (int n : new int[] {20, 100}) {
      double[] s = new double[n];
      for (int k = 0; k < n; k++) {
        s[k] = Math.pow(10, -8.0 * k / (n - 1)); // cond 1e8: the Gram matrix has lost sigma_min
      }
      SingularValueBounds.Result r = SingularValueBounds.certify(LinalgTestSupport.withSingularValues(s, rnd), TOL);
      assertFalse(r.certified(), "cond 1e8, n = " + n);
      assertTrue(Double.isNaN(r.sigmaMinLower()) && Double.isNaN(r.sigmaMaxUpper()));
      assertFalse(r.reason().isEmpty());
    }
    DMatrix singular = DMatrix.identity(5);
    singular.set(2, 2, 0);
    assertFalse(SingularValueBounds.certify(singular, TOL).certified());
    assertFalse(SingularValueBounds.certify(DMatrix.zeros(4, 4), TOL).certified());
  }

  /**
   * An iteration cap: within it the result is the uncapped one (same iterations, same bounds); below the iterations
   * the matrix needs, not certified, having spent at most the cap. A Gaussian matrix without the identity shift
   * settles slowly at its small end (tens of iterations at n = 200).
   */
  @Test
  void iterationCapStopsEarlyAndChangesNothingWithin() {
    Random rnd = new Random(33);
    DMatrix t = LinalgTestSupport.gaussian(200, rnd);
    SingularValueBounds.Result full = SingularValueBounds.certify(t, TOL);
    assertTrue(full.certified(), full.reason());
    int k = full.iterations();
    assertTrue(k > 2 * SingularValueBounds.MIN_ITERATIONS, "needs " + k + " iterations");
    SingularValueBounds.Workspace ws = new SingularValueBounds.Workspace();
    SingularValueBounds.Result within = SingularValueBounds.certify(t, TOL, ws, k);
    assertTrue(within.certified(), within.reason());
    assertEquals(k, within.iterations());
    assertEquals(full.factorizations(), within.factorizations());
    assertEquals(full.sigmaMinLower(), within.sigmaMinLower(), 1e-12 * full.sigmaMinLower());
    assertEquals(full.sigmaMaxUpper(), within.sigmaMaxUpper(), 1e-12 * full.sigmaMaxUpper());
    int cap = k / 2;
    SingularValueBounds.Result capped = SingularValueBounds.certify(t, TOL, ws, cap);
    assertFalse(capped.certified(), "certified within " + cap + " of the " + k + " iterations it needed");
    assertTrue(capped.iterations() <= cap, capped.iterations() + " iterations, cap " + cap);
    assertTrue(Double.isNaN(capped.sigmaMinLower()) && Double.isNaN(capped.sigmaMaxUpper()));
    for (int bad : new int[] {SingularValueBounds.MIN_ITERATIONS - 1, SingularValueBounds.MAX_ITERATIONS + 1}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> SingularValueBounds.certify(t, TOL, ws, bad));
      assertTrue(e.getMessage().contains("maxIterations"), e.getMessage());
    }
  }

  @Test
  void refusesBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> SingularValueBounds.certify(null, TOL));
    assertThrows(IllegalArgumentException.class, () -> SingularValueBounds.certify(DMatrix.zeros(2, 3), TOL));
    assertThrows(IllegalArgumentException.class, () -> SingularValueBounds.certify(DMatrix.zeros(0, 0), TOL));
    assertThrows(IllegalArgumentException.class, () -> SingularValueBounds.certify(DMatrix.identity(2), 0.9));
    DMatrix nan = DMatrix.identity(3);
    nan.set(1, 2, Double.NaN);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SingularValueBounds.certify(nan, TOL));
    assertTrue(e.getMessage().contains("t"), e.getMessage());
    assertEquals(SingularValueBounds.pad(1e-3, 1, 1), 1e-3 / 4 * 2 * SingularValueBounds.A_FLOOR, 1e-20);
  }
}
