package dev.cartan.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.core.Draws.DoubleRange;
import dev.cartan.core.Draws.IntRange;
import dev.cartan.core.Draws.LongRange;
import dev.cartan.core.Draws.Property;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * THEORY.md section 12 check 4 (top inverts Phi; every chart returns s on exact orbit spectra with vanishing
 * residuals) and the defining optimality property of each chart on random spectra.
 */
class ChartsTest {

  static Spectrum randomSpectrum(Random rnd, int d) {
    double[] sigma = new double[d];
    double s = rnd.nextDouble() * 3;
    for (int k = 0; k < d; k++) {
      sigma[k] = Math.pow(k + 1, -0.5 * s) * Math.exp(0.5 * rnd.nextGaussian());
    }
    return Spectrum.ofSingularValues(sigma);
  }

  @Property(tries = 40, seed = "20261128")
  void check4EveryChartRecoversExactOrbitExponent(@IntRange(min = 2, max = 4096) int d,
      @DoubleRange(min = 0, max = 20) double s, @DoubleRange(min = -30, max = 30) double logScale) {
    Spectrum sp = Spectrum.ofSingularValues(Reference.orbitSigma(d, s, Math.exp(logScale)));
    for (Chart c : Chart.values()) {
      ChartFit f = Charts.fit(sp, c);
      assertFalse(f.degenerate());
      assertFalse(f.clamped(), c + " clamped");
      assertTrue(f.converged());
      assertEquals(s, f.s(), 1e-12, c + " exponent at d=" + d);
      assertEquals(0, f.topResidual(), 1e-12 * Math.log(d), c + " top residual");
      assertEquals(0, f.vectorResidualNorm(), 1e-11, c + " vector residual");
      assertEquals(0, f.hellingerResidual(), 1e-11, c + " hellinger residual");
      assertEquals(Math.sqrt(2.0 * d) * f.hellingerResidual(), f.buresResidual(), 1e-15);
      assertEquals(s / 2, f.alphaSigma(), 1e-12);
    }
  }

  @Property(tries = 30, seed = "20261128")
  void exactOrbitRecoveredOnExplicitAndEnergyWindows(@IntRange(min = 8, max = 2048) int d,
      @DoubleRange(min = 0, max = 4) double s, @IntRange(min = 1, max = 4) int lo) {
    Spectrum sp = Spectrum.ofSingularValues(Reference.orbitSigma(d, s, 1));
    for (RankWindow w : new RankWindow[] {RankWindow.explicit(lo, d / 2 + 2), RankWindow.energy(0.9)}) {
      for (Chart c : Chart.values()) {
        ChartFit f = Charts.fit(sp, c, ChartOptions.DEFAULTS.withWindow(w));
        if (f.degenerate()) {
          assertTrue(f.windowLo() == f.windowHi() && c != Chart.TOP);
          continue;
        }
        assertEquals(s, f.s(), 1e-11, c + " on " + w);
        assertEquals(0, f.vectorResidualMax(), 1e-10);
      }
    }
  }

  @Property(tries = 40, seed = "20261128")
  void check4TopChartInvertsPhiExactly(@IntRange(min = 2, max = 4096) int d,
      @LongRange(min = 0, max = 1000) long seed) {
    Spectrum sp = randomSpectrum(new Random(seed), d);
    ChartFit f = Charts.fit(sp, Chart.TOP);
    Orbit o = Orbit.of(d);
    assertEquals(sp.topRadial(), o.phi(f.s()), 1e-14);
    assertEquals(0, f.topResidual(), 1e-15);
  }

  @Property(tries = 30, seed = "20261128")
  void chartsAreTheOptimaTheyClaim(@IntRange(min = 2, max = 1024) int d,
      @LongRange(min = 0, max = 1000) long seed, @DoubleRange(min = 0, max = 6) double other) {
    Spectrum sp = randomSpectrum(new Random(seed), d);
    double[] p = sp.energies();
    Orbit o = Orbit.of(d);
    ChartFit mle = Charts.fit(sp, Chart.MLE);
    ChartFit hel = Charts.fit(sp, Chart.HELLINGER);
    ChartFit ls = Charts.fit(sp, Chart.LS);
    // mle: moment equation and KL projection
    assertEquals(Reference.mean(p), o.mu(mle.s()), 1e-12 * (1 + o.mu(mle.s())));
    assertTrue(Reference.kl(p, Reference.orbit(d, mle.s())) <= Reference.kl(p, Reference.orbit(d, other)) + 1e-13);
    // hellinger: no other exponent is closer
    assertTrue(Reference.hellinger2(p, Reference.orbit(d, hel.s()))
        <= Reference.hellinger2(p, Reference.orbit(d, other)) + 1e-13);
    assertEquals(Math.sqrt(Reference.hellinger2(p, Reference.orbit(d, hel.s()))), hel.hellingerResidual(), 1e-12);
    // ls: no other slope gives a smaller vector residual
    double[] h = sp.cartan();
    assertTrue(centredResidual(h, ls.s()) <= centredResidual(h, other) + 1e-12);
    assertEquals(Math.sqrt(centredResidual(h, ls.s())), ls.vectorResidualNorm(), 1e-9);
  }

  /** Squared norm of the centred Cartan coordinate minus the centred orbit ray at s (independent of Charts). */
  private static double centredResidual(double[] h, double s) {
    int n = h.length;
    double mh = 0;
    double mx = 0;
    for (int k = 0; k < n; k++) {
      mh += h[k];
      mx += Math.log(k + 1);
    }
    mh /= n;
    mx /= n;
    double ss = 0;
    for (int k = 0; k < n; k++) {
      double r = (h[k] - mh) - (-0.5 * s * (Math.log(k + 1) - mx));
      ss += r * r;
    }
    return ss;
  }

  @Test
  void degenerateAndClampedCases() {
    Spectrum one = Spectrum.ofSingularValues(new double[] {3});
    for (Chart c : Chart.values()) {
      ChartFit f = Charts.fit(one, c);
      assertTrue(f.degenerate());
      assertEquals(0, f.s());
      assertEquals(0, f.hellingerResidual());
    }
    Spectrum rankOne = Spectrum.ofSingularValues(new double[] {2, 0, 0, 0});
    // Window charts see one rank with positive energy: no exponent. top sees r = Phi(inf): clamped.
    for (Chart c : new Chart[] {Chart.LS, Chart.MLE, Chart.HELLINGER}) {
      assertTrue(Charts.fit(rankOne, c).degenerate(), c + " on rank one");
    }
    ChartFit top = Charts.fit(rankOne, Chart.TOP);
    assertTrue(top.clampedHigh());
    assertEquals(ChartOptions.DEFAULT_S_MAX, top.s());
    Spectrum steep = Spectrum.ofSingularValues(Reference.orbitSigma(3, 30, 1));
    ChartOptions small = new ChartOptions(10, RankWindow.all());
    for (Chart c : Chart.values()) {
      ChartFit f = Charts.fit(steep, c, small);
      assertTrue(f.clampedHigh(), c + " beyond sMax");
      assertEquals(10, f.s());
    }
    Spectrum flat = Spectrum.ofSingularValues(new double[] {2, 2, 2, 2, 2});
    for (Chart c : Chart.values()) {
      ChartFit f = Charts.fit(flat, c);
      assertEquals(0, f.s(), 1e-15);
      assertFalse(f.clamped());
      assertFalse(f.alphaEsdDefined());
    }
    assertThrows(IllegalArgumentException.class,
        () -> Charts.fit(rankOne, Chart.LS, ChartOptions.DEFAULTS.withWindow(RankWindow.explicit(2, 3))));
    assertThrows(IllegalArgumentException.class, () -> RankWindow.explicit(3, 2));
    assertThrows(IllegalArgumentException.class, () -> new ChartOptions(-1, RankWindow.all()));
    assertThrows(IllegalArgumentException.class, () -> Chart.fromId("foo"));
    assertEquals(Chart.MLE, Chart.fromId("MLE"));
  }
}
