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
    for (int n : new int[] {1, 7, 8, 9, 15, 16, 17, 31, 33, 63, 65, 141}) {
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

  /**
   * Above {@link JacobiSvd#DEFAULT_PRECONDITION_MIN} a matrix that is not graded takes the preconditioned route
   * (the fast SVD's V, then Gram-driven passes): it must converge in fewer passes than the plain sweeps need, agree with the plain sweeps (an independent route to the same values) and with the singular values the
   * matrix was built from, and give orthonormal vectors that reconstruct A. Tall, square and wide.
   */
  @Test
  void preconditionedRouteAgreesWithPlainSweeps() {
    Random rnd = new Random(26);
    for (int[] shape : new int[][] {{170, 140}, {150, 150}, {130, 180}}) {
      int m = shape[0];
      int n = shape[1];
      int k = Math.min(m, n);
      double[] s = new double[k];
      for (int i = 0; i < k; i++) {
        s[i] = Math.pow(1e-3, (double) i / (k - 1)); // geometric from 1 to 1e-3
      }
      DMatrix a = SvdTestSupport.withValues(rnd, m, n, s);
      JacobiSvd preSvd = new JacobiSvd();
      SvdResult pre = preSvd.decompose(a, true);
      JacobiSvd plainSvd = new JacobiSvd().preconditionMin(0);
      SvdResult plain = plainSvd.decompose(a, true);
      String at = m + "x" + n;
      assertTrue(preSvd.lastPreconditioned() && !plainSvd.lastPreconditioned(), at);
      assertTrue(pre.converged() && plain.converged(), at);
      assertTrue(pre.sweeps() < plain.sweeps(), at + ": passes " + pre.sweeps() + ", sweeps " + plain.sweeps());
      // both are within the absolute-class bound of the construction's values, and of each other
      double bound = 10 * Math.sqrt(Math.max(m, n)) * EPS * s[0];
      for (int i = 0; i < k; i++) {
        assertEquals(s[i], pre.values()[i], bound, at + " value " + i);
        assertEquals(plain.values()[i], pre.values()[i], bound, at + " value " + i + " vs plain");
      }
      assertTrue(SvdTestSupport.orthogonalityError(pre.u()) <= ORTHO_TOL, at + " U");
      assertTrue(SvdTestSupport.orthogonalityError(pre.v()) <= ORTHO_TOL, at + " V");
      assertTrue(SvdTestSupport.reconstructionError(a, pre.values(), pre.u(), pre.v()) <= RECON_TOL, at);
    }
  }

  /**
   * A column-graded matrix ({@code cond(A)} ~ 1e12, scaled condition ~ 10) must not take the preconditioned route,
   * whose error is absolute ({@code eps s_1}): it gives the plain sweeps' answer.
   */
  @Test
  void gradedInputKeepsThePlainSweeps() {
    Random rnd = new Random(27);
    int n = 140;
    double[] sb = new double[n];
    for (int i = 0; i < n; i++) {
      sb[i] = 1.0 + 9.0 * i / (n - 1);
    }
    DMatrix a = SvdTestSupport.withValues(rnd, n, n, sb);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        a.set(i, j, a.get(i, j) * Math.pow(10.0, -12.0 * j / (n - 1)));
      }
    }
    JacobiSvd svd = new JacobiSvd();
    SvdResult d = svd.decompose(a, false);
    assertFalse(svd.lastPreconditioned());
    SvdResult plain = new JacobiSvd().preconditionMin(0).decompose(a, false);
    // the same route; equal up to the last bits (the SIMD dot products' lane order can change once the JIT
    // compiles them between the two calls)
    for (int i = 0; i < n; i++) {
      assertEquals(plain.values()[i], d.values()[i], 8 * EPS * plain.values()[i], "value " + i);
    }
  }

  /** One Newton-Schulz step takes a matrix 1e-9 away from orthogonal to working precision, moving it ~1e-9. */
  @Test
  void reorthogonalizeRestoresOrthogonality() {
    Random rnd = new Random(28);
    for (int n : new int[] {1, 9, 40, 133}) {
      DMatrix q = SvdTestSupport.orthonormal(rnd, n, n);
      DMatrix z = q.copy();
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < n; i++) {
          z.set(i, j, z.get(i, j) + 1e-9 / Math.sqrt(n) * rnd.nextGaussian());
        }
      }
      assertTrue(SvdTestSupport.orthogonalityError(z) > 1e-10, "n=" + n);
      JacobiSvd.reorthogonalize(z, DMatrix.zeros(n, n));
      assertTrue(SvdTestSupport.orthogonalityError(z) <= 10 * n * EPS, "n=" + n + ": "
          + SvdTestSupport.orthogonalityError(z));
      double moved = 0;
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < n; i++) {
          moved = Math.max(moved, Math.abs(z.get(i, j) - q.get(i, j)));
        }
      }
      assertTrue(moved < 1e-8, "n=" + n + " moved " + moved);
    }
  }
}
