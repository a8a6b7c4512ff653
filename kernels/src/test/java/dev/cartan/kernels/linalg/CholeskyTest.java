package dev.cartan.kernels.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.kernels.DMatrix;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Cholesky} against a naive column Cholesky and against mathematics: the completed factorization satisfies
 * Higham's componentwise bound {@code |L L^T - A| <= gamma_{n+1} |L| |L|^T} (Theorem 10.3), positive definite
 * matrices of known spectrum factor and indefinite ones do not, and the first failing column is the one the
 * leading minors predict. Sizes hit the recursion's base (16) and the syrk block (128) edges. The kernels suite
 * runs this class on the SIMD and on the scalar provider (kernels/pom.xml).
 */
class CholeskyTest {
  private static final int[] SIZES = {1, 2, 7, 15, 16, 17, 31, 33, 63, 65, 127, 129, 257, 300};

  /** An SPD matrix {@code B B^T / n + c I}. */
  private static DMatrix spd(int n, double c, Random rnd) {
    DMatrix a = LinalgTestSupport.aat(LinalgTestSupport.gaussian(n, rnd));
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        a.set(i, j, a.get(i, j) / n + (i == j ? c : 0));
      }
    }
    return a;
  }

  /** The textbook column Cholesky (Golub and Van Loan, algorithm 4.2.1) on the lower triangle; null if it fails. */
  private static DMatrix naive(DMatrix a) {
    int n = a.rows();
    DMatrix l = DMatrix.zeros(n, n);
    for (int j = 0; j < n; j++) {
      double p = a.get(j, j);
      for (int k = 0; k < j; k++) {
        p -= l.get(j, k) * l.get(j, k);
      }
      if (!(p > 0)) {
        return null;
      }
      l.set(j, j, Math.sqrt(p));
      for (int i = j + 1; i < n; i++) {
        double x = a.get(i, j);
        for (int k = 0; k < j; k++) {
          x -= l.get(i, k) * l.get(j, k);
        }
        l.set(i, j, x / l.get(j, j));
      }
    }
    return l;
  }

  @Test
  void matchesTheNaiveFactorAndHighamsBound() {
    Random rnd = new Random(1);
    for (int n : SIZES) {
      DMatrix a = spd(n, 0.5, rnd);
      DMatrix l = a.copy();
      assertEquals(-1, Cholesky.factorLower(l), "n = " + n);
      DMatrix ref = naive(a);
      double gamma = (n + 1) * LinalgTestSupport.U / (1 - (n + 1) * LinalgTestSupport.U);
      for (int j = 0; j < n; j++) {
        for (int i = j; i < n; i++) {
          // Both factors are backward stable and A is well conditioned (cond <= ~9): they agree to a few n u.
          assertEquals(ref.get(i, j), l.get(i, j), 20 * n * LinalgTestSupport.U, "n = " + n + " L(" + i + "," + j + ")");
          double llt = 0;
          double abs = 0;
          for (int k = 0; k <= j; k++) {
            llt += l.get(i, k) * l.get(j, k);
            abs += Math.abs(l.get(i, k) * l.get(j, k));
          }
          // The check's own sum adds (j + 1) u |L||L|^T: allowed for by doubling gamma.
          assertTrue(Math.abs(llt - a.get(i, j)) <= 2 * gamma * abs + Double.MIN_NORMAL,
              "n = " + n + " residual at (" + i + "," + j + ")");
        }
      }
    }
  }

  @Test
  void readsOnlyTheLowerTriangleOfAView() {
    Random rnd = new Random(2);
    int n = 70;
    DMatrix a = spd(n, 1, rnd);
    DMatrix big = DMatrix.zeros(n + 5, n + 2);
    big.fill(Double.NaN);
    DMatrix v = big.view(3, 1, n, n);
    for (int j = 0; j < n; j++) {
      for (int i = j; i < n; i++) {
        v.set(i, j, a.get(i, j));
      }
    }
    assertEquals(-1, Cholesky.factorLower(v));
    DMatrix ref = naive(a);
    for (int j = 0; j < n; j++) {
      for (int i = j; i < n; i++) {
        assertEquals(ref.get(i, j), v.get(i, j), 1e-12);
      }
    }
    assertTrue(Double.isNaN(big.get(0, 0)) && Double.isNaN(big.get(n + 4, n + 1)), "outside the view untouched");
  }

  /** Inertia: {@code Q diag(lambda) Q^T - x I} factors iff x is below the smallest lambda, on both sides of it. */
  @Test
  void detectsDefinitenessOnBothSidesOfTheSmallestEigenvalue() {
    Random rnd = new Random(3);
    for (int n : new int[] {2, 9, 40, 129, 200}) {
      double[] lambda = new double[n];
      for (int k = 0; k < n; k++) {
        lambda[k] = 1 + 3.0 * k / n;
      }
      DMatrix q = LinalgTestSupport.orthogonal(n, rnd);
      DMatrix s = LinalgTestSupport.scaledProduct(q, lambda, q);
      // Rounding moves the eigenvalues of the stored matrix by ~n u; 1e-9 is far outside that.
      for (double shift : new double[] {0, 0.5, 1 - 1e-9, 1 + 1e-9, 1.5, 4.5}) {
        DMatrix w = s.copy();
        for (int i = 0; i < n; i++) {
          w.set(i, i, w.get(i, i) - shift);
        }
        int bad = Cholesky.factorLower(w);
        assertEquals(shift < 1, bad < 0, "n = " + n + ", shift " + shift + " -> " + bad);
      }
    }
  }

  @Test
  void reportsTheFirstBadColumn() {
    for (int n : new int[] {3, 20, 40, 130}) {
      for (int badAt : new int[] {0, 1, n / 2, n - 1}) {
        DMatrix d = DMatrix.identity(n);
        d.set(badAt, badAt, -1);
        assertEquals(badAt, Cholesky.factorLower(d), "n = " + n);
        DMatrix z = DMatrix.identity(n);
        z.set(badAt, badAt, 0);
        assertEquals(badAt, Cholesky.factorLower(z), "zero pivot, n = " + n);
        DMatrix nan = DMatrix.identity(n);
        nan.set(badAt, badAt, Double.NaN);
        assertEquals(badAt, Cholesky.factorLower(nan), "NaN pivot, n = " + n);
      }
    }
    assertEquals(-1, Cholesky.factorLower(DMatrix.zeros(0, 0)));
  }

  @Test
  void syrkLowerMatchesATripleLoop() {
    Random rnd = new Random(4);
    for (int n : new int[] {1, 5, 127, 128, 129, 300}) {
      for (int k : new int[] {1, 3, 64, 200}) {
        DMatrix a = DMatrix.zeros(n, k);
        for (int j = 0; j < k; j++) {
          for (int i = 0; i < n; i++) {
            a.set(i, j, rnd.nextGaussian());
          }
        }
        DMatrix c = DMatrix.zeros(n, n);
        c.fill(2);
        Cholesky.syrkLower(-0.5, a, 3, c);
        DMatrix ref = LinalgTestSupport.aat(a);
        DMatrix abs = a.copy();
        for (int j = 0; j < k; j++) {
          for (int i = 0; i < n; i++) {
            abs.set(i, j, Math.abs(a.get(i, j)));
          }
        }
        DMatrix absRef = LinalgTestSupport.aat(abs);
        for (int j = 0; j < n; j++) {
          for (int i = j; i < n; i++) {
            double want = -0.5 * ref.get(i, j) + 6;
            double tol = (k + 4) * LinalgTestSupport.U * (0.5 * absRef.get(i, j) + 6);
            assertEquals(want, c.get(i, j), 2 * tol, n + "x" + k);
          }
        }
        // Above the diagonal blocks nothing is written.
        if (n > Cholesky.SYRK_BLOCK) {
          assertEquals(2, c.get(0, n - 1));
        }
      }
    }
  }

  @Test
  void refusesBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> Cholesky.factorLower(null));
    assertThrows(IllegalArgumentException.class, () -> Cholesky.factorLower(DMatrix.zeros(2, 3)));
    assertThrows(IllegalArgumentException.class, () -> Cholesky.factorLower(DMatrix.identity(3).transpose()));
    assertThrows(IllegalArgumentException.class, () -> Cholesky.syrkLower(1, DMatrix.zeros(2, 2), 0,
        DMatrix.zeros(3, 3)));
    assertThrows(IllegalArgumentException.class, () -> Cholesky.backwardErrorBound(3, -1));
    assertThrows(IllegalArgumentException.class, () -> Cholesky.backwardErrorBound(-1, 1));
    double g = 4 * LinalgTestSupport.U / (1 - 4 * LinalgTestSupport.U);
    assertEquals(1.01 * g / (1 - g) * 7, Cholesky.backwardErrorBound(3, 7), 1e-30);
  }
}
