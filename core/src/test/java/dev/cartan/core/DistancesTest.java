package dev.cartan.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.core.Draws.IntRange;
import dev.cartan.core.Draws.LongRange;
import dev.cartan.core.Draws.Property;
import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.Gemm;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Section 6 distances and THEORY.md section 12 check 5 (Procrustes identity, matrix BW >= spectral BW). */
class DistancesTest {

  static double[] randomProbability(Random rnd, int d, boolean zeros) {
    double[] p = new double[d];
    double s = 0;
    for (int k = 0; k < d; k++) {
      p[k] = zeros && rnd.nextInt(4) == 0 ? 0 : Math.exp(2 * rnd.nextGaussian());
      s += p[k];
    }
    if (s == 0) {
      p[0] = 1;
      s = 1;
    }
    for (int k = 0; k < d; k++) {
      p[k] /= s;
    }
    return p;
  }

  @Property(tries = 80, seed = "20261128")
  void hellingerBhattacharyyaKlAndSpectralBw(@IntRange(min = 1, max = 4096) int d,
      @LongRange(min = 0, max = 100000) long seed) {
    Random rnd = new Random(seed);
    double[] p = randomProbability(rnd, d, rnd.nextBoolean());
    double[] q = randomProbability(rnd, d, rnd.nextBoolean());
    double hel = Distances.hellinger(p, q);
    double bc = Distances.bhattacharyyaCoefficient(p, q);
    assertEquals(1 - bc, hel * hel, 1e-12);
    assertEquals(Math.sqrt(2.0 * d) * hel, Distances.spectralBuresWasserstein(p, q), 1e-12 * Math.sqrt(d));
    double bw = 0;
    for (int k = 0; k < d; k++) {
      double x = Math.sqrt(p[k]) - Math.sqrt(q[k]);
      bw += x * x;
    }
    assertEquals(Math.sqrt(d * bw), Distances.spectralBuresWasserstein(p, q), 1e-12 * Math.sqrt(d));
    double kl = Distances.kl(p, q);
    boolean disjoint = false;
    for (int k = 0; k < d; k++) {
      disjoint |= p[k] > 0 && q[k] == 0;
    }
    if (disjoint) {
      assertEquals(Double.POSITIVE_INFINITY, kl);
    } else {
      assertEquals(Reference.kl(p, q), kl, 1e-12 * (1 + kl));
      assertTrue(kl >= 2 * hel * hel - 1e-12, "KL >= -2 log BC >= 2 Hel^2");
    }
    assertEquals(0, Distances.hellinger(p, p), 0);
    assertEquals(0, Distances.kl(p, p), 1e-15);
    double[] r = randomProbability(rnd, d, false);
    assertTrue(Distances.hellinger(p, r) <= hel + Distances.hellinger(q, r) + 1e-15, "triangle inequality");
    assertTrue(Double.isFinite(Distances.bhattacharyyaDistance(p, r)));
  }

  @Test
  void klIsInfiniteNeverNaNAndInputsAreChecked() {
    double[] p = {0.5, 0.5, 0};
    double[] q = {1, 0, 0};
    assertEquals(Double.POSITIVE_INFINITY, Distances.kl(p, q));
    assertEquals(Math.log(2), Distances.kl(q, p), 1e-15);
    assertEquals(Double.POSITIVE_INFINITY, Distances.bhattacharyyaDistance(new double[] {1, 0}, new double[] {0, 1}));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Distances.kl(p, new double[] {1, 0}))
        .getMessage().contains("ranks"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Distances.hellinger(p, new double[] {0.5, 0.6, 0}))
        .getMessage().contains("q sums"));
    assertThrows(IllegalArgumentException.class, () -> Distances.hellinger(new double[] {Double.NaN, 1}, p));
    Spectrum a = Spectrum.ofSingularValues(new double[] {1, 2});
    Spectrum b = Spectrum.ofSingularValues(new double[] {1, 2, 3});
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Distances.hellinger(a, b)).getMessage()
        .contains("dimension"));
  }

  @Property(tries = 30, seed = "20261128")
  void spectrumDistancesAgreeWithOrbitClosedForms(@IntRange(min = 2, max = 2048) int d,
      @LongRange(min = 0, max = 1000) long seed) {
    Random rnd = new Random(seed);
    double s1 = 6 * rnd.nextDouble();
    double s2 = 6 * rnd.nextDouble();
    Spectrum a = Spectrum.ofSingularValues(Reference.orbitSigma(d, s1, 3));
    Spectrum b = Spectrum.ofSingularValues(Reference.orbitSigma(d, s2, 0.1));
    Orbit o = Orbit.of(d);
    assertEquals(o.bhattacharyya(s1, s2), Distances.bhattacharyyaCoefficient(a, b), 1e-12);
    assertEquals(o.kl(s1, s2), Distances.kl(a, b), 1e-11 * (1 + o.kl(s1, s2)));
    assertEquals(o.buresWasserstein2(s1, s2), Math.pow(Distances.spectralBuresWasserstein(a, b), 2),
        1e-10 * d);
  }

  static DMatrix gram(DMatrix a) {
    return Gemm.multiply(a.transpose(), a);
  }

  /** {@code min over Q in O(2) of ||A - Q B||_F^2} by a fine angle scan plus golden-section refinement. */
  static double procrustes2(DMatrix a, DMatrix b) {
    double best = Double.MAX_VALUE;
    for (int reflect = 0; reflect < 2; reflect++) {
      int grid = 720;
      double bestT = 0;
      double bestV = Double.MAX_VALUE;
      for (int g = 0; g < grid; g++) {
        double t = 2 * Math.PI * g / grid;
        double v = misfit(a, b, t, reflect == 1);
        if (v < bestV) {
          bestV = v;
          bestT = t;
        }
      }
      double lo = bestT - 2 * Math.PI / grid;
      double hi = bestT + 2 * Math.PI / grid;
      double phi = (Math.sqrt(5) - 1) / 2;
      for (int it = 0; it < 100; it++) {
        double m1 = hi - phi * (hi - lo);
        double m2 = lo + phi * (hi - lo);
        if (misfit(a, b, m1, reflect == 1) < misfit(a, b, m2, reflect == 1)) {
          hi = m2;
        } else {
          lo = m1;
        }
      }
      best = Math.min(best, misfit(a, b, 0.5 * (lo + hi), reflect == 1));
    }
    return best;
  }

  private static double misfit(DMatrix a, DMatrix b, double t, boolean reflect) {
    double c = Math.cos(t);
    double s = Math.sin(t);
    double[][] q = reflect ? new double[][] {{c, s}, {s, -c}} : new double[][] {{c, -s}, {s, c}};
    double f = 0;
    for (int j = 0; j < a.cols(); j++) {
      for (int i = 0; i < 2; i++) {
        double x = a.get(i, j) - (q[i][0] * b.get(0, j) + q[i][1] * b.get(1, j));
        f += x * x;
      }
    }
    return f;
  }

  @Property(tries = 40, seed = "20261128")
  void check5ProcrustesIdentityAgainstBruteForceRotation(@IntRange(min = 1, max = 5) int n,
      @LongRange(min = 0, max = 100000) long seed) {
    Random rnd = new Random(seed);
    DMatrix a = SpectrumTest.gaussian(rnd, 2, n);
    DMatrix b = SpectrumTest.gaussian(rnd, 2, n);
    double bw2 = BuresWasserstein.distanceSquared(gram(a), gram(b));
    double scale = a.frobeniusNorm() * a.frobeniusNorm() + b.frobeniusNorm() * b.frobeniusNorm();
    assertEquals(procrustes2(a, b), bw2, 1e-9 * scale);
  }

  @Property(tries = 40, seed = "20261128")
  void check5FactorFormAgreesWithEigenFormAndBruteForce(@IntRange(min = 1, max = 5) int n,
      @LongRange(min = 0, max = 100000) long seed) {
    Random rnd = new Random(seed);
    DMatrix a = SpectrumTest.gaussian(rnd, 2, n);
    DMatrix b = SpectrumTest.gaussian(rnd, 2, n);
    double scale = a.frobeniusNorm() * a.frobeniusNorm() + b.frobeniusNorm() * b.frobeniusNorm();
    double factors = BuresWasserstein.distanceOfFactors(a, b);
    // Independent: brute-force minimisation over O(2), and the eigensolver route on the Gram matrices.
    assertEquals(procrustes2(a, b), factors * factors, 1e-9 * scale);
    assertEquals(BuresWasserstein.distanceSquared(gram(a), gram(b)), factors * factors, 1e-9 * scale);
  }

  @Test
  void factorFormIsZeroOnRotatedFactorsAndScaleCovariant() {
    Random rnd = new Random(3);
    DMatrix b = SpectrumTest.gaussian(rnd, 7, 5);
    DMatrix q = SpectrumTest.orthogonal(rnd, 7);
    // A distance near zero is known to about sqrt(eps) relative to the norms (the class comment's accuracy note).
    assertEquals(0, BuresWasserstein.distanceOfFactors(Gemm.multiply(q, b), b), 1e-6 * b.frobeniusNorm());
    DMatrix a = SpectrumTest.gaussian(rnd, 7, 5);
    double d = BuresWasserstein.distanceOfFactors(a, b);
    DMatrix a2 = a.copy();
    DMatrix b2 = b.copy();
    for (int j = 0; j < 5; j++) {
      for (int i = 0; i < 7; i++) {
        a2.set(i, j, a.get(i, j) * 0x1p-900);
        b2.set(i, j, b.get(i, j) * 0x1p-900);
      }
    }
    assertEquals(d * 0x1p-900, BuresWasserstein.distanceOfFactors(a2, b2), 1e-12 * d * 0x1p-900);
    assertThrows(IllegalArgumentException.class, () -> BuresWasserstein.distanceOfFactors(a, DMatrix.zeros(7, 4)));
  }

  @Property(tries = 40, seed = "20261128")
  void check5MatrixBwIsAtLeastSpectralBwAndOrthogonallyInvariant(@IntRange(min = 1, max = 12) int n,
      @IntRange(min = 1, max = 12) int m, @LongRange(min = 0, max = 100000) long seed) {
    Random rnd = new Random(seed);
    DMatrix a = SpectrumTest.gaussian(rnd, m, n);
    DMatrix b = SpectrumTest.gaussian(rnd, m, n);
    DMatrix s1 = gram(a);
    DMatrix s2 = gram(b);
    double bw = BuresWasserstein.distance(s1, s2);
    double spec = BuresWasserstein.spectralDistance(s1, s2);
    double scale = Math.sqrt(s1.frobeniusNorm() + s2.frobeniusNorm());
    assertTrue(bw >= spec - 1e-7 * scale, "matrix BW " + bw + " < spectral " + spec);
    // A = Q0 B reaches zero (the Procrustes minimum at Q = Q0)
    DMatrix q0 = SpectrumTest.orthogonal(rnd, m);
    assertEquals(0, BuresWasserstein.distance(gram(Gemm.multiply(q0, b)), s2), 1e-6 * scale);
    // invariance under simultaneous conjugation S -> P^T S P
    DMatrix p = SpectrumTest.orthogonal(rnd, n);
    double bwRot = BuresWasserstein.distance(Gemm.multiply(Gemm.multiply(p.transpose(), s1), p),
        Gemm.multiply(Gemm.multiply(p.transpose(), s2), p));
    assertEquals(bw * bw, bwRot * bwRot, 1e-9 * scale * scale);
  }

  @Test
  void commutingDiagonalMatricesGiveTheSpectralDistance() {
    double[] x = {4, 1, 0.25, 0};
    double[] y = {1, 1, 1, 9};
    DMatrix s1 = DMatrix.zeros(4, 4);
    DMatrix s2 = DMatrix.zeros(4, 4);
    double expected = 0;
    for (int i = 0; i < 4; i++) {
      s1.set(i, i, x[i]);
      s2.set(i, i, y[i]);
      expected += Math.pow(Math.sqrt(x[i]) - Math.sqrt(y[i]), 2);
    }
    assertEquals(expected, BuresWasserstein.distanceSquared(s1, s2), 1e-13);
    // 6.2: normalized diagonal spectra S = d diag(p) give sqrt(2d) Hel
    Spectrum a = Spectrum.ofSingularValues(new double[] {3, 2, 1, 0.5});
    Spectrum b = Spectrum.ofSingularValues(new double[] {1, 1, 1, 0.1});
    DMatrix sa = DMatrix.zeros(4, 4);
    DMatrix sb = DMatrix.zeros(4, 4);
    for (int i = 0; i < 4; i++) {
      sa.set(i, i, a.lambdas()[i]);
      sb.set(i, i, b.lambdas()[i]);
    }
    assertEquals(Distances.spectralBuresWasserstein(a, b), BuresWasserstein.distance(sa, sb), 1e-7);
    assertThrows(IllegalArgumentException.class, () -> BuresWasserstein.distance(s1, DMatrix.zeros(3, 3)));
    DMatrix neg = DMatrix.fromRows(new double[][] {{1, 0}, {0, -1}});
    assertTrue(assertThrows(IllegalArgumentException.class, () -> BuresWasserstein.distance(neg, neg))
        .getMessage().contains("semidefinite"));
  }
}
