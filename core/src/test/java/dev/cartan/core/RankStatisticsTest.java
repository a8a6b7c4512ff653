package dev.cartan.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.core.Draws.DoubleRange;
import dev.cartan.core.Draws.IntRange;
import dev.cartan.core.Draws.LongRange;
import dev.cartan.core.Draws.Property;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Section 7 and THEORY.md section 12 check 8 (monotonicity and derivative bound, tail bounds, window stability). */
class RankStatisticsTest {

  @Property(tries = 60, seed = "20261128")
  void check8EffectiveRankIsNonincreasingAndCdfDerivativeBounded(@IntRange(min = 2, max = 4096) int d,
      @DoubleRange(min = 0, max = 20) double s, @DoubleRange(min = 0, max = 20) double t,
      @DoubleRange(min = 0.01, max = 1) double tau, @LongRange(min = 0, max = 1000) long seed) {
    Orbit o = Orbit.of(d);
    double lo = Math.min(s, t);
    double hi = Math.max(s, t);
    assertTrue(o.effectiveRank(lo, tau) >= o.effectiveRank(hi, tau));
    int k = 1 + new Random(seed).nextInt(d);
    assertTrue(o.cdf(k, lo) <= o.cdf(k, hi) + 1e-15, "F_k nondecreasing in s");
    double deriv = o.cdfDerivative(k, s);
    assertTrue(deriv >= 0 && deriv <= Math.log(d) / 4 * (1 + 1e-12), "0 <= dF_k/ds <= (log d)/4: " + deriv);
    double h = 1e-6;
    double s0 = Math.max(s, h);
    double fd = (o.cdf(k, s0 + h) - o.cdf(k, s0 - h)) / (2 * h);
    assertEquals(o.cdfDerivative(k, s0), fd, 1e-6);
    // direct definition of F_k
    double[] p = Reference.orbit(d, s);
    double f = 0;
    for (int j = 0; j < k; j++) {
      f += p[j];
    }
    assertEquals(f, o.cdf(k, s), 1e-12);
  }

  @Property(tries = 80, seed = "20261128")
  void check8TailBounds(@IntRange(min = 2, max = 4096) int d, @DoubleRange(min = 0, max = 20) double s,
      @LongRange(min = 0, max = 1000) long seed) {
    int k = 1 + new Random(seed).nextInt(d - 1);
    double tail = 0;
    for (int j = d; j > k; j--) {
      tail += Math.pow(j, -s);
    }
    double lower = Orbit.tailLowerBound(k, d, s);
    double upper = Orbit.tailUpperBound(k, d, s);
    assertTrue(lower <= tail * (1 + 1e-12), "lower " + lower + " > tail " + tail);
    assertTrue(tail <= upper * (1 + 1e-12), "tail " + tail + " > upper " + upper);
    // s = 1 branch and its continuity
    if (s < 1e-3) {
      assertEquals(Orbit.tailUpperBound(k, d, 1), Orbit.tailUpperBound(k, d, 1 + 1e-12), 1e-9);
    }
    double tailEnergy = 1 - Orbit.of(d).cdf(k, s);
    double h = Orbit.of(d).harmonic(s);
    assertTrue(tailEnergy <= upper / h * (1 + 1e-9) + 1e-15 && tailEnergy >= lower / h * (1 - 1e-9) - 1e-15);
  }

  @Test
  void tailBoundsAtExactlyOne() {
    double tail = 0;
    for (int j = 11; j <= 100; j++) {
      tail += 1.0 / j;
    }
    assertTrue(Math.log(101.0 / 11) <= tail && tail <= Math.log(10.0));
    assertEquals(Math.log(10.0), Orbit.tailUpperBound(10, 100, 1), 1e-15);
    assertEquals(Math.log(101.0 / 11), Orbit.tailLowerBound(10, 100, 1), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> Orbit.tailLowerBound(5, 5, 1));
  }

  @Property(tries = 80, seed = "20261128")
  void check8WindowStability(@IntRange(min = 2, max = 2048) int d, @LongRange(min = 0, max = 100000)
      long seed, @DoubleRange(min = 0.05, max = 1) double tau) {
    Random rnd = new Random(seed);
    Spectrum p = ChartsTest.randomSpectrum(rnd, d);
    double[] sigma = p.sigma();
    double eps = Math.pow(10, -1 - 4 * rnd.nextDouble());
    for (int k = 0; k < d; k++) {
      sigma[k] *= Math.exp(eps * rnd.nextGaussian());
    }
    Spectrum q = Spectrum.ofSingularValues(sigma);
    if (RankStatistics.windowStable(p, q, tau)) {
      assertEquals(RankStatistics.effectiveRank(p, tau).kEff(), RankStatistics.effectiveRank(q, tau).kEff());
    }
    // orbit form
    Orbit o = Orbit.of(d);
    double s = 4 * rnd.nextDouble();
    double s2 = s + eps * rnd.nextGaussian();
    if (s2 >= 0 && RankStatistics.windowStableOnOrbit(o, s, s2, tau)) {
      assertEquals(o.effectiveRank(s, tau), o.effectiveRank(s2, tau));
    }
  }

  @Test
  void ranksOfConstructedSpectra() {
    Spectrum flat = Spectrum.ofSingularValues(new double[] {2, 2, 2, 2});
    assertEquals(4, RankStatistics.stableRank(flat), 1e-15);
    assertEquals(4, RankStatistics.entropyRank(flat), 1e-14);
    assertEquals(4, RankStatistics.participationRatio(flat), 1e-14);
    assertEquals(4, RankStatistics.effectiveRank(flat, 1).kEff());
    assertEquals(3, RankStatistics.effectiveRank(flat, 0.75).kEff());
    assertEquals(0, RankStatistics.effectiveRank(flat, 0.75).margin(), 1e-15);
    Spectrum one = Spectrum.ofSingularValues(new double[] {5, 0, 0});
    assertEquals(1, RankStatistics.stableRank(one));
    assertEquals(1, RankStatistics.entropyRank(one));
    assertEquals(1, RankStatistics.participationRatio(one));
    assertEquals(1, RankStatistics.effectiveRank(one, 1).kEff());
    Spectrum two = Spectrum.ofSingularValues(new double[] {Math.sqrt(3), 1});
    assertEquals(4.0 / 3, RankStatistics.stableRank(two), 1e-15);
    assertEquals(1 / (0.75 * 0.75 + 0.25 * 0.25), RankStatistics.participationRatio(two), 1e-14);
    assertEquals(Math.exp(-(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25))), RankStatistics.entropyRank(two), 1e-14);
    assertThrows(IllegalArgumentException.class, () -> RankStatistics.effectiveRank(two, 0));
    assertThrows(IllegalArgumentException.class, () -> RankStatistics.effectiveRank(two, 1.5));
  }
}
