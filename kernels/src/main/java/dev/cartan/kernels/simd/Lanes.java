package dev.cartan.kernels.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * Sums of a vector's lanes in lane order, the same in every JIT tier. {@code reduceLanes(VectorOperators.ADD)}
 * leaves the order of a floating-point sum to the implementation: JDK 25's C2 intrinsic adds the halves first while
 * the interpreter and C1 go lane by lane, so the same call on the same data gave different last bits before and after
 * its caller was compiled, and an SVD repeated in one JVM did not reproduce its first result (JDK 17's intrinsic goes
 * lane by lane, as these sums do, so its results are unchanged). docs/design-notes.md, "Lane sums in a fixed order".
 */
final class Lanes {
  private Lanes() {}

  /** {@code v[0] + v[1] + ... + v[len - 1]}, left to right. */
  static double sum(DoubleVector v) {
    double s = v.lane(0);
    for (int i = 1; i < v.length(); i++) {
      s += v.lane(i);
    }
    return s;
  }

  /** {@code v[0] + v[1] + ... + v[len - 1]}, left to right, in float32. */
  static float sum(FloatVector v) {
    float s = v.lane(0);
    for (int i = 1; i < v.length(); i++) {
      s += v.lane(i);
    }
    return s;
  }
}
