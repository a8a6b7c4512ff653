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
}
