package dev.cartan.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The float64 primitives: the SIMD provider (default width, 128 and 256 bits) against the scalar one on lengths
 * that hit every vector tail, at non-zero offsets, with tolerances that grow with n and with the sum of the
 * magnitudes involved; and every provider against mathematics (exact BigDecimal sums, reflector identities,
 * norm preservation). Comparison tests skip in the scalar surefire run, where no SIMD provider exists.
 */
class DoubleKernelsTest {
  static final int[] LENGTHS = {1, 7, 8, 9, 15, 16, 17, 31, 33, 63, 65, 127, 129, 1000, 1021};
  static final int[] COLUMNS = {1, 4, 7};
  static final double EPS = Math.ulp(1.0);
  static final int XOFF = 3;
  static final int YOFF = 5;
  static final int PAD = 3;
  static final DoubleKernels SCALAR = KernelProvider.scalar().f64();

  /** 0 means the default SIMD width. */
  static DoubleKernels simd(int bits) {
    Optional<KernelProvider> p = bits == 0 ? KernelProvider.simd() : KernelProvider.simd(bits);
    Assumptions.assumeTrue(p.isPresent(), "no SIMD provider in this run");
    return p.get().f64();
  }

  /** The providers checked against mathematics: the one in use, the scalar one, and SIMD if present. */
  static DoubleKernels[] all() {
    Optional<KernelProvider> p = KernelProvider.simd();
    return p.isPresent() ? new DoubleKernels[] {SCALAR, p.get().f64(), KernelProvider.get().f64()}
        : new DoubleKernels[] {SCALAR, KernelProvider.get().f64()};
  }

  /** {@code off} sentinel values, n uniform values in [-1, 1), then {@link #PAD} sentinels. */
  static double[] vec(Random r, int off, int n) {
    double[] a = new double[off + n + PAD];
    Arrays.fill(a, 12345.0);
    for (int i = 0; i < n; i++) {
      a[off + i] = 2 * r.nextDouble() - 1;
    }
    return a;
  }

  static void assertClose(double expected, double actual, double tol, String what) {
    assertTrue(Math.abs(expected - actual) <= tol,
        () -> what + ": expected " + expected + ", got " + actual + " (|diff| " + Math.abs(expected - actual)
            + " > tol " + tol + ")");
  }

  /** Elements outside {@code [off, off + n)} must be untouched. */
  static void assertOutsideUntouched(double[] before, double[] after, int off, int n, String what) {
    for (int i = 0; i < before.length; i++) {
      if (i < off || i >= off + n) {
        assertEquals(before[i], after[i], what + ": element " + i + " outside the range was written");
      }
    }
  }

  static double sumAbsProducts(int n, double[] x, int xOff, double[] y, int yOff) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += Math.abs(x[xOff + i] * y[yOff + i]);
    }
    return s;
  }

  // ------------------------------------------------------------------ SIMD against scalar

  @ParameterizedTest(name = "bits={0}")
  @ValueSource(ints = {0, 128, 256})
  void dotAndSumSquaresMatchScalar(int bits) {
    DoubleKernels k = simd(bits);
    Random r = new Random(1);
    for (int n : LENGTHS) {
      double[] x = vec(r, XOFF, n);
      double[] y = vec(r, YOFF, n);
      double bound = 2 * (n + 2) * EPS * sumAbsProducts(n, x, XOFF, y, YOFF);
      assertClose(SCALAR.dot(n, x, XOFF, y, YOFF), k.dot(n, x, XOFF, y, YOFF), bound, "dot n=" + n);
      double ssqBound = 2 * (n + 2) * EPS * sumAbsProducts(n, x, XOFF, x, XOFF);
      assertClose(SCALAR.sumSquares(n, x, XOFF), k.sumSquares(n, x, XOFF), ssqBound, "sumSquares n=" + n);
      double nrm = SCALAR.nrm2(n, x, XOFF);
      assertClose(nrm, k.nrm2(n, x, XOFF), (n + 2) * EPS * nrm, "nrm2 n=" + n);
      assertEquals(SCALAR.amax(n, x, XOFF), k.amax(n, x, XOFF), "amax n=" + n);
    }
  }

  @ParameterizedTest(name = "bits={0}")
  @ValueSource(ints = {0, 128, 256})
  void axpyAndScalMatchScalar(int bits) {
    DoubleKernels k = simd(bits);
    Random r = new Random(2);
    for (int n : LENGTHS) {
      double[] x = vec(r, XOFF, n);
      double[] y = vec(r, YOFF, n);
      double alpha = -0.75 + r.nextDouble();
      double[] ys = y.clone();
      double[] yv = y.clone();
      SCALAR.axpy(n, alpha, x, XOFF, ys, YOFF);
      k.axpy(n, alpha, x, XOFF, yv, YOFF);
      for (int i = 0; i < n; i++) {
        // One rounding (FMA) or two: they differ by at most 2 eps of the magnitudes involved.
        double tol = 2 * EPS * (Math.abs(y[YOFF + i]) + Math.abs(alpha * x[XOFF + i]));
        assertClose(ys[YOFF + i], yv[YOFF + i], tol, "axpy n=" + n + " i=" + i);
      }
      assertOutsideUntouched(y, yv, YOFF, n, "axpy n=" + n);
      double[] xs = x.clone();
      double[] xv = x.clone();
      SCALAR.scal(n, alpha, xs, XOFF);
      k.scal(n, alpha, xv, XOFF);
      // One correctly rounded product per element in both: identical.
      assertArrayEquals(xs, xv, "scal n=" + n);
    }
  }

  @ParameterizedTest(name = "bits={0}")
  @ValueSource(ints = {0, 128, 256})
  void rotateMatchesScalar(int bits) {
    DoubleKernels k = simd(bits);
    Random r = new Random(3);
    for (int n : LENGTHS) {
      double[] x = vec(r, XOFF, n);
      double[] y = vec(r, YOFF, n);
      double theta = r.nextDouble() * 2 * Math.PI;
      double c = Math.cos(theta);
      double s = Math.sin(theta);
      double[] xs = x.clone();
      double[] ys = y.clone();
      double[] xv = x.clone();
      double[] yv = y.clone();
      double[] os = new double[3];
      double[] ov = {Double.NaN, Double.NaN, Double.NaN};
      SCALAR.rotate(n, xs, XOFF, ys, YOFF, c, s, os);
      k.rotate(n, xv, XOFF, yv, YOFF, c, s, ov);
      // rot: the same rotation without the sums
      double[] xr = x.clone();
      double[] yr = y.clone();
      double[] xrv = x.clone();
      double[] yrv = y.clone();
      SCALAR.rot(n, xr, XOFF, yr, YOFF, c, s);
      k.rot(n, xrv, XOFF, yrv, YOFF, c, s);
      for (int i = 0; i < n; i++) {
        double a = x[XOFF + i];
        double b = y[YOFF + i];
        double mag = Math.abs(a) + Math.abs(b);
        assertClose(xs[XOFF + i], xv[XOFF + i], 4 * EPS * mag, "rotate x' n=" + n);
        assertClose(ys[YOFF + i], yv[YOFF + i], 4 * EPS * mag, "rotate y' n=" + n);
        // the scalar provider rounds each product, as this naive loop does: identical
        assertEquals(c * a - s * b, xr[XOFF + i], "scalar rot x' n=" + n);
        assertEquals(s * a + c * b, yr[YOFF + i], "scalar rot y' n=" + n);
        assertClose(xr[XOFF + i], xrv[XOFF + i], 4 * EPS * mag, "rot x' n=" + n);
        assertClose(yr[YOFF + i], yrv[YOFF + i], 4 * EPS * mag, "rot y' n=" + n);
      }
      assertOutsideUntouched(x, xrv, XOFF, n, "rot x");
      assertOutsideUntouched(y, yrv, YOFF, n, "rot y");
      assertOutsideUntouched(x, xv, XOFF, n, "rotate x");
      assertOutsideUntouched(y, yv, YOFF, n, "rotate y");
      // The sums see perturbed inputs (a few eps each) and rounding across n terms.
      double tol = 4 * (n + 4) * EPS;
      assertClose(os[0], ov[0], tol * sumAbsProducts(n, xs, XOFF, xs, XOFF), "|x'|^2 n=" + n);
      assertClose(os[1], ov[1], tol * sumAbsProducts(n, ys, YOFF, ys, YOFF), "|y'|^2 n=" + n);
      assertClose(os[2], ov[2], tol * (os[0] + os[1]), "x'.y' n=" + n);
    }
  }

  @ParameterizedTest(name = "bits={0}")
  @ValueSource(ints = {0, 128, 256})
  void householderMatchesScalar(int bits) {
    DoubleKernels k = simd(bits);
    Random r = new Random(4);
    for (int n : LENGTHS) {
      double[] x = vec(r, XOFF, n);
      double[] xs = x.clone();
      double[] xv = x.clone();
      double ts = SCALAR.householder(n, xs, XOFF);
      double tv = k.householder(n, xv, XOFF);
      double tol = 8 * (n + 2) * EPS;
      assertClose(ts, tv, tol * Math.abs(ts), "tau n=" + n);
      for (int i = 0; i < n; i++) {
        assertClose(xs[XOFF + i], xv[XOFF + i], tol * Math.abs(xs[XOFF + i]), "beta/v n=" + n + " i=" + i);
      }
      assertOutsideUntouched(x, xv, XOFF, n, "householder");
    }
  }

  @ParameterizedTest(name = "bits={0}")
  @ValueSource(ints = {0, 128, 256})
  void applyHouseholderMatchesScalar(int bits) {
    DoubleKernels k = simd(bits);
    Random r = new Random(5);
    for (int m : LENGTHS) {
      for (int n : COLUMNS) {
        int ldc = m + 2;
        double[] c = vec(r, YOFF, ldc * n);
        // Left: v has m elements.
        double[] v = vec(r, XOFF, m);
        double tau = 2 / (1 + SCALAR.sumSquares(m - 1, v, XOFF + 1));
        double[] cs = c.clone();
        double[] cv = c.clone();
        SCALAR.applyHouseholderLeft(m, n, v, XOFF, tau, cs, YOFF, ldc, new double[n]);
        k.applyHouseholderLeft(m, n, v, XOFF, tau, cv, YOFF, ldc, new double[n]);
        for (int j = 0; j < n; j++) {
          double w = Math.abs(c[YOFF + j * ldc]) + sumAbsProducts(m - 1, v, XOFF + 1, c, YOFF + j * ldc + 1);
          for (int i = 0; i < m; i++) {
            int e = YOFF + i + j * ldc;
            double vi = i == 0 ? 1 : Math.abs(v[XOFF + i]);
            double tol = 4 * (m + 2) * EPS * (Math.abs(c[e]) + tau * vi * w);
            assertClose(cs[e], cv[e], tol, "left m=" + m + " n=" + n + " (" + i + "," + j + ")");
          }
          for (int i = m; i < ldc && j < n - 1; i++) {
            assertEquals(c[YOFF + i + j * ldc], cv[YOFF + i + j * ldc], "left wrote outside the block");
          }
        }
        // Right: v has n elements; C is m x n.
        double[] vr = vec(r, XOFF, n);
        double taur = 2 / (1 + SCALAR.sumSquares(n - 1, vr, XOFF + 1));
        cs = c.clone();
        cv = c.clone();
        SCALAR.applyHouseholderRight(m, n, vr, XOFF, taur, cs, YOFF, ldc, new double[m]);
        k.applyHouseholderRight(m, n, vr, XOFF, taur, cv, YOFF, ldc, new double[m]);
        for (int i = 0; i < m; i++) {
          double w = Math.abs(c[YOFF + i]);
          for (int j = 1; j < n; j++) {
            w += Math.abs(c[YOFF + i + j * ldc] * vr[XOFF + j]);
          }
          for (int j = 0; j < n; j++) {
            int e = YOFF + i + j * ldc;
            double vj = j == 0 ? 1 : Math.abs(vr[XOFF + j]);
            double tol = 4 * (n + 2) * EPS * (Math.abs(c[e]) + taur * vj * w);
            assertClose(cs[e], cv[e], tol, "right m=" + m + " n=" + n + " (" + i + "," + j + ")");
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "bits={0}")
  @ValueSource(ints = {0, 128, 256})
  void gemvMatchesScalar(int bits) {
    DoubleKernels k = simd(bits);
    Random r = new Random(6);
    for (int m : LENGTHS) {
      for (int n : COLUMNS) {
        int lda = m + 1;
        double[] a = vec(r, XOFF, lda * n);
        double alpha = 0.5 + r.nextDouble();
        for (double beta : new double[] {0.0, 1.0, -0.3}) {
          // y = alpha A x + beta y
          double[] x = vec(r, YOFF, n);
          double[] y = vec(r, XOFF, m);
          double[] ys = y.clone();
          double[] yv = y.clone();
          SCALAR.gemv(m, n, alpha, a, XOFF, lda, x, YOFF, beta, ys, XOFF);
          k.gemv(m, n, alpha, a, XOFF, lda, x, YOFF, beta, yv, XOFF);
          for (int i = 0; i < m; i++) {
            double mag = Math.abs(beta * y[XOFF + i]);
            for (int j = 0; j < n; j++) {
              mag += Math.abs(alpha * a[XOFF + i + j * lda] * x[YOFF + j]);
            }
            assertClose(ys[XOFF + i], yv[XOFF + i], 4 * (n + 2) * EPS * mag, "gemv m=" + m + " n=" + n);
          }
          assertOutsideUntouched(y, yv, XOFF, m, "gemv");
          // y = alpha A^T x + beta y
          double[] xt = vec(r, YOFF, m);
          double[] yt = vec(r, XOFF, n);
          double[] yts = yt.clone();
          double[] ytv = yt.clone();
          SCALAR.gemvTransposed(m, n, alpha, a, XOFF, lda, xt, YOFF, beta, yts, XOFF);
          k.gemvTransposed(m, n, alpha, a, XOFF, lda, xt, YOFF, beta, ytv, XOFF);
          for (int j = 0; j < n; j++) {
            double mag = Math.abs(beta * yt[XOFF + j])
                + Math.abs(alpha) * sumAbsProducts(m, a, XOFF + j * lda, xt, YOFF);
            assertClose(yts[XOFF + j], ytv[XOFF + j], 4 * (m + 2) * EPS * mag, "gemvT m=" + m + " n=" + n);
          }
          assertOutsideUntouched(yt, ytv, XOFF, n, "gemvT");
        }
      }
    }
  }

  @ParameterizedTest(name = "bits={0}")
  @ValueSource(ints = {0, 128, 256})
  void nonFiniteValuesPropagateAlike(int bits) {
    DoubleKernels k = simd(bits);
    for (int n : new int[] {17, 65, 1021}) {
      for (int pos : new int[] {0, n / 2, n - 1}) {
        double[] x = vec(new Random(n + pos), 0, n);
        x[pos] = Double.NaN;
        assertTrue(Double.isNaN(k.amax(n, x, 0)), "amax with NaN at " + pos + " of " + n);
        assertTrue(Double.isNaN(k.nrm2(n, x, 0)), "nrm2 with NaN at " + pos + " of " + n);
        assertTrue(Double.isNaN(k.dot(n, x, 0, x, 0)), "dot with NaN at " + pos + " of " + n);
        x[pos] = Double.NEGATIVE_INFINITY;
        assertEquals(Double.POSITIVE_INFINITY, k.amax(n, x, 0), "amax with -Inf");
        assertEquals(Double.POSITIVE_INFINITY, k.nrm2(n, x, 0), "nrm2 with -Inf");
      }
    }
  }

  // ------------------------------------------------------------------ every provider against mathematics

  static double exactDot(int n, double[] x, int xOff, double[] y, int yOff) {
    BigDecimal s = BigDecimal.ZERO;
    for (int i = 0; i < n; i++) {
      s = s.add(new BigDecimal(x[xOff + i]).multiply(new BigDecimal(y[yOff + i])));
    }
    return s.doubleValue();
  }

  static double exactNorm(int n, double[] x, int xOff) {
    BigDecimal s = BigDecimal.ZERO;
    for (int i = 0; i < n; i++) {
      BigDecimal b = new BigDecimal(x[xOff + i]);
      s = s.add(b.multiply(b));
    }
    return s.sqrt(MathContext.DECIMAL128).doubleValue();
  }

  @Test
  void dotIsWithinTheForwardErrorBoundOfTheExactSum() {
    Random r = new Random(7);
    for (DoubleKernels k : all()) {
      for (int n : LENGTHS) {
        double[] x = vec(r, XOFF, n);
        double[] y = vec(r, YOFF, n);
        // Cancellation-heavy: mix in a large component and its negative.
        x[XOFF] = 1e8;
        y[YOFF] = 1;
        if (n > 1) {
          x[XOFF + n - 1] = -1e8;
          y[YOFF + n - 1] = 1;
        }
        double exact = exactDot(n, x, XOFF, y, YOFF);
        double bound = (n + 1) * EPS * sumAbsProducts(n, x, XOFF, y, YOFF);
        assertClose(exact, k.dot(n, x, XOFF, y, YOFF), bound, k.getClass().getSimpleName() + " dot n=" + n);
      }
    }
  }

  @Test
  void nrm2IsAccurateAcrossTheWholeRange() {
    Random r = new Random(8);
    for (DoubleKernels k : all()) {
      String who = k.getClass().getSimpleName();
      for (int n : LENGTHS) {
        for (double scale : new double[] {1e-300, 1e-160, 1.0, 1e160, 1e300}) {
          double[] x = vec(r, XOFF, n);
          for (int i = 0; i < n; i++) {
            x[XOFF + i] *= scale;
          }
          double exact = exactNorm(n, x, XOFF);
          assertClose(exact, k.nrm2(n, x, XOFF), (n + 4) * EPS * exact, who + " nrm2 scale " + scale + " n=" + n);
        }
        // Mixed: exponents spread over the whole range, so no single scale is safe for the plain sum.
        double[] x = vec(r, XOFF, n);
        for (int i = 0; i < n; i++) {
          x[XOFF + i] *= Math.pow(10, -300 + 600 * r.nextDouble());
        }
        double exact = exactNorm(n, x, XOFF);
        assertClose(exact, k.nrm2(n, x, XOFF), (n + 4) * EPS * exact, who + " nrm2 mixed n=" + n);
        // Constant entries: |x| = sqrt(n) a (summing n equal squares rounds about n/2 times relative eps).
        Arrays.fill(x, XOFF, XOFF + n, 1e300);
        assertClose(Math.sqrt(n) * 1e300, k.nrm2(n, x, XOFF), (n + 4) * EPS * Math.sqrt(n) * 1e300, who + " nrm2 1e300");
        Arrays.fill(x, XOFF, XOFF + n, 1e-300);
        assertClose(Math.sqrt(n) * 1e-300, k.nrm2(n, x, XOFF), (n + 4) * EPS * Math.sqrt(n) * 1e-300,
            who + " nrm2 1e-300");
        Arrays.fill(x, XOFF, XOFF + n, 0.0);
        assertEquals(0.0, k.nrm2(n, x, XOFF), who + " nrm2 of zeros");
      }
      assertEquals(0.0, k.nrm2(0, new double[0], 0), who + " nrm2 of nothing");
      assertEquals(0.0, k.amax(0, new double[0], 0), who + " amax of nothing");
    }
  }

  @Test
  void householderMapsXToBetaE1WithAnOrthogonalReflector() {
    Random r = new Random(9);
    for (DoubleKernels k : all()) {
      String who = k.getClass().getSimpleName();
      for (int n : LENGTHS) {
        for (double scale : new double[] {1e-300, 1.0, 1e300}) {
          double[] x0 = vec(r, XOFF, n);
          for (int i = 0; i < n; i++) {
            x0[XOFF + i] *= scale;
          }
          double[] x = x0.clone();
          double tau = k.householder(n, x, XOFF);
          if (n == 1) {
            assertEquals(0.0, tau, who + " n=1 gives H = I");
            continue;
          }
          double beta = x[XOFF];
          double norm = exactNorm(n, x0, XOFF);
          assertClose(norm, Math.abs(beta), 4 * (n + 2) * EPS * norm, who + " |beta| = |x| n=" + n);
          // H x = x - tau v (v^T x), v = (1, x[XOFF+1..]), computed with the original x scaled to O(1).
          double[] v = new double[n];
          v[0] = 1;
          System.arraycopy(x, XOFF + 1, v, 1, n - 1);
          double vtx = 0;
          double vtv = 0;
          for (int i = 0; i < n; i++) {
            vtx += v[i] * (x0[XOFF + i] / norm);
            vtv += v[i] * v[i];
          }
          double tol = 8 * (n + 2) * EPS;
          for (int i = 0; i < n; i++) {
            double hx = x0[XOFF + i] / norm - tau * v[i] * vtx;
            assertClose(i == 0 ? beta / norm : 0.0, hx, tol, who + " (Hx)_" + i + " n=" + n + " scale " + scale);
          }
          // I - tau v v^T is orthogonal iff tau (tau v^T v - 2) = 0.
          assertClose(2.0, tau * vtv, tol, who + " tau v^T v = 2, n=" + n);
          assertTrue(tau >= 1 && tau <= 2, who + " tau in [1, 2]: " + tau);
        }
      }
    }
  }

  @Test
  void rotationPreservesTheSumOfSquaredNormsAndReportsTheRotatedColumns() {
    Random r = new Random(10);
    for (DoubleKernels k : all()) {
      String who = k.getClass().getSimpleName();
      for (int n : LENGTHS) {
        double[] x = vec(r, XOFF, n);
        double[] y = vec(r, YOFF, n);
        double before = exactDot(n, x, XOFF, x, XOFF) + exactDot(n, y, YOFF, y, YOFF);
        double theta = 0.1 + r.nextDouble();
        double[] out = new double[3];
        k.rotate(n, x, XOFF, y, YOFF, Math.cos(theta), Math.sin(theta), out);
        double tol = 8 * (n + 4) * EPS * before;
        assertClose(before, out[0] + out[1], tol, who + " norm sum n=" + n);
        assertClose(exactDot(n, x, XOFF, x, XOFF), out[0], tol, who + " out[0] n=" + n);
        assertClose(exactDot(n, y, YOFF, y, YOFF), out[1], tol, who + " out[1] n=" + n);
        assertClose(exactDot(n, x, XOFF, y, YOFF), out[2], tol, who + " out[2] n=" + n);
      }
    }
  }

  @Test
  void reflectLeftAndRightMatchExplicitProducts() {
    // v fully explicit (v[0] is read, here not 1); every provider against the product formed by plain loops, on
    // lengths that hit every vector tail; the padding rows of C (ldc = m + 2) must stay untouched.
    Random r = new Random(12);
    for (DoubleKernels k : all()) {
      String who = k.getClass().getSimpleName();
      for (int m : new int[] {1, 7, 8, 9, 16, 17, 31, 33, 64, 65}) {
        for (int n : new int[] {1, 4, 7, 32, 33}) {
          int ldc = m + 2;
          double[] c = vec(r, YOFF, ldc * n);
          double[] v = vec(r, XOFF, m);
          double tau = 2 / SCALAR.sumSquares(m, v, XOFF);
          double[] got = c.clone();
          k.reflectLeft(m, n, v, XOFF, tau, got, YOFF, ldc, new double[n]);
          for (int j = 0; j < n; j++) {
            double w = 0;
            double wabs = 0;
            for (int p = 0; p < m; p++) {
              w += v[XOFF + p] * c[YOFF + p + j * ldc];
              wabs += Math.abs(v[XOFF + p] * c[YOFF + p + j * ldc]);
            }
            for (int i = 0; i < ldc; i++) {
              int e = YOFF + i + j * ldc;
              if (i >= m) {
                assertEquals(c[e], got[e], who + " reflectLeft wrote a padding row");
                continue;
              }
              double want = c[e] - tau * v[XOFF + i] * w;
              double tol = 4 * (m + 2) * EPS * (Math.abs(c[e]) + tau * Math.abs(v[XOFF + i]) * wabs);
              assertClose(want, got[e], tol, who + " reflectLeft m=" + m + " n=" + n + " (" + i + "," + j + ")");
            }
          }
          double[] vr = vec(r, XOFF, n);
          double taur = 2 / SCALAR.sumSquares(n, vr, XOFF);
          got = c.clone();
          k.reflectRight(m, n, vr, XOFF, taur, got, YOFF, ldc, new double[m]);
          for (int i = 0; i < m; i++) {
            double w = 0;
            double wabs = 0;
            for (int p = 0; p < n; p++) {
              w += c[YOFF + i + p * ldc] * vr[XOFF + p];
              wabs += Math.abs(c[YOFF + i + p * ldc] * vr[XOFF + p]);
            }
            for (int j = 0; j < n; j++) {
              int e = YOFF + i + j * ldc;
              double want = c[e] - taur * w * vr[XOFF + j];
              double tol = 4 * (n + 2) * EPS * (Math.abs(c[e]) + taur * Math.abs(vr[XOFF + j]) * wabs);
              assertClose(want, got[e], tol, who + " reflectRight m=" + m + " n=" + n + " (" + i + "," + j + ")");
            }
          }
          for (int j = 0; j < n; j++) {
            for (int i = m; i < ldc; i++) {
              assertEquals(c[YOFF + i + j * ldc], got[YOFF + i + j * ldc], who + " reflectRight wrote padding");
            }
          }
        }
      }
    }
  }

  @Test
  void applyHouseholderAndGemvMatchExplicitProducts() {
    Random r = new Random(11);
    for (DoubleKernels k : all()) {
      String who = k.getClass().getSimpleName();
      for (int m : new int[] {1, 9, 33, 65}) {
        for (int n : new int[] {1, 5, 9}) {
          double[] c = vec(r, 0, m * n);
          // Left: H = I - tau v v^T with v = (1, reflector tail of a random x) is m x m.
          double[] v = vec(r, 0, m);
          double tau = k.householder(m, v, 0);
          double[][] h = reflector(m, v, tau);
          double[] got = c.clone();
          k.applyHouseholderLeft(m, n, v, 0, tau, got, 0, m, new double[n]);
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
              double s = 0;
              double mag = 0;
              for (int p = 0; p < m; p++) {
                s += h[i][p] * c[p + j * m];
                mag += Math.abs(h[i][p] * c[p + j * m]);
              }
              assertClose(s, got[i + j * m], 8 * (m + 2) * EPS * mag, who + " H C m=" + m + " n=" + n);
            }
          }
          // Right: H is n x n.
          double[] vr = vec(r, 0, n);
          double taur = k.householder(n, vr, 0);
          double[][] hr = reflector(n, vr, taur);
          got = c.clone();
          k.applyHouseholderRight(m, n, vr, 0, taur, got, 0, m, new double[m]);
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
              double s = 0;
              double mag = 0;
              for (int p = 0; p < n; p++) {
                s += c[i + p * m] * hr[p][j];
                mag += Math.abs(c[i + p * m] * hr[p][j]);
              }
              assertClose(s, got[i + j * m], 8 * (n + 2) * EPS * mag, who + " C H m=" + m + " n=" + n);
            }
          }
          // gemv with beta = 0 must overwrite NaN in y (BLAS convention).
          double[] x = vec(r, 0, n);
          double[] y = new double[m];
          Arrays.fill(y, Double.NaN);
          k.gemv(m, n, 2.0, c, 0, m, x, 0, 0.0, y, 0);
          for (int i = 0; i < m; i++) {
            double s = 0;
            double mag = 0;
            for (int j = 0; j < n; j++) {
              s += 2 * c[i + j * m] * x[j];
              mag += Math.abs(2 * c[i + j * m] * x[j]);
            }
            assertClose(s, y[i], 4 * (n + 2) * EPS * mag, who + " gemv m=" + m + " n=" + n);
          }
        }
      }
    }
  }

  /** Dense {@code I - tau v v^T} with v[0] taken as 1. */
  static double[][] reflector(int n, double[] v, double tau) {
    double[][] h = new double[n][n];
    for (int i = 0; i < n; i++) {
      double vi = i == 0 ? 1 : v[i];
      for (int j = 0; j < n; j++) {
        double vj = j == 0 ? 1 : v[j];
        h[i][j] = (i == j ? 1 : 0) - tau * vi * vj;
      }
    }
    return h;
  }
}
