package dev.cartan.kernels.svd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.Parallel;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast SVD on several threads gives the one-thread result bit for bit: every element of every split product is
 * computed by the same operations whatever the split ({@link Parallel}), and the SIMD kernels' lane sums have one
 * order in every JIT tier ({@code simd.Lanes}), so values, U and V are equal, and any wrong slab offset, overlap or
 * gap shows as an error of the size of the entries. The several-thread U and V also reconstruct A to
 * backward-stable accuracy.
 * Shapes large enough that the QR's trailing updates, stage 1's products and the back-transformations do split
 * (above {@link Parallel#MIN_FLOPS}): tall (QR first), wide (transposed, QR first), square and a tall one below the
 * QR threshold, float64 and float32, values and thin vectors.
 */
class ThreadedSvdTest {
  private static final int[][] SHAPES = {{1500, 300}, {300, 1500}, {800, 800}, {900, 700}};

  private static DMatrix gaussian(int m, int n, long seed) {
    Random rnd = new Random(seed);
    DMatrix a = DMatrix.zeros(m, n);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        a.set(i, j, rnd.nextGaussian());
      }
    }
    return a;
  }

  @Test
  void theSplitsHappenAtTheseSizes() {
    // The QR's first trailing update of 1500 x 300 (64 reflectors on 236 columns) and stage 1's first narrow
    // product of 800 x 800 (band 16 or 32) are above the threshold, so two threads take two slabs.
    assertTrue(Parallel.parts(2, 4.0 * 1500 * 236 * 64, 236, 24) == 2);
    assertTrue(Parallel.parts(2, 2.0 * 800 * 784 * 16, 784, 12) == 2);
  }

  @Test
  void valuesDoNotDependOnTheThreadCount() {
    long seed = 1;
    for (int[] s : SHAPES) {
      DMatrix a = gaussian(s[0], s[1], seed++);
      double[] one = new BidiagonalSvd().computeValues(a, 1).values();
      for (int threads : new int[] {2, 3}) {
        double[] many = new BidiagonalSvd().computeValues(a, threads).values();
        assertArrayEquals(one, many, s[0] + "x" + s[1] + " float64 values on " + threads + " threads");
      }
      FMatrix af = a.toFloat();
      double[] oneF = new BidiagonalSvd().computeValues(af, 1).values();
      double[] twoF = new BidiagonalSvd().computeValues(af, 2).values();
      assertArrayEquals(oneF, twoF, s[0] + "x" + s[1] + " float32 values on 2 threads");
    }
  }

  @Test
  void vectorsDoNotDependOnTheThreadCount() {
    long seed = 11;
    for (int[] s : new int[][] {{1200, 300}, {500, 500}}) {
      DMatrix a = gaussian(s[0], s[1], seed++);
      SvdResult one = new BidiagonalSvd().compute(a, false, 1);
      SvdResult two = new BidiagonalSvd().compute(a, false, 2);
      String what = s[0] + "x" + s[1] + " thin SVD on 2 threads";
      assertArrayEquals(one.values(), two.values(), what + ": values");
      assertArrayEquals(one.u().data(), two.u().data(), what + ": U");
      assertArrayEquals(one.v().data(), two.v().data(), what + ": V");
      // ||A - U diag(s) V^T||_F within c (m + n) u ||A||_F (backward stability; the observed error is far smaller).
      DMatrix u = two.u();
      DMatrix v = two.v();
      double[] sv = two.values();
      double err = 0;
      for (int j = 0; j < a.cols(); j++) {
        for (int i = 0; i < a.rows(); i++) {
          double x = 0;
          for (int p = 0; p < sv.length; p++) {
            x += u.get(i, p) * sv[p] * v.get(j, p);
          }
          double dlt = a.get(i, j) - x;
          err += dlt * dlt;
        }
      }
      double tol = 4 * (a.rows() + a.cols()) * Math.ulp(1.0) * a.frobeniusNorm();
      assertTrue(Math.sqrt(err) <= tol, what + ": ||A - U S V^T|| = " + Math.sqrt(err) + " > " + tol);
    }
  }

  @Test
  void theFacadePassesItsThreads() {
    DMatrix a = gaussian(1500, 300, 21);
    SvdOptions fast = SvdOptions.valuesOnly().withMethod(SvdOptions.Method.FAST);
    double[] one = Svd.decompose(a, fast).values();
    double[] two = Svd.decompose(a, new SvdOptions(SvdOptions.Method.FAST, SvdOptions.Vectors.NONE, 2)).values();
    assertArrayEquals(one, two, "facade on 2 threads");
  }

  @Test
  void rejectsThreadsBelowOne() {
    DMatrix a = gaussian(5, 4, 3);
    assertThrows(IllegalArgumentException.class, () -> new BidiagonalSvd().computeValues(a, 0));
    assertThrows(IllegalArgumentException.class, () -> new BidiagonalSvd().computeValues(a.toFloat(), 0));
    assertThrows(IllegalArgumentException.class, () -> new BidiagonalSvd().compute(a, false, 0));
  }
}
