package dev.cartan.kernels;

import static dev.cartan.kernels.DoubleKernelsTest.COLUMNS;
import static dev.cartan.kernels.DoubleKernelsTest.LENGTHS;
import static dev.cartan.kernels.DoubleKernelsTest.PAD;
import static dev.cartan.kernels.DoubleKernelsTest.XOFF;
import static dev.cartan.kernels.DoubleKernelsTest.YOFF;
import static dev.cartan.kernels.DoubleKernelsTest.assertClose;
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
 * The float32 primitives: SIMD (default width, 128 and 256 bits) against scalar on every tail length at
 * non-zero offsets, and every provider against float64 / BigDecimal references. Products and dots are float32
 * (tolerances in float32 eps); sums of squares, norms and the rotation's by-products are float64 in both
 * providers (tolerances in float64 eps, plus float32 eps where the rotated values themselves differ).
 */
class FloatKernelsTest {
  static final double EPS_F = Math.ulp(1f);
  static final double EPS = Math.ulp(1.0);
  static final FloatKernels SCALAR = KernelProvider.scalar().f32();

  static FloatKernels simd(int bits) {
    Optional<KernelProvider> p = bits == 0 ? KernelProvider.simd() : KernelProvider.simd(bits);
    Assumptions.assumeTrue(p.isPresent(), "no SIMD provider in this run");
    return p.get().f32();
  }

  static FloatKernels[] all() {
    Optional<KernelProvider> p = KernelProvider.simd();
    return p.isPresent() ? new FloatKernels[] {SCALAR, p.get().f32(), KernelProvider.get().f32()}
        : new FloatKernels[] {SCALAR, KernelProvider.get().f32()};
  }

  static float[] vec(Random r, int off, int n) {
    float[] a = new float[off + n + PAD];
    Arrays.fill(a, 12345f);
    for (int i = 0; i < n; i++) {
      a[off + i] = 2 * r.nextFloat() - 1;
    }
    return a;
  }

  static void assertOutsideUntouched(float[] before, float[] after, int off, int n, String what) {
    for (int i = 0; i < before.length; i++) {
      if (i < off || i >= off + n) {
        assertEquals(before[i], after[i], what + ": element " + i + " outside the range was written");
      }
    }
  }

  static double sumAbsProducts(int n, float[] x, int xOff, float[] y, int yOff) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += Math.abs((double) x[xOff + i] * y[yOff + i]);
    }
    return s;
  }

  static double exactSumSquares(int n, float[] x, int xOff) {
    BigDecimal s = BigDecimal.ZERO;
    for (int i = 0; i < n; i++) {
      BigDecimal b = new BigDecimal(x[xOff + i]);
      s = s.add(b.multiply(b));
    }
    return s.doubleValue();
  }

  static double exactNorm(int n, float[] x, int xOff) {
    BigDecimal s = BigDecimal.ZERO;
    for (int i = 0; i < n; i++) {
      BigDecimal b = new BigDecimal(x[xOff + i]);
      s = s.add(b.multiply(b));
    }
    return s.sqrt(MathContext.DECIMAL128).doubleValue();
  }

  static double exactDot(int n, float[] x, int xOff, float[] y, int yOff) {
    BigDecimal s = BigDecimal.ZERO;
    for (int i = 0; i < n; i++) {
      s = s.add(new BigDecimal(x[xOff + i]).multiply(new BigDecimal(y[yOff + i])));
    }
    return s.doubleValue();
  }

  // ------------------------------------------------------------------ SIMD against scalar

  @ParameterizedTest(name = "bits={0}")
  @ValueSource(ints = {0, 128, 256})
  void reductionsMatchScalar(int bits) {
    FloatKernels k = simd(bits);
    Random r = new Random(21);
    for (int n : LENGTHS) {
      float[] x = vec(r, XOFF, n);
      float[] y = vec(r, YOFF, n);
      double bound = 2 * (n + 2) * EPS_F * sumAbsProducts(n, x, XOFF, y, YOFF);
      assertClose(SCALAR.dot(n, x, XOFF, y, YOFF), k.dot(n, x, XOFF, y, YOFF), bound, "dot n=" + n);
      double ssq = SCALAR.sumSquares(n, x, XOFF);
      assertClose(ssq, k.sumSquares(n, x, XOFF), 2 * (n + 2) * EPS * ssq, "sumSquares n=" + n);
      double nrm = SCALAR.nrm2(n, x, XOFF);
      assertClose(nrm, k.nrm2(n, x, XOFF), (n + 2) * EPS * nrm, "nrm2 n=" + n);
      assertEquals(SCALAR.amax(n, x, XOFF), k.amax(n, x, XOFF), "amax n=" + n);
    }
  }

  @ParameterizedTest(name = "bits={0}")
  @ValueSource(ints = {0, 128, 256})
  void axpyScalAndRotateMatchScalar(int bits) {
    FloatKernels k = simd(bits);
    Random r = new Random(22);
    for (int n : LENGTHS) {
      float[] x = vec(r, XOFF, n);
      float[] y = vec(r, YOFF, n);
      float alpha = -0.75f + r.nextFloat();
      float[] ys = y.clone();
      float[] yv = y.clone();
      SCALAR.axpy(n, alpha, x, XOFF, ys, YOFF);
      k.axpy(n, alpha, x, XOFF, yv, YOFF);
      for (int i = 0; i < n; i++) {
        double tol = 2 * EPS_F * (Math.abs(y[YOFF + i]) + Math.abs(alpha * x[XOFF + i]));
        assertClose(ys[YOFF + i], yv[YOFF + i], tol, "axpy n=" + n + " i=" + i);
      }
      assertOutsideUntouched(y, yv, YOFF, n, "axpy");
      float[] xs = x.clone();
      float[] xv = x.clone();
      SCALAR.scal(n, alpha, xs, XOFF);
      k.scal(n, alpha, xv, XOFF);
      assertArrayEquals(xs, xv, "scal n=" + n);

      float c = (float) Math.cos(0.3 + n);
      float s = (float) Math.sin(0.3 + n);
      xs = x.clone();
      xv = x.clone();
      ys = y.clone();
      yv = y.clone();
      double[] os = new double[3];
      double[] ov = new double[3];
      SCALAR.rotate(n, xs, XOFF, ys, YOFF, c, s, os);
      k.rotate(n, xv, XOFF, yv, YOFF, c, s, ov);
      for (int i = 0; i < n; i++) {
        double mag = Math.abs(x[XOFF + i]) + Math.abs(y[YOFF + i]);
        assertClose(xs[XOFF + i], xv[XOFF + i], 4 * EPS_F * mag, "rotate x' n=" + n);
        assertClose(ys[YOFF + i], yv[YOFF + i], 4 * EPS_F * mag, "rotate y' n=" + n);
      }
      assertOutsideUntouched(x, xv, XOFF, n, "rotate x");
      assertOutsideUntouched(y, yv, YOFF, n, "rotate y");
      // The float32 rotated values may differ by a few float32 ulps; the float64 sums add n eps on top.
      double tol = 8 * EPS_F + 4 * (n + 4) * EPS;
      assertClose(os[0], ov[0], tol * os[0], "|x'|^2 n=" + n);
      assertClose(os[1], ov[1], tol * os[1], "|y'|^2 n=" + n);
      assertClose(os[2], ov[2], tol * (os[0] + os[1]), "x'.y' n=" + n);
    }
  }

  @ParameterizedTest(name = "bits={0}")
  @ValueSource(ints = {0, 128, 256})
  void householderAndItsApplicationMatchScalar(int bits) {
    FloatKernels k = simd(bits);
    Random r = new Random(23);
    for (int m : LENGTHS) {
      float[] x = vec(r, XOFF, m);
      float[] xs = x.clone();
      float[] xv = x.clone();
      float ts = SCALAR.householder(m, xs, XOFF);
      float tv = k.householder(m, xv, XOFF);
      assertClose(ts, tv, 2 * EPS_F * Math.abs(ts), "tau m=" + m);
      for (int i = 0; i < m; i++) {
        assertClose(xs[XOFF + i], xv[XOFF + i], 2 * EPS_F * Math.abs(xs[XOFF + i]), "beta/v m=" + m);
      }
      for (int n : COLUMNS) {
        int ldc = m + 2;
        float[] c = vec(r, YOFF, ldc * n);
        float tau = (float) (2 / (1 + SCALAR.sumSquares(m - 1, xs, XOFF + 1)));
        float[] cs = c.clone();
        float[] cv = c.clone();
        SCALAR.applyHouseholderLeft(m, n, xs, XOFF, tau, cs, YOFF, ldc, new float[n]);
        k.applyHouseholderLeft(m, n, xs, XOFF, tau, cv, YOFF, ldc, new float[n]);
        for (int j = 0; j < n; j++) {
          double w = Math.abs(c[YOFF + j * ldc]) + sumAbsProducts(m - 1, xs, XOFF + 1, c, YOFF + j * ldc + 1);
          for (int i = 0; i < m; i++) {
            int e = YOFF + i + j * ldc;
            double vi = i == 0 ? 1 : Math.abs(xs[XOFF + i]);
            assertClose(cs[e], cv[e], 4 * (m + 2) * EPS_F * (Math.abs(c[e]) + tau * vi * w),
                "left m=" + m + " n=" + n);
          }
        }
        float[] vr = vec(r, XOFF, n);
        float taur = (float) (2 / (1 + SCALAR.sumSquares(n - 1, vr, XOFF + 1)));
        cs = c.clone();
        cv = c.clone();
        SCALAR.applyHouseholderRight(m, n, vr, XOFF, taur, cs, YOFF, ldc, new float[m]);
        k.applyHouseholderRight(m, n, vr, XOFF, taur, cv, YOFF, ldc, new float[m]);
        for (int i = 0; i < m; i++) {
          double w = Math.abs(c[YOFF + i]);
          for (int j = 1; j < n; j++) {
            w += Math.abs(c[YOFF + i + j * ldc] * vr[XOFF + j]);
          }
          for (int j = 0; j < n; j++) {
            int e = YOFF + i + j * ldc;
            double vj = j == 0 ? 1 : Math.abs(vr[XOFF + j]);
            assertClose(cs[e], cv[e], 4 * (n + 2) * EPS_F * (Math.abs(c[e]) + taur * vj * w),
                "right m=" + m + " n=" + n);
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "bits={0}")
  @ValueSource(ints = {0, 128, 256})
  void gemvMatchesScalar(int bits) {
    FloatKernels k = simd(bits);
    Random r = new Random(24);
    for (int m : LENGTHS) {
      for (int n : COLUMNS) {
        int lda = m + 1;
        float[] a = vec(r, XOFF, lda * n);
        float alpha = 0.5f + r.nextFloat();
        for (float beta : new float[] {0f, 1f, -0.3f}) {
          float[] x = vec(r, YOFF, n);
          float[] y = vec(r, XOFF, m);
          float[] ys = y.clone();
          float[] yv = y.clone();
          SCALAR.gemv(m, n, alpha, a, XOFF, lda, x, YOFF, beta, ys, XOFF);
          k.gemv(m, n, alpha, a, XOFF, lda, x, YOFF, beta, yv, XOFF);
          for (int i = 0; i < m; i++) {
            double mag = Math.abs(beta * y[XOFF + i]);
            for (int j = 0; j < n; j++) {
              mag += Math.abs(alpha * a[XOFF + i + j * lda] * x[YOFF + j]);
            }
            assertClose(ys[XOFF + i], yv[XOFF + i], 4 * (n + 2) * EPS_F * mag, "gemv m=" + m + " n=" + n);
          }
          assertOutsideUntouched(y, yv, XOFF, m, "gemv");
          float[] xt = vec(r, YOFF, m);
          float[] yt = vec(r, XOFF, n);
          float[] yts = yt.clone();
          float[] ytv = yt.clone();
          SCALAR.gemvTransposed(m, n, alpha, a, XOFF, lda, xt, YOFF, beta, yts, XOFF);
          k.gemvTransposed(m, n, alpha, a, XOFF, lda, xt, YOFF, beta, ytv, XOFF);
          for (int j = 0; j < n; j++) {
            double mag = Math.abs(beta * yt[XOFF + j])
                + Math.abs(alpha) * sumAbsProducts(m, a, XOFF + j * lda, xt, YOFF);
            assertClose(yts[XOFF + j], ytv[XOFF + j], 4 * (m + 2) * EPS_F * mag, "gemvT m=" + m + " n=" + n);
          }
          assertOutsideUntouched(yt, ytv, XOFF, n, "gemvT");
        }
      }
    }
  }

  @ParameterizedTest(name = "bits={0}")
  @ValueSource(ints = {0, 128, 256})
  void nonFiniteValuesPropagateAlike(int bits) {
    FloatKernels k = simd(bits);
    for (int n : new int[] {17, 65, 1021}) {
      for (int pos : new int[] {0, n / 2, n - 1}) {
        float[] x = vec(new Random(n + pos), 0, n);
        x[pos] = Float.NaN;
        assertTrue(Float.isNaN(k.amax(n, x, 0)), "amax with NaN at " + pos + " of " + n);
        assertTrue(Double.isNaN(k.nrm2(n, x, 0)), "nrm2 with NaN at " + pos + " of " + n);
        x[pos] = Float.NEGATIVE_INFINITY;
        assertEquals(Float.POSITIVE_INFINITY, k.amax(n, x, 0), "amax with -Inf");
        assertEquals(Double.POSITIVE_INFINITY, k.nrm2(n, x, 0), "nrm2 with -Inf");
      }
    }
  }

  // ------------------------------------------------------------------ every provider against references

  @Test
  void dotAndNormsAgreeWithExactReferences() {
    Random r = new Random(25);
    for (FloatKernels k : all()) {
      String who = k.getClass().getSimpleName();
      for (int n : LENGTHS) {
        float[] x = vec(r, XOFF, n);
        float[] y = vec(r, YOFF, n);
        double exact = exactDot(n, x, XOFF, y, YOFF);
        assertClose(exact, k.dot(n, x, XOFF, y, YOFF), (n + 1) * EPS_F * sumAbsProducts(n, x, XOFF, y, YOFF),
            who + " dot n=" + n);
        // Extremes of float32: squares of 3e38 and of subnormals are exact in float64, so no scaling is needed.
        for (float scale : new float[] {1e-42f, 1e-20f, 1f, 1e20f, 3e38f}) {
          float[] z = vec(r, XOFF, n);
          for (int i = 0; i < n; i++) {
            z[XOFF + i] *= scale;
          }
          double ssq = exactSumSquares(n, z, XOFF);
          assertClose(ssq, k.sumSquares(n, z, XOFF), (n + 2) * EPS * ssq, who + " sumSquares " + scale);
          double nrm = exactNorm(n, z, XOFF);
          assertClose(nrm, k.nrm2(n, z, XOFF), (n + 4) * EPS * nrm, who + " nrm2 " + scale + " n=" + n);
        }
      }
    }
  }

  @Test
  void householderMapsXToBetaE1AndRotationPreservesNorms() {
    Random r = new Random(26);
    for (FloatKernels k : all()) {
      String who = k.getClass().getSimpleName();
      for (int n : LENGTHS) {
        if (n == 1) {
          continue;
        }
        float[] x0 = vec(r, XOFF, n);
        float[] x = x0.clone();
        float tau = k.householder(n, x, XOFF);
        double norm = exactNorm(n, x0, XOFF);
        double beta = x[XOFF];
        assertClose(norm, Math.abs(beta), 2 * EPS_F * norm, who + " |beta| n=" + n);
        double vtx = x0[XOFF] / norm;
        double vtv = 1;
        for (int i = 1; i < n; i++) {
          vtx += x[XOFF + i] * (x0[XOFF + i] / norm);
          vtv += (double) x[XOFF + i] * x[XOFF + i];
        }
        double tol = 8 * (n + 2) * EPS_F;
        for (int i = 0; i < n; i++) {
          double vi = i == 0 ? 1 : x[XOFF + i];
          assertClose(i == 0 ? beta / norm : 0.0, x0[XOFF + i] / norm - tau * vi * vtx, tol, who + " (Hx)_" + i);
        }
        assertClose(2.0, tau * vtv, tol, who + " tau v^T v = 2");

        float[] a = vec(r, XOFF, n);
        float[] b = vec(r, YOFF, n);
        double before = exactSumSquares(n, a, XOFF) + exactSumSquares(n, b, YOFF);
        double[] out = new double[3];
        k.rotate(n, a, XOFF, b, YOFF, (float) Math.cos(0.7), (float) Math.sin(0.7), out);
        assertClose(before, out[0] + out[1], 8 * EPS_F * before, who + " rotation norm sum n=" + n);
        double self = 4 * (n + 4) * EPS * before;
        assertClose(exactSumSquares(n, a, XOFF), out[0], self, who + " out[0]");
        assertClose(exactSumSquares(n, b, YOFF), out[1], self, who + " out[1]");
        assertClose(exactDot(n, a, XOFF, b, YOFF), out[2], self, who + " out[2]");
      }
    }
  }
}
