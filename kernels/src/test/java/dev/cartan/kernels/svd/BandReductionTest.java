package dev.cartan.kernels.svd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.DoubleKernels;
import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.KernelProvider;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Stage 1 alone ({@link BandReduction}: dense to band) and the whole two-stage values route
 * ({@link TwoStageValues} behind {@link BidiagonalSvd#computeValues}). The band must have the singular values of
 * the input: inputs are {@code U diag(s) V^T} with random orthonormal U, V and a chosen s (uniform, graded,
 * rank-deficient, repeated), and the band's values come from the one-stage path (an independent reduction); the
 * whole route is also compared with the one-stage route on Gaussian matrices of every kind of shape.
 */
class BandReductionTest {
  private static final double EPS = Math.ulp(1.0);

  private static List<KernelProvider> providers() {
    Optional<KernelProvider> simd = KernelProvider.simd();
    return simd.isPresent() ? List.of(KernelProvider.scalar(), simd.get()) : List.of(KernelProvider.scalar());
  }

  /** Reduces a copy of A to a band of width b and returns the band as a dense n x n matrix. */
  static DMatrix band(DoubleKernels k, DMatrix a, int b) {
    int m = a.rows();
    int n = a.cols();
    double[] w = new double[m * n];
    a.copyInto(DMatrix.wrap(w, 0, m, n, m));
    new BandReduction().reduce(k, m, n, w, m, b);
    DMatrix out = DMatrix.zeros(n, n);
    for (int j = 0; j < n; j++) {
      for (int i = Math.max(0, j - b); i <= j; i++) {
        out.set(i, j, w[i + j * m]);
      }
    }
    return out;
  }

  static double[] oneStage(DMatrix a) {
    return new BidiagonalSvd(KernelProvider.scalar(), 0, 0, Integer.MAX_VALUE, 0).computeValues(a).values();
  }

  static void assertValues(double[] want, double[] got, double tol, String what) {
    assertEquals(want.length, got.length, what);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], tol, what + " value " + i);
    }
  }

  static double[] spectrum(String kind, int n) {
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      switch (kind) {
        case "uniform" -> s[i] = 1.0 + (n - i);
        case "graded" -> s[i] = Math.pow(10.0, -12.0 * i / Math.max(1, n - 1));
        case "rank-deficient" -> s[i] = i < n / 2 ? 1.0 + i : 0.0;
        default -> s[i] = i % 3 == 0 ? 2.0 : 1.0; // repeated
      }
    }
    java.util.Arrays.sort(s);
    for (int i = 0; i < n / 2; i++) {
      double t = s[i];
      s[i] = s[n - 1 - i];
      s[n - 1 - i] = t;
    }
    return s;
  }

  @Test
  void bandHasTheKnownSingularValues() {
    int[][] shapes = {{1, 1}, {2, 2}, {3, 3}, {3, 2}, {5, 3}, {9, 9}, {40, 40}, {50, 33}, {70, 64}, {100, 100},
        {129, 65}};
    Random rnd = new Random(3);
    for (KernelProvider p : providers()) {
      for (int[] sh : shapes) {
        for (int b : new int[] {1, 2, 4, 8, 16, 32}) {
          for (String kind : new String[] {"uniform", "graded", "rank-deficient", "repeated"}) {
            int m = sh[0];
            int n = sh[1];
            double[] s = spectrum(kind, n);
            DMatrix a = SvdTestSupport.withValues(rnd, m, n, s);
            double[] got = oneStage(band(p.f64(), a, b));
            String what = p.name() + " " + m + "x" + n + " b=" + b + " " + kind;
            assertValues(s, got, 30 * (m + n) * EPS * s[0], what);
          }
        }
      }
    }
  }

  @Test
  void twoStageMatchesOneStageOnEveryShape() {
    // Square, tall below and above the QR-first ratio (11/6), wide; sizes around the band and panel widths.
    int[][] shapes = {{1, 1}, {1, 5}, {2, 1}, {2, 3}, {3, 3}, {31, 31}, {33, 33}, {64, 64}, {65, 65}, {100, 60},
        {100, 40}, {60, 100}, {200, 200}, {300, 129}};
    Random rnd = new Random(4);
    for (KernelProvider p : providers()) {
      for (int band : new int[] {1, 2, 8, BidiagonalSvd.NARROW_FILE_BAND, BidiagonalSvd.DEFAULT_BAND,
          BidiagonalSvd.AUTO_BAND}) {
        BidiagonalSvd two = new BidiagonalSvd(p, BidiagonalSvd.DEFAULT_PANEL, BidiagonalSvd.DEFAULT_CROSSOVER,
            BidiagonalSvd.DEFAULT_QR_RATIO_SIXTHS, band);
        for (int[] sh : shapes) {
          DMatrix a = SvdTestSupport.gaussian(rnd, sh[0], sh[1]);
          SvdResult r = two.computeValues(a);
          assertNull(r.u());
          assertTrue(r.converged());
          double[] want = oneStage(a);
          String what = p.name() + " " + sh[0] + "x" + sh[1] + " band=" + band;
          assertValues(want, r.values(), 30 * (sh[0] + sh[1]) * EPS * want[0], what);
        }
      }
    }
  }

  @Test
  void tinyAndHugeScaleKeepTheirValues() {
    // Entries near the ends of the float64 range: the route scales by a power of two and back.
    Random rnd = new Random(5);
    double[] s = spectrum("graded", 70);
    DMatrix a = SvdTestSupport.withValues(rnd, 90, 70, s);
    for (double scale : new double[] {0x1p-1000, 0x1p-540, 0x1p600, 0x1p1000}) {
      DMatrix sa = a.copy();
      for (int j = 0; j < sa.cols(); j++) {
        for (int i = 0; i < sa.rows(); i++) {
          sa.set(i, j, sa.get(i, j) * scale);
        }
      }
      double[] got = new BidiagonalSvd().computeValues(sa).values();
      for (int i = 0; i < s.length; i++) {
        assertEquals(s[i], got[i] / scale, 2000 * EPS * s[0], "scale " + scale + " value " + i);
      }
    }
  }

  @Test
  void leadingDimensionPadsColumnsOfWhole512ByteBlocks() {
    // One 64-byte line more when a column is 2 KiB or longer and a multiple of 512 bytes.
    assertEquals(264, TwoStageValues.leading(256, Double.BYTES));
    assertEquals(328, TwoStageValues.leading(320, Double.BYTES));
    assertEquals(2056, TwoStageValues.leading(2048, Double.BYTES));
    assertEquals(255, TwoStageValues.leading(255, Double.BYTES));
    assertEquals(200, TwoStageValues.leading(200, Double.BYTES));
    assertEquals(192, TwoStageValues.leading(192, Double.BYTES)); // 1.5 KiB: short
    assertEquals(528, TwoStageValues.leading(512, Float.BYTES));
    assertEquals(2064, TwoStageValues.leading(2048, Float.BYTES));
    assertEquals(384, TwoStageValues.leading(384, Float.BYTES)); // 1.5 KiB: short
    assertEquals(520, TwoStageValues.leading(520, Float.BYTES));
  }

  @Test
  void paddedWorkArraysGiveTheSameBits() {
    // Square and QR-first shapes whose work arrays (A, and R of the tall ones) are padded: every GEMM sums in the
    // same order whatever the leading dimension, so the values agree to the last bit.
    Random rnd = new Random(6);
    for (KernelProvider p : providers()) {
      for (int[] sh : new int[][] {{320, 320}, {768, 256}, {256, 768}}) {
        DMatrix a = SvdTestSupport.gaussian(rnd, sh[0], sh[1]);
        String what = p.name() + " " + sh[0] + "x" + sh[1];
        assertArrayEquals(values(p, a, false), values(p, a, true), what + " f64");
      }
      for (int[] sh : new int[][] {{512, 512}, {1024, 512}}) {
        FMatrix a = SvdTestSupport.gaussian(rnd, sh[0], sh[1]).toFloat();
        String what = p.name() + " " + sh[0] + "x" + sh[1];
        assertArrayEquals(values(p, a, false), values(p, a, true), what + " f32");
      }
    }
  }

  @Test
  void reusedWorkArraysStartWithZeroPadding() {
    // A first call fills the arrays unpadded with large entries; a second, padded call with tiny ones (subnormal in
    // float64, partly in float32, so the route scales them by a power of two) must see zeros in its padding rows: the
    // first call's entries there would raise the largest magnitude, skip the scaling and change the values.
    Random rnd = new Random(7);
    DMatrix big = SvdTestSupport.gaussian(rnd, 700, 600);
    DMatrix tiny = SvdTestSupport.gaussian(rnd, 640, 320);
    scaleInPlace(big, 0x1p400);
    scaleInPlace(tiny, 0x1p-1060);
    DMatrix bigD = SvdTestSupport.gaussian(rnd, 700, 600);
    DMatrix tinyD = SvdTestSupport.gaussian(rnd, 640, 320);
    scaleInPlace(bigD, 0x1p60);
    scaleInPlace(tinyD, 0x1p-120);
    FMatrix bigF = bigD.toFloat();
    FMatrix tinyF = tinyD.toFloat();
    for (KernelProvider p : providers()) {
      TwoStageValues reused = route(p, true);
      reused.compute(big, "fast", 1);
      assertArrayEquals(route(p, true).compute(tiny, "fast", 1).values(), reused.compute(tiny, "fast", 1).values(),
          p.name() + " f64");
      reused.compute(bigF, "fast", 1);
      assertArrayEquals(route(p, true).compute(tinyF, "fast", 1).values(), reused.compute(tinyF, "fast", 1).values(),
          p.name() + " f32");
    }
  }

  private static TwoStageValues route(KernelProvider p, boolean pad) {
    TwoStageValues route = new TwoStageValues(p, BidiagonalSvd.AUTO_BAND, BidiagonalSvd.DEFAULT_QR_RATIO_SIXTHS);
    route.pad = pad;
    return route;
  }

  private static double[] values(KernelProvider p, DMatrix a, boolean pad) {
    return route(p, pad).compute(a, "fast", 1).values();
  }

  private static double[] values(KernelProvider p, FMatrix a, boolean pad) {
    return route(p, pad).compute(a, "fast", 1).values();
  }

  private static void scaleInPlace(DMatrix a, double scale) {
    for (int j = 0; j < a.cols(); j++) {
      for (int i = 0; i < a.rows(); i++) {
        a.set(i, j, a.get(i, j) * scale);
      }
    }
  }
}
