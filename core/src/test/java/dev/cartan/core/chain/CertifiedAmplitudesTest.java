package dev.cartan.core.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.linalg.SingularValueBounds;
import dev.cartan.kernels.svd.SvdOptions;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Chains with certified amplitudes ({@link ChainOptions.Amplitudes#CERTIFIED}) against the same chains with exact
 * ones: every bound of THEORY.md 8 still holds ({@link ChainsTest#checkBounds}), each certified amplitude lies in
 * {@code [a_l, a_l + AMPLITUDE_TOLERANCE max(a_l, A_FLOOR)]} of the exact one (up to the SVD's rounding), the
 * certified sigma_max / sigma_min bracket the exact ones, and everything that does not depend on the amplitudes is
 * unchanged.
 */
class CertifiedAmplitudesTest {
  private static final ChainOptions EXACT = ChainOptions.DEFAULTS.withAmplitudes(ChainOptions.Amplitudes.EXACT);
  private static final ChainOptions CERTIFIED =
      ChainOptions.DEFAULTS.withAmplitudes(ChainOptions.Amplitudes.CERTIFIED);
  /** Rounding of the exact route's SVD values (relative), on these well-conditioned interfaces. */
  private static final double SVD_SLACK = 1e-11;

  private static void compare(List<DMatrix> m, ChainMode mode, String what) {
    ChainReport e = Chains.analyze(m, null, mode, EXACT);
    ChainReport c = Chains.analyze(m, null, mode, CERTIFIED);
    ChainsTest.checkBounds(c);
    for (int l = 0; l < e.steps(); l++) {
      ChainReport.Interface te = e.interfaces().get(l);
      ChainReport.Interface tc = c.interfaces().get(l);
      double a = te.amplitude();
      String at = what + " step " + l + ": exact " + a + ", certified " + tc.amplitude();
      assertTrue(tc.amplitude() >= a - SVD_SLACK, at);
      assertTrue(tc.amplitude() <= a + ChainOptions.AMPLITUDE_TOLERANCE * Math.max(a, SingularValueBounds.A_FLOOR)
          + SVD_SLACK, at);
      assertTrue(tc.sigmaMax() >= te.sigmaMax() * (1 - SVD_SLACK), at);
      assertTrue(tc.sigmaMin() <= te.sigmaMin() * (1 + SVD_SLACK), at);
      // The states are the same in both routes, and so are their SVDs, bit for bit (the kernels give the same bits
      // in every JIT tier).
      assertEquals(te.deltaR(), tc.deltaR(), at);
    }
    assertEquals(e.slack(), c.slack(), what);
    assertTrue(c.logM() >= e.logM() - SVD_SLACK * e.steps(), what);
    assertTrue(c.submultiplicativeSlack() >= e.submultiplicativeSlack() - 1e-9, what);
  }

  @Test
  void everyGeneratorKeepsItsBoundsAndAgreesWithTheExactRoute() {
    int chains = 0;
    int[] dims = {6, 17, 40, 70};
    for (int seed = 0; seed < 8; seed++) {
      int d = dims[seed % dims.length];
      for (ChainGenerators.Noise noise : ChainGenerators.Noise.values()) {
        compare(ChainGenerators.nearIdentity(d, 4, 0.02 + 0.03 * seed, noise, seed), ChainMode.FACTORS,
            noise + " d = " + d);
        chains++;
      }
      compare(ChainGenerators.orbit(d, 4, 0.1 * seed, 0.3 + 0.05 * seed, false, seed), ChainMode.STATES, "orbit");
      compare(ChainGenerators.orbit(d, 4, 2.0 - 0.1 * seed, 0.5, true, seed), ChainMode.STATES, "orbit conj");
      compare(ChainGenerators.backtracking(d, 5, 0.2, 1.5, 0.6, 0.05, seed), ChainMode.STATES, "backtracking");
      compare(ChainsTest.randomStates(d, 3, seed), ChainMode.STATES, "random states d = " + d);
      chains += 4;
    }
    assertEquals(56, chains);
  }

  /** AUTO is exact below {@link ChainOptions#CERTIFIED_MIN_DIMENSION} and certified from it on. */
  @Test
  void autoSwitchesAtTheDocumentedDimension() {
    int big = ChainOptions.CERTIFIED_MIN_DIMENSION;
    assertFalse(ChainOptions.DEFAULTS.certifies(big - 1));
    assertTrue(ChainOptions.DEFAULTS.certifies(big));
    assertTrue(CERTIFIED.certifies(2));
    assertFalse(EXACT.certifies(4096));
    for (int d : new int[] {big - 1, big}) {
      List<DMatrix> f = ChainGenerators.nearIdentity(d, 2, 0.1, ChainGenerators.Noise.GAUSSIAN, d);
      ChainReport auto = Chains.analyze(f, null, ChainMode.FACTORS, ChainOptions.DEFAULTS);
      ChainReport want = Chains.analyze(f, null, ChainMode.FACTORS, d >= big ? CERTIFIED : EXACT);
      assertEquals(want.logM(), auto.logM(), 1e-12 * Math.max(1, Math.abs(want.logM())), "d = " + d);
    }
  }

  /**
   * The Lanczos budget follows the SVD route ({@link ChainOptions#lanczosCap}): a Gaussian interface (d = 100) needs
   * the whole Krylov space (100 iterations) to certify; within the Jacobi routes' budget it is certified (an upper
   * bound, above the exact amplitude), past the FAST route's (48) it falls back to its SVD and equals the exact
   * amplitude of that route.
   */
  @Test
  void theLanczosBudgetFollowsTheSvdRoute() {
    int d = 100;
    Random rnd = new Random(5);
    DMatrix g = DMatrix.zeros(d, d);
    for (int j = 0; j < d; j++) {
      for (int i = 0; i < d; i++) {
        g.set(i, j, rnd.nextGaussian());
      }
    }
    SingularValueBounds.Result alone = SingularValueBounds.certify(g, ChainOptions.AMPLITUDE_TOLERANCE);
    assertTrue(alone.certified(), alone.reason());
    List<DMatrix> f = List.of(ChainGenerators.nearIdentity(d, 1, 0.05, ChainGenerators.Noise.GAUSSIAN, 1).get(0), g);
    for (SvdOptions.Method route : SvdOptions.Method.values()) {
      ChainReport e = Chains.analyze(f, null, ChainMode.FACTORS, EXACT.withSvd(route));
      ChainReport c = Chains.analyze(f, null, ChainMode.FACTORS, CERTIFIED.withSvd(route));
      double exact = e.interfaces().get(1).amplitude();
      double got = c.interfaces().get(1).amplitude();
      String what = route + ": budget " + CERTIFIED.withSvd(route).lanczosCap(d) + ", needed "
          + alone.iterations() + ", exact " + exact + ", got " + got;
      if (CERTIFIED.withSvd(route).lanczosCap(d) >= alone.iterations()) {
        assertTrue(got > exact && got <= exact * (1 + ChainOptions.AMPLITUDE_TOLERANCE) + SVD_SLACK, what);
      } else {
        assertEquals(exact, got, 0, what);
      }
    }
    assertTrue(CERTIFIED.withSvd(SvdOptions.Method.FAST).lanczosCap(d) < alone.iterations());
    assertEquals(SingularValueBounds.MAX_ITERATIONS,
        CERTIFIED.withSvd(SvdOptions.Method.ACCURATE).lanczosCap(d));
  }

  /** An interface too ill-conditioned to certify falls back to its SVD: the result equals the exact route's. */
  @Test
  void illConditionedInterfacesFallBackToTheSvd() {
    int d = 12;
    DMatrix t = DMatrix.identity(d);
    for (int i = 0; i < d; i++) {
      t.set(i, i, Math.pow(10, -7.0 * i / (d - 1)));
    }
    List<DMatrix> f = List.of(ChainGenerators.nearIdentity(d, 1, 0.05, ChainGenerators.Noise.GAUSSIAN, 1).get(0), t);
    ChainReport e = Chains.analyze(f, null, ChainMode.FACTORS, EXACT);
    ChainReport c = Chains.analyze(f, null, ChainMode.FACTORS, CERTIFIED);
    assertEquals(e.interfaces().get(1).amplitude(), c.interfaces().get(1).amplitude(), 0);
    assertEquals(7 * Math.log(10), c.interfaces().get(1).amplitude(), 1e-12);
    assertTrue(c.interfaces().get(0).amplitude() >= e.interfaces().get(0).amplitude() - 1e-12);
  }
}
