package dev.cartan.kernels.simd;

import dev.cartan.kernels.ScalarFloatKernels;
import jdk.incubator.vector.VectorSpecies;

/** float32 primitives on the Vector API; every loop ends in the scalar twin's tail helper. */
final class PanamaFloatKernels extends ScalarFloatKernels {
  private final VectorSpecies<Float> species;
  private final boolean fma;

  PanamaFloatKernels(VectorSpecies<Float> species, boolean fma) {
    this.species = species;
    this.fma = fma;
  }

  @Override
  public int gemmMr() {
    return PanamaFloatGemm.MR;
  }

  @Override
  public int gemmNr() {
    return PanamaFloatGemm.NR;
  }

  @Override
  public void gemmMicroKernel(int kc, float[] pa, int paOff, float[] pb, int pbOff, float[] c, int cOff, int ldc) {
    PanamaFloatGemm.kernel(kc, pa, paOff, pb, pbOff, c, cOff, ldc);
  }
}
