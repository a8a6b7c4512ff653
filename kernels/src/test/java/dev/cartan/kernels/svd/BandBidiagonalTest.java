package dev.cartan.kernels.svd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.DoubleKernels;
import dev.cartan.kernels.KernelProvider;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bulge chase alone ({@link BandBidiagonal}): on random upper band matrices the bidiagonal it leaves has the
 * singular values of the band, which come from the one-stage path on the dense band ({@link BidiagonalSvd} with
 * panel 0, an independent reduction) and, where the values are known by construction, from mathematics; every
 * entry of the window other than the bidiagonal must end exactly zero (each is annihilated explicitly). Runs on
 * this JVM's provider and, when both exist, checks that scalar and SIMD agree.
 */
class BandBidiagonalTest {
  private static final double EPS = Math.ulp(1.0);

  /** A random n x n upper band (b superdiagonals) as a dense matrix, entries scaled by {@code scale}. */
  static DMatrix randomBand(int n, int b, long seed, double scale) {
    Random rnd = new Random(seed);
    DMatrix a = DMatrix.zeros(n, n);
    for (int j = 0; j < n; j++) {
      for (int i = Math.max(0, j - b); i <= j; i++) {
        a.set(i, j, scale * rnd.nextGaussian());
      }
    }
    return a;
  }

  /** The band of a dense matrix in the chase's storage: (i, j) at {@code i + j * ld}, ld = 3b. */
  static double[] toBand(DMatrix a, int b, int ld) {
    int n = a.rows();
    double[] band = new double[BandBidiagonal.bandSize(n, ld)];
    for (int j = 0; j < n; j++) {
      for (int i = Math.max(0, j - b); i <= j; i++) {
        band[i + j * ld] = a.get(i, j);
      }
    }
    return band;
  }

  /** Chases and returns the singular values of the resulting bidiagonal (by dqds), checking the zeros. */
  static double[] chaseValues(DoubleKernels k, DMatrix a, int b) {
    int n = a.rows();
    int ld = Math.max(1, 3 * b);
    double[] band = toBand(a, b, ld);
    double[] d = new double[n];
    double[] e = new double[n];
    BandBidiagonal.reduce(k, n, b, band, 0, ld, d, e, new double[BandBidiagonal.workSize(b)]);
    for (int j = 0; j < n; j++) {
      for (int i = Math.max(0, j - 2 * b); i <= Math.min(n - 1, j + b); i++) {
        if (i != j && i != j - 1) {
          assertEquals(0.0, band[i + j * ld], "entry (" + i + ", " + j + ") of n=" + n + " b=" + b);
        }
      }
    }
    e[n - 1] = 0.0;
    Dqds.singularValues(n, d, e, new double[5 * n]);
    return d;
  }

  static double[] oneStageValues(DMatrix a) {
    return new BidiagonalSvd(KernelProvider.scalar(), 0, 0, Integer.MAX_VALUE).computeValues(a).values();
  }

  static void assertClose(double[] want, double[] got, double tol, String what) {
    assertEquals(want.length, got.length, what);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], tol, what + " value " + i);
    }
  }

  private static List<DoubleKernels> providers() {
    Optional<KernelProvider> simd = KernelProvider.simd();
    return simd.isPresent() ? List.of(KernelProvider.scalar().f64(), simd.get().f64())
        : List.of(KernelProvider.scalar().f64());
  }

  @Test
  void matchesOneStageOnRandomBands() {
    int[] ns = {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 33, 65, 100};
    int[] bs = {1, 2, 3, 4, 8, 16, 32};
    for (DoubleKernels k : providers()) {
      for (int n : ns) {
        for (int b : bs) {
          DMatrix a = randomBand(n, b, 1000L * n + b, 1.0);
          double[] want = oneStageValues(a);
          double[] got = chaseValues(k, a, b);
          double tol = 20 * n * EPS * want[0];
          assertClose(want, got, tol, k + " n=" + n + " b=" + b);
        }
      }
    }
  }

  @Test
  void groupedSweepsEqualSweepAfterSweepBitForBit() {
    // The wavefront order only reorders steps that touch disjoint entries, so every group size gives the same
    // bits as one sweep at a time.
    DoubleKernels k = KernelProvider.get().f64();
    for (int[] nb : new int[][] {{100, 8}, {67, 5}, {40, 2}, {9, 3}}) {
      int n = nb[0];
      int b = nb[1];
      int ld = 3 * b;
      double[] ref = null;
      for (int group : new int[] {1, 2, 3, 8, 200}) {
        double[] band = toBand(randomBand(n, b, 31 + n, 1.0), b, ld);
        double[] d = new double[n];
        double[] e = new double[n];
        BandBidiagonal.reduce(k, n, b, band, 0, ld, d, e, new double[BandBidiagonal.workSize(b)], group);
        if (ref == null) {
          ref = band;
        } else {
          assertTrue(Arrays.equals(ref, band), "n=" + n + " b=" + b + " group=" + group);
        }
      }
    }
  }

  @Test
  void bandWiderThanMatrix() {
    // b >= n: the dense upper triangle; the chase clamps b to n - 1.
    for (int n : new int[] {1, 2, 3, 5}) {
      DMatrix a = randomBand(n, n + 3, 7 + n, 1.0);
      assertClose(oneStageValues(a), chaseValues(KernelProvider.get().f64(), a, n + 3), 20 * n * EPS * 10,
          "n=" + n);
    }
  }

  @Test
  void knownValuesOfAnUpperTriangularBand() {
    // A diagonal matrix with a chosen, graded diagonal: the singular values are |diagonal|, exactly known; the
    // chase of a diagonal band is the identity map and must keep them to the last bit.
    int n = 40;
    DMatrix a = DMatrix.zeros(n, n);
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = Math.pow(2, -i);
      a.set(n - 1 - i, n - 1 - i, (i % 2 == 0 ? 1 : -1) * s[i]);
    }
    double[] got = chaseValues(KernelProvider.get().f64(), a, 5);
    for (int i = 0; i < n; i++) {
      assertEquals(s[i], got[i], 0.0, "value " + i);
    }
  }

  @Test
  void tinyAndHugeScales() {
    // Orthogonal transformations commute with scaling by a power of two, up to rounding of the same relative size.
    for (double scale : new double[] {0x1p-600, 0x1p600}) {
      DMatrix a = randomBand(50, 6, 99, 1.0);
      DMatrix sa = randomBand(50, 6, 99, scale);
      double[] want = chaseValues(KernelProvider.get().f64(), a, 6);
      double[] got = chaseValues(KernelProvider.get().f64(), sa, 6);
      for (int i = 0; i < want.length; i++) {
        assertEquals(want[i], got[i] / scale, 1e3 * EPS * want[0], "scale " + scale + " value " + i);
      }
    }
  }

  @Test
  void rankDeficientBandKeepsItsZeros() {
    // Every column j = 3 (mod 4) of the band zero: rank drops by the number of such columns.
    int n = 60;
    int b = 7;
    DMatrix a = randomBand(n, b, 5, 1.0);
    int zeros = 0;
    for (int j = 3; j < n; j += 4) {
      for (int i = 0; i < n; i++) {
        a.set(i, j, 0.0);
      }
      zeros++;
    }
    double[] got = chaseValues(KernelProvider.get().f64(), a, b);
    double[] want = oneStageValues(a);
    assertClose(want, got, 50 * n * EPS * want[0], "rank-deficient");
    for (int i = n - zeros; i < n; i++) {
      assertTrue(got[i] <= 50 * n * EPS * want[0], "value " + i + " = " + got[i]);
    }
    double[] sorted = got.clone();
    Arrays.sort(sorted);
    assertTrue(sorted[zeros] > 1e-3, "rank is n - " + zeros);
  }
}
