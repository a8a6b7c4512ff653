package dev.cartan.kernels.simd;

import dev.cartan.kernels.ScalarDoubleKernels;
import jdk.incubator.vector.VectorSpecies;

/** float64 primitives on the Vector API; every loop ends in the scalar twin's tail helper. */
final class PanamaDoubleKernels extends ScalarDoubleKernels {
  private final VectorSpecies<Double> species;
  private final boolean fma;

  PanamaDoubleKernels(VectorSpecies<Double> species, boolean fma) {
    this.species = species;
    this.fma = fma;
  }

  @Override
  public int gemmMr() {
    return PanamaDoubleGemm.MR;
  }

  @Override
  public int gemmNr() {
    return PanamaDoubleGemm.NR;
  }

  @Override
  public void gemmMicroKernel(int kc, double[] pa, int paOff, double[] pb, int pbOff, double[] c, int cOff, int ldc) {
    PanamaDoubleGemm.kernel(kc, pa, paOff, pb, pbOff, c, cOff, ldc);
  }
}
