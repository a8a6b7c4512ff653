package dev.cartan.kernels.simd;

import dev.cartan.kernels.DoubleKernels;
import dev.cartan.kernels.FloatKernels;
import dev.cartan.kernels.KernelProvider;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD provider on the Java Vector API. Loaded by name from {@link KernelProvider} after it checked that the
 * module {@code jdk.incubator.vector} is readable; do not reference this class from elsewhere.
 */
public final class PanamaProvider extends KernelProvider {
  private final VectorSpecies<Double> dSpecies;
  private final VectorSpecies<Float> fSpecies;
  private final boolean fma;
  private final DoubleKernels f64;
  private final FloatKernels f32;

  /** @param bits requested vector width (128, 256 or 512); capped by the hardware's preferred width */
  public PanamaProvider(int bits) {
    this.dSpecies = PanamaConstants.doubleSpecies(bits);
    this.fSpecies = PanamaConstants.floatSpecies(bits);
    this.fma = PanamaConstants.FMA;
    this.f64 = PanamaDoubleKernels.create(dSpecies, fma);
    this.f32 = PanamaFloatKernels.create(fSpecies, fma);
  }

  @Override
  public String name() {
    return "simd";
  }

  @Override
  public int vectorBits() {
    return dSpecies.vectorBitSize();
  }

  @Override
  public int doubleLanes() {
    return dSpecies.length();
  }

  @Override
  public int floatLanes() {
    return fSpecies.length();
  }

  @Override
  public boolean fma() {
    return fma;
  }

  @Override
  public String species() {
    return "DoubleVector" + dSpecies.vectorBitSize() + " (" + dSpecies.length() + " lanes), FloatVector"
        + fSpecies.vectorBitSize() + " (" + fSpecies.length() + " lanes)";
  }

  @Override
  public int vectorRegisters() {
    return PanamaConstants.VECTOR_REGISTERS;
  }

  @Override
  public DoubleKernels f64() {
    return f64;
  }

  @Override
  public FloatKernels f32() {
    return f32;
  }
}
