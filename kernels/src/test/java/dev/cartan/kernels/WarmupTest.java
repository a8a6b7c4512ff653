package dev.cartan.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.kernels.svd.Svd;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Warmup}: every provider and width runs the rounds without an exception (the index arithmetic of each
 * call stays inside its arrays) and with a finite checksum, the warm-up leaves later results bit for bit as they
 * were, and refuses a negative round count ({@code KernelsTest.libraryCodePrintsNothing} runs it too).
 */
class WarmupTest {
  @Test
  void everyProviderRunsTheRoundsF64() {
    for (DoubleKernels k : GemmTest.f64Providers()) {
      double sum = Warmup.f64(k, 40);
      assertTrue(Double.isFinite(sum), k.getClass().getSimpleName() + ": " + sum);
    }
  }

  @Test
  void everyProviderRunsTheRoundsF32() {
    for (FloatKernels k : GemmTest.f32Providers()) {
      double sum = Warmup.f32(k, 40);
      assertTrue(Double.isFinite(sum), k.getClass().getSimpleName() + ": " + sum);
    }
  }

  @Test
  void leavesResultsUnchanged() {
    Random rnd = new Random(5);
    double[] data = new double[70 * 40];
    for (int i = 0; i < data.length; i++) {
      data[i] = rnd.nextGaussian();
    }
    DMatrix a = DMatrix.wrap(data, 70, 40);
    double[] before = Svd.values(a);
    assertTrue(Double.isFinite(Warmup.primitives(30, true)));
    assertArrayEquals(before, Svd.values(a));
  }

  @Test
  void rejectsNegativeRounds() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Warmup.primitives(-1, false));
    assertTrue(e.getMessage().contains("rounds"), e.getMessage());
  }
}
