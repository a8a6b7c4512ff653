package dev.cartan.kernels.svd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.KernelProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The native float32 values route ({@link BidiagonalSvd#computeValues(FMatrix)}: float32 QR and reduction to band,
 * float64 chase and dqds) against the float64 route on the same (widened) matrix and against the shared fixtures'
 * high-precision references: every value within {@code 10 max(m, n) u_f32 sigma_1}, {@code u_f32 = 2^-24} (issue
 * #4's bound in float32). The float32 reduction is backward stable with a perturbation of
 * {@code c(m, n) u_f32 ||A||_2}, and Weyl's inequality moves each singular value by at most that much.
 *
 * <p>Shapes cover the band's edges (n = b - 1, b, b + 1, 2b + 1 for b = 32), the QR-first rule ({@code 6 m >= 11 n},
 * on both sides of it), wide inputs (the transpose), 1 x n and n x 1; matrices are Gaussian, column-graded over six
 * decades, scaled by {@code 2^+-100} (inside float32's range, outside the unscaled safe range) and zero. Both
 * providers' float32 primitives run in one JVM; the GEMMs run on the provider the surefire execution selected.
 */
class FloatTwoStageValuesTest {
  private static final double U = 0x1p-24;
  private static final int[][] SHAPES = {
    {1, 1}, {1, 9}, {9, 1}, {2, 2}, {7, 5}, {31, 31}, {32, 32}, {33, 33}, {65, 65}, {100, 70}, {70, 100},
    {110, 60}, {109, 60}, {300, 64}, {64, 300}, {200, 129}
  };

  /** A default-blocking instance on the scalar provider and, when it loads, one on the SIMD provider. */
  static List<BidiagonalSvd> instances() {
    List<BidiagonalSvd> out = new ArrayList<>();
    out.add(new BidiagonalSvd(KernelProvider.scalar(), BidiagonalSvd.DEFAULT_PANEL, BidiagonalSvd.DEFAULT_CROSSOVER,
        BidiagonalSvd.DEFAULT_QR_RATIO_SIXTHS));
    KernelProvider.simd().ifPresent(p -> out.add(new BidiagonalSvd(p, BidiagonalSvd.DEFAULT_PANEL,
        BidiagonalSvd.DEFAULT_CROSSOVER, BidiagonalSvd.DEFAULT_QR_RATIO_SIXTHS)));
    return out;
  }

  /** Gaussian entries times {@code 10^(-grade j / (n - 1))} in column j, times {@code 2^exp}, in float32. */
  private static FMatrix matrix(int m, int n, double grade, int exp, long seed) {
    Random rnd = new Random(seed);
    FMatrix f = FMatrix.zeros(m, n);
    for (int j = 0; j < n; j++) {
      double c = n == 1 ? 1 : Math.pow(10, -grade * j / (n - 1));
      for (int i = 0; i < m; i++) {
        f.set(i, j, (float) Math.scalb(rnd.nextGaussian() * c, exp));
      }
    }
    return f;
  }


  private static void assertWithin(double[] expected, double[] actual, int m, int n, String what) {
    assertEquals(Math.min(m, n), actual.length, what);
    double tol = 10 * Math.max(m, n) * U * expected[0];
    for (int i = 0; i < expected.length; i++) {
      assertTrue(Double.isFinite(actual[i]) && actual[i] >= 0, what + " value " + i + " = " + actual[i]);
      assertEquals(expected[i], actual[i], tol, what + " value " + i);
      if (i > 0) {
        assertTrue(actual[i] <= actual[i - 1], what + ": not descending at " + i);
      }
    }
  }

  @Test
  void agreesWithTheFloat64RouteOnGaussianGradedAndScaledMatrices() {
    long seed = 1;
    double worst = 0;
    for (BidiagonalSvd svd : instances()) {
      for (int[] s : SHAPES) {
        for (double[] kind : new double[][] {{0, 0}, {6, 0}, {0, 100}, {0, -100}}) {
          FMatrix f = matrix(s[0], s[1], kind[0], (int) kind[1], seed++);
          double[] ref = BidiagonalSvd.values(f.toDouble()).values();
          FloatSvdResult r = svd.computeValues(f);
          String what = s[0] + "x" + s[1] + " grade " + kind[0] + " 2^" + (int) kind[1] + " " + svd;
          assertTrue(r.converged(), what);
          assertWithin(ref, r.values(), s[0], s[1], what);
          for (int i = 0; i < ref.length; i++) {
            worst = Math.max(worst, Math.abs(ref[i] - r.values()[i]) / (Math.max(s[0], s[1]) * U * ref[0]));
          }
        }
      }
    }
    // The float32 route must differ from the float64 one: a worst error of exactly 0 would mean it still widens.
    assertTrue(worst > 0, "float32 values equal the float64 ones bit for bit");
  }

  @Test
  void largerSquareTallAndWide() {
    for (int[] s : new int[][] {{256, 256}, {600, 160}, {160, 600}}) {
      FMatrix f = matrix(s[0], s[1], 3, 0, s[0] + s[1]);
      double[] ref = BidiagonalSvd.values(f.toDouble()).values();
      assertWithin(ref, BidiagonalSvd.values(f).values(), s[0], s[1], s[0] + "x" + s[1]);
    }
  }

  @Test
  void zeroAndOneByOne() {
    assertArrayEquals(new double[] {0, 0, 0}, BidiagonalSvd.values(FMatrix.zeros(5, 3)).values());
    FMatrix one = FMatrix.zeros(1, 1);
    one.set(0, 0, -2.5f);
    assertArrayEquals(new double[] {2.5}, BidiagonalSvd.values(one).values());
  }

  @Test
  void facadeFastValuesTakeTheFloat32Route() {
    FMatrix f = matrix(90, 40, 2, 0, 77);
    double[] viaFacade = Svd.decompose(f, SvdOptions.valuesOnly().withMethod(SvdOptions.Method.FAST)).values();
    assertArrayEquals(new BidiagonalSvd().computeValues(f).values(), viaFacade);
  }

  @Test
  void fixturesRoundedToFloat32() throws IOException {
    Assumptions.assumeTrue(Files.isRegularFile(BidiagonalSvdTest.FIXTURES.resolve("index.json")), "fixtures absent");
    List<BidiagonalSvdTest.Fixture> all = BidiagonalSvdTest.readIndex(BidiagonalSvdTest.FIXTURES.resolve("index.json"));
    assertTrue(all.size() > 100, "index parsed " + all.size() + " entries");
    for (BidiagonalSvdTest.Fixture fx : all) {
      DMatrix a = BidiagonalSvdTest.readNpy(BidiagonalSvdTest.FIXTURES.resolve(fx.file()));
      // Scale by a power of two (exact) so the largest entry is in [1, 2), then round to float32: the fixtures'
      // 1e-300 and 1e300 scales stay representable. Rounding moves each value by at most u_f32 ||A||_F.
      double amax = 0;
      for (int j = 0; j < a.cols(); j++) {
        for (int i = 0; i < a.rows(); i++) {
          amax = Math.max(amax, Math.abs(a.get(i, j)));
        }
      }
      int e = amax == 0 ? 0 : -Math.getExponent(amax);
      FMatrix f = FMatrix.zeros(a.rows(), a.cols());
      for (int j = 0; j < a.cols(); j++) {
        for (int i = 0; i < a.rows(); i++) {
          f.set(i, j, (float) Math.scalb(a.get(i, j), e));
        }
      }
      double[] expected = new double[fx.values().length];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = Math.scalb(fx.values()[i], e);
      }
      FloatSvdResult r = Svd.decompose(f, SvdOptions.valuesOnly().withMethod(SvdOptions.Method.FAST));
      assertTrue(r.converged(), fx.file());
      assertWithin(expected, r.values(), fx.m(), fx.n(), fx.file());
    }
  }
}
