package dev.cartan.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import dev.cartan.core.Draws.DoubleRange;
import dev.cartan.core.Draws.IntRange;
import dev.cartan.core.Draws.Property;
import org.junit.jupiter.api.Test;

/**
 * THEORY.md section 12 checks 1-3 (orbit closed forms against direct sums and quadrature, line elements,
 * derivatives of Phi by finite differences, Fisher bounds) and the definitions of sections 3-4.
 */
class OrbitTest {

  private static double rel(double expected, double actual) {
    return Math.abs(expected - actual) / Math.max(Math.abs(expected), 1e-300);
  }

  @Property(tries = 60, seed = "20261128")
  void check1OrbitClosedFormsMatchDirectSums(@IntRange(min = 1, max = 4096) int d,
      @DoubleRange(min = 0, max = 20) double s1, @DoubleRange(min = 0, max = 20) double s2) {
    Orbit o = Orbit.of(d);
    double[] p = Reference.orbit(d, s1);
    double[] q = Reference.orbit(d, s2);
    double bc = Reference.bc(p, q);
    assertEquals(bc, o.bhattacharyya(s1, s2), 1e-13 * d);
    double bw2 = 2.0 * d * Reference.hellinger2(p, q);
    assertEquals(bw2, o.buresWasserstein2(s1, s2), 1e-12 * d * (1 + bw2));
    double kl = Reference.kl(p, q);
    assertEquals(kl, o.kl(s1, s2), 1e-12 * (1 + kl) * Math.log(d + 1) * 10);
  }

  @Property(tries = 25, seed = "20261128")
  void check1KlIntegralFormMatchesClosedForm(@IntRange(min = 2, max = 4096) int d,
      @DoubleRange(min = 0, max = 20) double s1, @DoubleRange(min = 0, max = 20) double s2) {
    Orbit o = Orbit.of(d);
    Quadrature.Result r = o.klIntegral(s1, s2);
    assertTrue(r.converged());
    double kl = o.kl(s1, s2);
    assertEquals(kl, r.value(), 1e-9 * kl + 1e-14);
  }

  @Property(tries = 30, seed = "20261128")
  void check2LineElements(@IntRange(min = 2, max = 4096) int d,
      @DoubleRange(min = 0, max = 20) double s) {
    Orbit o = Orbit.of(d);
    double h = 1e-5;
    double[] p = Reference.orbit(d, s);
    double[] q = Reference.orbit(d, s + h);
    double hel2 = Reference.hellinger2(p, q);
    double bwRatio = 2.0 * d * hel2 / (h * h);
    double fisher = Reference.variance(p);
    assertTrue(rel(o.buresLineElement(s), bwRatio) < 1e-3, "BW line element " + bwRatio + " vs (d/4) I");
    assertTrue(rel(o.hellingerLineElement(s), hel2 / (h * h)) < 1e-3);
    assertEquals(fisher, o.fisher(s), 1e-12 * (fisher + 1e-300) + 1e-15 * Math.log(d));
  }

  @Property(tries = 60, seed = "20261128")
  void check3PhiDerivativesAndFisherBounds(@IntRange(min = 2, max = 4096) int d,
      @DoubleRange(min = 0, max = 20) double s0) {
    Orbit o = Orbit.of(d);
    double h = 1e-4;
    double s = Math.max(s0, 2 * h);
    double d1 = (o.phi(s + h) - o.phi(s - h)) / (2 * h);
    // the plain 3-point second difference: rounding eps Phi / h2^2 against truncation h2^2 kappa_4 / 24
    double h2 = 1e-3;
    double s2 = Math.max(s0, 2 * h2);
    double d2 = (o.phi(s2 + h2) - 2 * o.phi(s2) + o.phi(s2 - h2)) / (h2 * h2);
    double mu = o.mu(s);
    double fi = o.fisher(s);
    assertEquals(mu / 2, d1, 1e-6 * mu + 1e-11, "Phi' = mu/2");
    assertEquals(-o.fisher(s2) / 2, d2, 1e-3 * o.fisher(s2) + 1e-8, "Phi'' = -I/2");
    // second derivative of Phi through its derivative, where the plain 3-point formula loses digits
    double dd = (o.phiPrime(s + h) - o.phiPrime(s - h)) / (2 * h);
    assertEquals(o.phiSecond(s), dd, 1e-6 * fi + 1e-13);
    assertTrue(fi > 0, "I > 0");
    double logD = Math.log(d);
    assertTrue(fi <= logD * logD / 4 * (1 + 1e-14), "I <= (log d)^2 / 4");
    assertEquals(Reference.mean(Reference.orbit(d, s)), mu, 1e-12 * mu + 1e-300);
  }

  @Property(tries = 40, seed = "20261128")
  void fisherAtZeroHasClosedForm(@IntRange(min = 1, max = 4096) int d) {
    double sumSq = 0;
    double logFact = 0;
    for (int k = 1; k <= d; k++) {
      sumSq += Math.log(k) * Math.log(k);
      logFact += Math.log(k);
    }
    double expected = sumSq / d - (logFact / d) * (logFact / d);
    assertEquals(expected, Orbit.of(d).fisher(0), 1e-12 * (1 + sumSq / d));
  }

  @Property(tries = 40, seed = "20261128")
  void phiIsIncreasingConcaveFromZeroToHalfLogD(@IntRange(min = 2, max = 4096) int d,
      @DoubleRange(min = 0, max = 20) double a, @DoubleRange(min = 0, max = 20) double b) {
    Orbit o = Orbit.of(d);
    assertEquals(0, o.phi(0), 1e-15);
    double lo = Math.min(a, b);
    double hi = Math.max(a, b);
    assertTrue(o.phi(lo) <= o.phi(hi));
    assertTrue(o.phi(hi) < o.phiMax());
    assertTrue(o.phi(0.5 * (lo + hi)) >= 0.5 * (o.phi(lo) + o.phi(hi)) - 1e-15, "concave");
  }

  @Test
  void harmonicNumbersAgainstKnownValues() {
    assertEquals(25.0 / 12, Orbit.harmonic(4, 1), 1e-15);
    assertEquals(4096, Orbit.harmonic(4096, 0), 0);
    double n = 4096;
    // Euler-Maclaurin: H(n, 2) = zeta(2) - 1/n + 1/(2 n^2) - 1/(6 n^3) + O(n^-5)
    double em = Math.PI * Math.PI / 6 - 1 / n + 1 / (2 * n * n) - 1 / (6 * n * n * n);
    assertEquals(em, Orbit.harmonic(4096, 2), 1e-15);
    assertEquals(Orbit.harmonic(4096, 2), Orbit.of(4096).harmonic(2), 1e-15);
  }

  @Property(tries = 30, seed = "20261128")
  void fisherRaoLengthIsAdditiveAndBoundsHellinger(@IntRange(min = 2, max = 4096) int d,
      @DoubleRange(min = 0, max = 20) double a, @DoubleRange(min = 0, max = 20) double b) {
    Orbit o = Orbit.of(d);
    double m = 0.5 * (a + b);
    Quadrature.Result whole = o.fisherRaoLength(a, b);
    assertTrue(whole.converged());
    double parts = o.fisherRaoLength(a, m).value() + o.fisherRaoLength(m, b).value();
    assertEquals(whole.value(), parts, 1e-9 * whole.value() + 1e-15);
    // 8.10: Hel(p(s), p(s')) <= ell(s, s') / (2 sqrt 2)
    double hel = Math.sqrt(Reference.hellinger2(Reference.orbit(d, a), Reference.orbit(d, b)));
    assertTrue(hel <= whole.value() / (2 * Math.sqrt(2)) * (1 + 1e-9) + 1e-15);
  }

  @Test
  void degenerateDimensionAndDomainErrors() {
    Orbit o = Orbit.of(1);
    assertTrue(o.isDegenerate());
    assertEquals(0, o.phi(3), 0);
    assertEquals(0, o.fisher(3), 0);
    assertEquals(0, o.mu(3), 0);
    assertEquals(0, o.kl(1, 5), 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Orbit.of(0));
    assertTrue(e.getMessage().contains("d"));
    e = assertThrows(IllegalArgumentException.class, () -> Orbit.of(5).phi(-1));
    assertTrue(e.getMessage().contains("exponent s"));
    assertThrows(IllegalArgumentException.class, () -> Orbit.of(5).mu(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> Orbit.alphaEsd(0));
    assertEquals(1.5, Orbit.alphaEsd(2), 0);
    assertEquals(1, Orbit.alphaSigma(2), 0);
  }
}
