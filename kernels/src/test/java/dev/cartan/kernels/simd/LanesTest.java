package dev.cartan.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Lanes}: the lane sums are left to right in every JIT tier. The inputs make the order visible (1, tiny,
 * -1, tiny, ...: left to right the first tiny is absorbed by 1 and the second survives, the halves-first order of
 * JDK 25's {@code reduceLanes} intrinsic keeps both), and the loop runs long enough for C2 to compile the sums, so a
 * tier-dependent order fails here. The vector code sits in {@link LanesProbe}, loaded only when the module is on.
 */
class LanesTest {
  @BeforeEach
  void needsTheVectorModule() {
    Assumptions.assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
        "jdk.incubator.vector is not in this run");
  }

  @Test
  void float64SumsAreLeftToRightInEveryTier() {
    double[] lanes = LanesProbe.doublePattern();
    double want = 0.0;
    for (double x : lanes) {
      want += x;
    }
    for (int i = 0; i < 200_000; i++) {
      assertEquals(want, LanesProbe.sumDouble(lanes), 0.0, "call " + i);
    }
  }

  @Test
  void float32SumsAreLeftToRightInEveryTier() {
    float[] lanes = LanesProbe.floatPattern();
    float want = 0f;
    for (float x : lanes) {
      want += x;
    }
    for (int i = 0; i < 200_000; i++) {
      assertEquals(want, LanesProbe.sumFloat(lanes), 0f, "call " + i);
    }
  }
}
