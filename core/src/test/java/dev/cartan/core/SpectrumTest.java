package dev.cartan.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.core.Draws.DoubleRange;
import dev.cartan.core.Draws.IntRange;
import dev.cartan.core.Draws.LongRange;
import dev.cartan.core.Draws.Property;
import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.Gemm;
import dev.cartan.kernels.eig.SymmetricEigen;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Sections 1-2 (normalization, energies, numerical rank, h, r) and THEORY.md section 12 check 9 (invariance). */
class SpectrumTest {

  @Property(tries = 60, seed = "20261128")
  void normalizationEnergiesAndCoordinates(@IntRange(min = 1, max = 4096) int d,
      @LongRange(min = 0, max = 10000) long seed) {
    Random rnd = new Random(seed);
    double[] sigma = new double[d];
    for (int k = 0; k < d; k++) {
      sigma[k] = Math.abs(rnd.nextGaussian()) * Math.pow(10, rnd.nextInt(5) - 2);
    }
    sigma[rnd.nextInt(d)] = 1; // never all zero
    Spectrum sp = Spectrum.ofSingularValues(sigma);
    double sumHat2 = Arrays.stream(sp.normalizedSigma()).map(x -> x * x).sum();
    assertEquals(d, sumHat2, 1e-12 * d);
    assertEquals(1, Arrays.stream(sp.energies()).sum(), 1e-12);
    double fro = Math.sqrt(Arrays.stream(sigma).map(x -> x * x).sum());
    assertEquals(fro, sp.frobeniusNorm(), 1e-13 * fro);
    double[] h = sp.cartan();
    assertEquals(sp.numericalRank(), h.length);
    assertTrue(Arrays.stream(h).allMatch(Double::isFinite));
    double r = sp.topRadial();
    assertTrue(r >= 0 && r <= 0.5 * Math.log(d) + 1e-15);
    if (d > 1) {
      assertEquals(h[0], r, 1e-13);
    }
    double p1 = sp.energies()[0];
    assertEquals(0.5 * Math.log(d * p1), r, 1e-13);
    double[] lam = sp.lambdas();
    for (int k = 0; k < d; k++) {
      assertEquals(d * sp.energies()[k], lam[k], 1e-12 * lam[k]);
    }
  }

  @Test
  void numericalRankAndZeroCount() {
    // max(m, n) = 10: tolerance 10 eps sigma_1
    double eps = Math.ulp(1.0);
    Spectrum sp = Spectrum.ofSingularValues(new double[] {1, 0.5, 9 * eps, 11 * eps, 0}, 5, 10);
    assertEquals(3, sp.numericalRank());
    assertEquals(2, sp.zeroCount());
    assertTrue(sp.isRankDeficient());
    assertEquals(0, sp.energies()[3]);
    assertEquals(3, sp.cartan().length);
    assertEquals(10 * eps, sp.rankTolerance(), 0);
  }

  @Test
  void degenerateCasesGiveFlagsNotNaN() {
    Spectrum one = Spectrum.ofSingularValues(new double[] {5});
    assertTrue(one.isDegenerate());
    assertEquals(0, one.topRadial());
    assertArrayEquals(new double[] {0}, one.cartan());
    Spectrum flat = Spectrum.ofSingularValues(new double[] {3, 3, 3, 3, 3, 3, 3});
    assertTrue(flat.isIsotropic());
    assertEquals(0, flat.topRadial());
    Spectrum rankOne = Spectrum.ofSingularValues(new double[] {0, 7, 0});
    assertTrue(rankOne.isRankOne());
    assertEquals(0.5 * Math.log(3), rankOne.topRadial(), 1e-15);
    assertEquals(1, rankOne.cartan().length);
    assertEquals(0.5 * Math.log(3), rankOne.cartan()[0], 1e-15);
  }

  @Test
  void badInputIsRejectedWithItsName() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Spectrum.ofSingularValues(new double[] {0, 0}))
        .getMessage().contains("zero"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> Spectrum.ofSingularValues(new double[] {1, Double.NaN})).getMessage().contains("singular value 1"));
    assertThrows(IllegalArgumentException.class, () -> Spectrum.ofSingularValues(new double[] {1, -1}));
    assertThrows(IllegalArgumentException.class, () -> Spectrum.ofSingularValues(new double[0]));
    assertThrows(IllegalArgumentException.class, () -> Spectrum.ofSingularValues(null));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> Spectrum.ofSingularValues(new double[] {1, 2}, 3, 4)).getMessage().contains("shape"));
  }

  /** Singular values of W from the eigenvalues of W^T W (an independent route while the SVD is being written). */
  static double[] singularValues(DMatrix w) {
    DMatrix g = Gemm.multiply(w.transpose(), w);
    double[] ev = SymmetricEigen.decompose(g).values();
    int d = Math.min(w.rows(), w.cols());
    double[] s = new double[d];
    for (int i = 0; i < d; i++) {
      s[i] = Math.sqrt(Math.max(0, ev[i]));
    }
    return s;
  }

  static DMatrix gaussian(Random rnd, int m, int n) {
    DMatrix w = DMatrix.zeros(m, n);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        w.set(i, j, rnd.nextGaussian());
      }
    }
    return w;
  }

  static DMatrix orthogonal(Random rnd, int n) {
    return dev.cartan.kernels.eig.SymmetricEigen.decompose(symmetric(gaussian(rnd, n, n))).vectors();
  }

  private static DMatrix symmetric(DMatrix a) {
    DMatrix s = DMatrix.zeros(a.rows(), a.rows());
    for (int i = 0; i < a.rows(); i++) {
      for (int j = 0; j < a.rows(); j++) {
        s.set(i, j, a.get(i, j) + a.get(j, i));
      }
    }
    return s;
  }

  private static void assertSameNormalized(Spectrum a, Spectrum b, double tol, String what) {
    assertArrayEquals(a.energies(), b.energies(), tol, what + ": energies");
    assertArrayEquals(a.cartan(), b.cartan(), tol, what + ": Cartan coordinate");
    assertEquals(a.topRadial(), b.topRadial(), tol, what + ": r");
    for (Chart c : Chart.values()) {
      ChartFit fa = Charts.fit(a, c);
      ChartFit fb = Charts.fit(b, c);
      assertEquals(fa.s(), fb.s(), 100 * tol * (1 + fa.s()), what + ": " + c);
      assertEquals(fa.hellingerResidual(), fb.hellingerResidual(), 100 * tol, what + ": residual " + c);
    }
    assertEquals(RankStatistics.stableRank(a), RankStatistics.stableRank(b), tol * a.dimension(), what);
    assertEquals(RankStatistics.entropyRank(a), RankStatistics.entropyRank(b), tol * a.dimension(), what);
  }

  @Property(tries = 60, seed = "20261128")
  void check9ScaleInvarianceOnSpectra(@IntRange(min = 1, max = 4096) int d,
      @DoubleRange(min = 0, max = 20) double s, @DoubleRange(min = -200, max = 200) double log10c) {
    double[] sigma = Reference.orbitSigma(d, s, 1);
    Random rnd = new Random(d);
    for (int k = 0; k < d; k++) {
      sigma[k] *= Math.exp(0.1 * rnd.nextGaussian());
    }
    double c = Math.pow(10, log10c);
    double[] scaled = sigma.clone();
    for (int k = 0; k < d; k++) {
      scaled[k] *= c;
    }
    assertSameNormalized(Spectrum.ofSingularValues(sigma), Spectrum.ofSingularValues(scaled), 1e-13, "c W");
  }

  @Property(tries = 25, seed = "20261128")
  void check9InvarianceUnderScalingOrthogonalMapsAndTransposition(@IntRange(min = 1, max = 9) int m,
      @IntRange(min = 1, max = 9) int n, @LongRange(min = 0, max = 1000) long seed,
      @DoubleRange(min = -5, max = 5) double c) {
    Random rnd = new Random(seed);
    DMatrix w = gaussian(rnd, m, n);
    Spectrum base = Spectrum.ofSingularValues(singularValues(w), m, n);
    DMatrix cw = w.copy();
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        cw.set(i, j, (c == 0 ? 1 : c) * w.get(i, j));
      }
    }
    DMatrix qwp = Gemm.multiply(Gemm.multiply(orthogonal(rnd, m), w), orthogonal(rnd, n));
    DMatrix wt = w.transpose().copy();
    // eig of W^T W squares the condition number: compare to 1e-9.
    assertSameNormalized(base, Spectrum.ofSingularValues(singularValues(cw), m, n), 1e-9, "c W");
    assertSameNormalized(base, Spectrum.ofSingularValues(singularValues(qwp), m, n), 1e-9, "Q W P");
    assertSameNormalized(base, Spectrum.ofSingularValues(singularValues(wt), n, m), 1e-9, "W^T");
  }
}
