package dev.cartan.core.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.core.Orbit;
import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.Gemm;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChainsTest {
  private static final double TOL = 1e-9;

  /** THEORY.md 12 item 6: 8.5, 8.8 (per step and chain), 8.6, 8.10, 8.11 on every generator and chart. */
  @Test
  void boundsHoldOnRandomChainsOfEveryGenerator() {
    int chains = 0;
    int[] dims = {8, 13, 24};
    for (int seed = 0; seed < 12; seed++) {
      int d = dims[seed % dims.length];
      List<ChainReport> reports = new ArrayList<>();
      for (ChainGenerators.Noise noise : ChainGenerators.Noise.values()) {
        reports.add(Chains.ofFactors(ChainGenerators.nearIdentity(d, 5, 0.02 + 0.01 * seed, noise, seed), null));
      }
      reports.add(Chains.ofStates(ChainGenerators.orbit(d, 5, 0.1 * seed, 0.3 + 0.05 * seed, false, seed), null));
      reports.add(Chains.ofStates(ChainGenerators.orbit(d, 5, 2.0 - 0.1 * seed, 0.5, true, seed), null));
      reports.add(Chains.ofStates(ChainGenerators.backtracking(d, 6, 0.2, 1.5, 0.6, 0.05, seed), null));
      reports.add(Chains.ofStates(randomStates(d, 4, seed), null));
      for (ChainReport r : reports) {
        checkBounds(r);
        chains++;
      }
    }
    assertEquals(84, chains);
  }

  /** The same checks on many more small chains (d 4..11, L = 3), every generator, every chart. */
  @Test
  void boundsHoldOnManySmallChains() {
    int chains = 0;
    for (int seed = 100; seed < 150; seed++) {
      int d = 4 + seed % 8;
      double eps = 0.3 / Math.sqrt(d) * (1 + seed % 3);
      for (ChainGenerators.Noise noise : ChainGenerators.Noise.values()) {
        checkBounds(Chains.ofFactors(ChainGenerators.nearIdentity(d, 3, eps, noise, seed), null));
        chains++;
      }
      checkBounds(Chains.ofStates(ChainGenerators.orbit(d, 3, 0.05 * (seed % 40), 3.0 - 0.07 * (seed % 30), true,
          seed), null));
      checkBounds(Chains.ofStates(ChainGenerators.backtracking(d, 3, 0.1, 2.5, 1.0, eps, seed), null));
      checkBounds(Chains.ofStates(randomStates(d, 3, seed), null));
      chains += 3;
    }
    assertEquals(300, chains);
  }

  static void checkBounds(ChainReport r) {
    assertTrue(r.oneStepBoundHolds(), "8.5");
    for (ChainReport.Interface t : r.interfaces()) {
      assertTrue(Math.abs(t.deltaR()) <= t.amplitude() * (1 + TOL) + 1e-12, "8.5 step " + t.step());
      assertTrue(t.amplitude() >= 0);
    }
    assertTrue(r.slack() >= 0);
    assertTrue(r.submultiplicativeSlack() >= -1e-9 * (1 + r.logM()), "S_sub " + r.submultiplicativeSlack());
    assertEquals(r.logM(), r.interfaces().stream().mapToDouble(ChainReport.Interface::amplitude).sum(), 1e-12);
    for (ChainReport.ChartChain c : r.charts()) {
      String what = r.mode() + " " + c.chart();
      assertTrue(c.margin() > 0, what);
      assertTrue(c.stepsHold() && c.chainHolds(), what);
      double sumAbs = 0;
      for (ChainReport.ChartStep s : c.steps()) {
        assertTrue(s.observed() <= s.middle() * (1 + TOL) + 1e-12, what + " middle");
        assertTrue(s.middle() <= s.bound() * (1 + TOL) + 1e-12, what + " bound");
        assertTrue(s.hellinger() <= s.hellingerBound() * (1 + TOL) + 1e-12, what + " 8.10 triangle");
        assertTrue(s.hellingerOrbit() <= s.fisherRaoBound() * (1 + 1e-6) + 1e-12, what + " 8.10 ell");
        assertTrue(s.fisherRaoBound() <= s.lipschitzBound() * (1 + 1e-6) + 1e-12, what + " 8.10 max I");
        assertTrue(s.klLower() <= s.kl() * (1 + 1e-6) + 1e-14, what + " KL lower");
        assertTrue(s.kl() <= s.klUpper() * (1 + 1e-6) + 1e-14, what + " KL upper");
        sumAbs += s.observed();
      }
      assertTrue(c.pathSquared() <= c.stepsTimesSumSquares() * (1 + TOL) + 1e-15, what + " Cauchy-Schwarz");
      assertTrue(sumAbs <= c.amplitudeBound() * (1 + TOL) + 1e-12, what + " amplitude bound");
      assertTrue(c.meanDrift() <= c.meanDriftBound() * (1 + TOL) + 1e-12, what + " mean drift");
      if (c.budgetHypotheses().all()) {
        assertTrue(c.maxDrift() <= c.budgetBound() * (1 + 1e-6) + 1e-12, what + " depth budget");
      }
      // Bures = (d/4) Fisher + O(sum |ds|^3): the remainder is within a constant times the cubic sum.
      assertTrue(Math.abs(c.buresAction() - c.quarterDFisher()) <= r.dimension() * 10 * c.cubicSum()
          * Math.log(r.dimension()) * Math.log(r.dimension()) + 1e-12, what + " Bures vs Fisher");
    }
  }

  static List<DMatrix> randomStates(int d, int steps, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<DMatrix> out = new ArrayList<>();
    for (int l = 0; l <= steps; l++) {
      out.add(ChainGenerators.perturbation(d, ChainGenerators.Noise.GAUSSIAN, rnd));
    }
    return out;
  }

  /** 8.12: orbit interfaces are diagonal with a = (|ds|/2) log d, and |dr| / a -> mu(s) / log d as ds -> 0. */
  @Test
  void orbitChainsApproachTheSharpRatio() {
    int d = 32;
    double s = 1.0;
    Orbit o = Orbit.of(d);
    double limit = o.mu(s) / Math.log(d);
    double previous = Double.POSITIVE_INFINITY;
    for (double ds : new double[] {0.2, 0.02, 0.002}) {
      for (boolean conj : new boolean[] {false, true}) {
        ChainReport r = Chains.ofStates(ChainGenerators.orbit(d, 1, s, s + ds, conj, 7), null);
        ChainReport.Interface t = r.interfaces().get(0);
        assertEquals(0.5 * ds * Math.log(d), t.amplitude(), 1e-10, "a_l of an orbit step");
        double err = Math.abs(t.ratio() - limit);
        if (conj) {
          assertTrue(err <= previous, "ratio error shrinks with the step");
          previous = err;
        }
      }
    }
    assertTrue(previous < 2e-3 * limit, "ratio " + previous + " from mu/log d");
    // Every chart is exact on the orbit: top residual ~0, the depth budget's hypotheses hold, drift within it.
    ChainReport r = Chains.ofStates(ChainGenerators.orbit(16, 8, 1.0, 1.04, true, 3), null);
    for (ChainReport.ChartChain c : r.charts()) {
      assertTrue(c.budgetHypotheses().all(), c.chart());
      assertTrue(c.maxDrift() <= c.budgetBound() * (1 + 1e-6), c.chart());
      assertEquals(0.005, c.maxDrift(), 1e-7, c.chart());
      assertTrue(c.chainRatio() > 0.97, c.chart() + " nearly tight: " + c.chainRatio());
    }
  }

  @Test
  void backtrackingChainsHavePositiveSlack() {
    ChainReport r = Chains.ofStates(ChainGenerators.backtracking(16, 8, 0.2, 1.6, 0.4, 0.0, 5), null);
    assertTrue(r.slack() > 0.1, "slack " + r.slack());
    assertEquals(r.radialPath() - r.radialDisplacement(), r.slack(), 1e-12);
  }

  /** 12 item 7: remainder / eps^2 stays bounded as eps -> 0, and the prediction converges. */
  @Test
  void nearIdentityRemainderIsSecondOrder() {
    for (ChainGenerators.Noise noise : ChainGenerators.Noise.values()) {
      DMatrix b = ChainGenerators.perturbation(12, noise, new SplittableRandom(11));
      double first = -1;
      for (double eps : new double[] {1e-2, 1e-3, 1e-4}) {
        DMatrix a = b.copy();
        for (int j = 0; j < 12; j++) {
          for (int i = 0; i < 12; i++) {
            a.set(i, j, eps * b.get(i, j) + (i == j ? 1 : 0));
          }
        }
        NearIdentity.Expansion e = NearIdentity.expand("A", a);
        assertEquals(eps, e.eps(), 1e-12 * eps);
        double rem = Math.max(e.hRemainder(), Math.max(e.rRemainder(), e.sRemainder()));
        if (first < 0) {
          first = rem;
        }
        assertTrue(rem <= 2 * first + 10, noise + " eps " + eps + ": " + rem + " vs " + first);
        assertTrue(Math.abs(e.measuredR() - e.predictedR()) <= 50 * eps * eps, noise + " r");
      }
    }
  }

  @Test
  void singularStatesAreRefusedByName() {
    List<DMatrix> states = ChainGenerators.orbit(8, 3, 0.2, 0.8, true, 1);
    DMatrix bad = states.get(2).copy();
    for (int i = 0; i < 8; i++) {
      bad.set(i, 3, 2 * bad.get(i, 5));
    }
    List<DMatrix> withBad = new ArrayList<>(states);
    withBad.set(2, bad);
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> Chains.ofStates(withBad, List.of("x0", "x1", "mid", "x3")));
    assertTrue(ex.getMessage().contains("mid") && ex.getMessage().contains("index 2"), ex.getMessage());
    assertTrue(ex.getMessage().contains("singular"), ex.getMessage());

    List<DMatrix> factors = new ArrayList<>(ChainGenerators.nearIdentity(8, 3, 0.05, ChainGenerators.Noise.GAUSSIAN, 2));
    factors.set(1, DMatrix.zeros(8, 8));
    factors.get(1).set(0, 0, 1);
    ex = assertThrows(IllegalArgumentException.class, () -> Chains.ofFactors(factors, null));
    assertTrue(ex.getMessage().contains("A_2"), ex.getMessage());

    ex = assertThrows(IllegalArgumentException.class,
        () -> Chains.ofStates(List.of(DMatrix.identity(4), DMatrix.zeros(4, 3)), null));
    assertTrue(ex.getMessage().contains("X_1") && ex.getMessage().contains("not square"), ex.getMessage());
  }

  /** Factors and the states they generate give the same radial quantities (8.1 vs 8.2). */
  @Test
  void factorsAndStatesAgree() {
    List<DMatrix> f = ChainGenerators.nearIdentity(10, 4, 0.1, ChainGenerators.Noise.LOW_RANK, 9);
    List<DMatrix> x = new ArrayList<>();
    DMatrix cur = DMatrix.identity(10);
    x.add(cur);
    for (DMatrix a : f) {
      cur = Gemm.multiply(a, cur);
      x.add(cur);
    }
    ChainReport rf = Chains.ofFactors(f, null);
    ChainReport rs = Chains.ofStates(x, null);
    assertEquals(rf.logM(), rs.logM(), 1e-9);
    assertEquals(rf.slack(), rs.slack(), 1e-10);
    assertEquals(rf.submultiplicativeSlack(), rs.submultiplicativeSlack(), 1e-9);
    for (int l = 0; l <= 4; l++) {
      assertEquals(rf.states().get(l).topRadial(), rs.states().get(l).topRadial(), 1e-12);
    }
    assertEquals(4, rf.nearIdentity().size());
    assertTrue(rs.nearIdentity().isEmpty());
  }

  @Test
  void luSolvesAgainstAKnownProduct() {
    SplittableRandom rnd = new SplittableRandom(4);
    DMatrix t = ChainGenerators.perturbation(9, ChainGenerators.Noise.GAUSSIAN, rnd);
    DMatrix x = ChainGenerators.perturbation(9, ChainGenerators.Noise.HEAVY_TAILED, rnd);
    DMatrix got = Lu.rightDivide(Gemm.multiply(t, x), x, "x");
    for (int j = 0; j < 9; j++) {
      for (int i = 0; i < 9; i++) {
        assertEquals(t.get(i, j), got.get(i, j), 1e-10);
      }
    }
    assertTrue(Lu.factor(DMatrix.zeros(3, 3)).singular());
  }

  @Test
  void generatorsAreDeterministic() {
    DMatrix a = ChainGenerators.nearIdentity(6, 2, 0.1, ChainGenerators.Noise.HEAVY_TAILED, 42).get(1);
    DMatrix b = ChainGenerators.nearIdentity(6, 2, 0.1, ChainGenerators.Noise.HEAVY_TAILED, 42).get(1);
    DMatrix c = ChainGenerators.nearIdentity(6, 2, 0.1, ChainGenerators.Noise.HEAVY_TAILED, 43).get(1);
    assertEquals(a.toString(), b.toString());
    assertFalse(a.toString().equals(c.toString()));
    DMatrix q = ChainGenerators.orthogonal(7, new SplittableRandom(1));
    DMatrix qtq = Gemm.multiply(q.transpose(), q);
    for (int j = 0; j < 7; j++) {
      for (int i = 0; i < 7; i++) {
        assertEquals(i == j ? 1 : 0, qtq.get(i, j), 1e-13);
      }
    }
  }
}
