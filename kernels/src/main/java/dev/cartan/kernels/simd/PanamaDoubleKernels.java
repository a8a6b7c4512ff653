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
}
