package dev.cartan.kernels.svd;

import static dev.cartan.kernels.svd.SvdTestSupport.EPS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.KernelProvider;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Jacobi SVD on the JVM's provider against {@link SvdChecks}, plus Jacobi-specific properties. */
class JacobiSvdTest extends SvdChecks {

  @Override
  protected SvdResult svd(DMatrix a, boolean wantVectors) {
    SvdResult r = new JacobiSvd().decompose(a, wantVectors);
    assertEquals("jacobi", r.method());
    return r;
  }

  @Override
  protected boolean relativeAccuracy() {
    return true;
  }

  /**
   * {@code A = B D} with B well conditioned (random orthogonal factors around singular values 1..10) and D graded
   * over 15 decades: permuting rows and columns, flipping signs and scaling by a power of two change no singular
   * value, and a relatively accurate SVD must reproduce them to {@code O(eps cond(B))} relative error, while a
   * bidiagonal SVD loses the small ones (absolute error eps s_1 is 1e-16 relative to s_1 = 1, i.e. ~1e-1 at
   * 1e-15).
   */
  @Test
  void gradedValuesAreInvariantUnderPermutationAndScaling() {
    Random rnd = new Random(21);
    for (int[] shape : new int[][] {{40, 40}, {90, 30}, {30, 90}}) {
      int m = shape[0];
      int n = shape[1];
      int k = Math.min(m, n);
      double[] sb = new double[k];
      for (int i = 0; i < k; i++) {
        sb[i] = 1.0 + 9.0 * i / Math.max(1, k - 1);
      }
      DMatrix b = SvdTestSupport.withValues(rnd, m, n, sb);
      // grade the columns of the tall orientation (rows of a wide matrix)
      DMatrix a = DMatrix.zeros(m, n);
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < m; i++) {
          int g = m >= n ? j : i;
          a.set(i, j, b.get(i, j) * Math.pow(10.0, -15.0 * g / (k - 1)));
        }
      }
      int[] rp = SvdChecks.shuffled(m, rnd);
      int[] cp = SvdChecks.shuffled(n, rnd);
      double[] rowSign = new double[m];
      for (int i = 0; i < m; i++) {
        rowSign[i] = rnd.nextBoolean() ? 1 : -1;
      }
      DMatrix c = DMatrix.zeros(m, n);
      for (int j = 0; j < n; j++) {
        double colSign = rnd.nextBoolean() ? 1 : -1;
        for (int i = 0; i < m; i++) {
          c.set(rp[i], cp[j], Math.scalb(rowSign[i] * colSign * a.get(i, j), -600));
        }
      }
      double[] sa = checked(a).values();
      double[] sc = checked(c).values();
      double worst = 0;
      for (int i = 0; i < k; i++) {
        worst = Math.max(worst, Math.abs(Math.scalb(sc[i], 600) - sa[i]) / sa[i]);
      }
      // cond(B) = 10 and the unit-column B is within sqrt(n) of it: 10 * sqrt(n) * eps * 10 covers both runs.
      assertTrue(worst <= 100 * Math.sqrt(k) * EPS, "worst relative difference " + worst + " for " + m + "x" + n);
      assertTrue(sa[k - 1] < 1e-13 * sa[0], "the construction should be graded");
    }
  }

  /** Every rotation-block size gives the same mathematics (up to rounding): blocking only changes traffic. */
  @Test
  void blockSizeDoesNotChangeTheAnswer() {
    Random rnd = new Random(22);
    DMatrix a = SvdTestSupport.gaussian(rnd, 70, 50);
    double[] ref = new JacobiSvd().blockColumns(50).decompose(a, false).values();
    for (int b : new int[] {1, 3, 8, 17}) {
      double[] s = new JacobiSvd().blockColumns(b).decompose(a, false).values();
      for (int i = 0; i < s.length; i++) {
        assertEquals(ref[i], s[i], 1e-13 * ref[0], "block " + b + " value " + i);
      }
    }
  }

  /** The scalar and SIMD providers agree to rounding on shapes that hit every vector tail. */
  @Test
  void providersAgree() {
    Optional<KernelProvider> simd = KernelProvider.simd();
    org.junit.jupiter.api.Assumptions.assumeTrue(simd.isPresent(), "no SIMD provider in this run");
    Random rnd = new Random(23);
    for (int n : new int[] {1, 7, 8, 9, 15, 16, 17, 31, 33, 63, 65}) {
      DMatrix a = SvdTestSupport.gaussian(rnd, n + 3, n);
      double[] s1 = new JacobiSvd(KernelProvider.scalar()).decompose(a, false).values();
      double[] s2 = new JacobiSvd(simd.get()).decompose(a, false).values();
      for (int i = 0; i < n; i++) {
        assertEquals(s1[i], s2[i], 20 * Math.sqrt(n) * EPS * s1[0], "n=" + n + " value " + i);
      }
    }
  }

  /** The error estimate is small for well-conditioned input and grows for graded input only as far as the bound. */
  @Test
  void errorEstimatesAreFiniteAndSmall() {
    Random rnd = new Random(24);
    SvdResult r = new JacobiSvd().decompose(SvdTestSupport.gaussian(rnd, 30, 20), false);
    for (double e : r.relativeError()) {
      assertTrue(e > 0 && e < 1e-10, "estimate " + e);
    }
    assertTrue(r.residual() <= Math.sqrt(20) * EPS, "residual " + r.residual());
    assertTrue(r.sweeps() >= 1 && r.sweeps() <= JacobiSvd.MAX_SWEEPS);
  }

  /** The facade routes every method to Jacobi and honours FULL vectors and float32 input. */
  @Test
  void facade() {
    Random rnd = new Random(25);
    DMatrix a = SvdTestSupport.gaussian(rnd, 12, 5);
    double[] ref = new JacobiSvd().decompose(a, false).values();
    for (SvdOptions.Method m : SvdOptions.Method.values()) {
      SvdResult r = Svd.decompose(a, new SvdOptions(m, SvdOptions.Vectors.FULL, 1));
      assertArrayEquals(ref, r.values(), 1e-14 * ref[0]);
      assertEquals(12, r.u().cols());
      assertEquals(5, r.v().cols());
      assertTrue(SvdTestSupport.orthogonalityError(r.u()) < ORTHO_TOL);
    }
    assertArrayEquals(ref, Svd.values(a), 1e-14 * ref[0]);
    assertFalse(Svd.decompose(a, false).values().length == 0);
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new SvdOptions(SvdOptions.Method.AUTO, SvdOptions.Vectors.NONE, 0));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Svd.values((DMatrix) null));
  }
}
