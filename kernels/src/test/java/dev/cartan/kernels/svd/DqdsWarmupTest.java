package dev.cartan.kernels.svd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.kernels.DMatrix;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link DqdsWarmup}: its bidiagonals take every branch of dqds that the JIT would otherwise compile as a trap
 * (the twelve dlasq4 shift cases, the flip, splits, two-value deflations, hidden convergence, the three retries),
 * it leaves later results bit for bit as they were, and refuses a negative round count. {@link Dqds.Stats#paths}
 * is checked to record nothing where nothing happens, so the coverage test cannot pass on an always-full mask.
 */
class DqdsWarmupTest {
  @Test
  void takesEveryShiftCaseAndRetry() {
    int[] paths = new int[1];
    assertTrue(Double.isFinite(DqdsWarmup.run(DqdsWarmup.ROUNDS, paths)));
    StringBuilder missing = new StringBuilder();
    for (int c = 1; c <= 12; c++) {
      if ((paths[0] & (1 << c)) == 0) {
        missing.append(" case ").append(c);
      }
    }
    String[] names = {"flipped", "hidden", "split", "pair", "retry late", "retry early", "retry zero"};
    int[] bits = {Dqds.FLIPPED, Dqds.HIDDEN, Dqds.SPLIT, Dqds.PAIR, Dqds.RETRY_LATE, Dqds.RETRY_EARLY,
        Dqds.RETRY_ZERO};
    for (int k = 0; k < bits.length; k++) {
      if ((paths[0] & bits[k]) == 0) {
        missing.append(' ').append(names[k]);
      }
    }
    assertEquals("", missing.toString(), "paths not taken by the warm-up");
  }

  @Test
  void pathsRecordOnlyWhatHappened() {
    // A diagonal splits into 1x1 segments before any step: no shift, no retry, nothing recorded.
    Dqds.Stats diag = Dqds.singularValues(4, new double[] {4, 3, 2, 1}, new double[] {0, 0, 0, 0}, new double[20]);
    assertEquals(0, diag.paths);
    // A 2x2 deflates as a pair, still without a step.
    Dqds.Stats two = Dqds.singularValues(2, new double[] {2, 1}, new double[] {0.5, 0}, new double[10]);
    assertEquals(Dqds.PAIR, two.paths);
    assertEquals(0, two.steps);
  }

  @Test
  void leavesResultsUnchanged() {
    Random rnd = new Random(11);
    double[] data = new double[90 * 60];
    for (int i = 0; i < data.length; i++) {
      data[i] = rnd.nextGaussian();
    }
    DMatrix a = DMatrix.wrap(data, 90, 60);
    double[] before = Svd.values(a);
    assertTrue(Double.isFinite(DqdsWarmup.run(300)));
    double[] after = Svd.values(a);
    // Bit for bit: the warm-up changes which JIT tier a later call meets, and the kernels give the same bits in
    // every tier (simd.Lanes).
    assertArrayEquals(before, after);
  }

  @Test
  void rejectsNegativeRounds() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DqdsWarmup.run(-1));
    assertTrue(e.getMessage().contains("rounds"), e.getMessage());
  }
}
