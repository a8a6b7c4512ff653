package dev.cartan.kernels.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/** {@link LanesTest}'s vector side, apart so that the test class loads without the vector module. */
final class LanesProbe {
  private LanesProbe() {}

  /** 1, tiny, -1, tiny, repeated over the kernels' float64 species (tiny = 2^-60, below half an ulp of 1). */
  static double[] doublePattern() {
    double[] x = new double[PanamaConstants.DOUBLE_GEMM_SPECIES.length()];
    for (int i = 0; i < x.length; i++) {
      x[i] = i % 2 == 1 ? 0x1p-60 : i % 4 == 0 ? 1.0 : -1.0;
    }
    return x;
  }

  /** The float32 pattern (tiny = 2^-30) over the kernels' float32 species. */
  static float[] floatPattern() {
    float[] x = new float[PanamaConstants.FLOAT_GEMM_SPECIES.length()];
    for (int i = 0; i < x.length; i++) {
      x[i] = i % 2 == 1 ? 0x1p-30f : i % 4 == 0 ? 1f : -1f;
    }
    return x;
  }

  static double sumDouble(double[] lanes) {
    return Lanes.sum(DoubleVector.fromArray(PanamaConstants.DOUBLE_GEMM_SPECIES, lanes, 0));
  }

  static float sumFloat(float[] lanes) {
    return Lanes.sum(FloatVector.fromArray(PanamaConstants.FLOAT_GEMM_SPECIES, lanes, 0));
  }
}
