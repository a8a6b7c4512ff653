package dev.cartan.kernels.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** The only place holding static Vector API state: species chosen once per requested width. */
final class PanamaConstants {
  private PanamaConstants() {}

  /** The hardware's preferred vector size in bits (e.g. 512 on AVX-512). */
  static final int PREFERRED_BITS = VectorShape.preferredShape().vectorBitSize();

  /**
   * Whether the loops use {@code fma}: a static constant so the JIT folds the choice away inside the loops (an
   * instance field would leave a test in every iteration).
   */
  static final boolean FMA = hardwareFma();

  // Constant species, one per width. The Vector API compiles to vector instructions only when the species is a
  // JIT-time constant: the same dot product with the species read from an instance field ran 40x slower (3000 ns
  // vs 70 ns for n = 1024 on this AVX-512 machine, see docs/design-notes.md). Each width therefore has its own
  // kernel subclass whose species() returns one of these.
  static final VectorSpecies<Double> D128 = DoubleVector.SPECIES_128;
  static final VectorSpecies<Double> D256 = DoubleVector.SPECIES_256;
  static final VectorSpecies<Double> D512 = DoubleVector.SPECIES_512;
  static final VectorSpecies<Float> F128 = FloatVector.SPECIES_128;
  static final VectorSpecies<Float> F256 = FloatVector.SPECIES_256;
  static final VectorSpecies<Float> F512 = FloatVector.SPECIES_512;

  /** Species of {@code min(bits, preferred)} bits for float64. */
  static VectorSpecies<Double> doubleSpecies(int bits) {
    return DoubleVector.SPECIES_PREFERRED.withShape(shape(bits)).check(double.class);
  }

  /** Species of {@code min(bits, preferred)} bits for float32. */
  static VectorSpecies<Float> floatSpecies(int bits) {
    return FloatVector.SPECIES_PREFERRED.withShape(shape(bits)).check(float.class);
  }

  private static VectorShape shape(int bits) {
    int b = Math.min(bits, PREFERRED_BITS);
    return VectorShape.forBitSize(b);
  }

  /**
   * Whether the JIT turns {@code Vector.fma} into one instruction. The Vector API does not say; x86-64 and AArch64
   * CPUs that have 256/512-bit vectors have FMA (x86: FMA3 arrived with AVX2, before AVX-512), so a preferred
   * size of at least 256 bits on x86-64, or any AArch64, implies it.
   */
  static boolean hardwareFma() {
    String arch = System.getProperty("os.arch", "");
    if (arch.equals("aarch64")) {
      return true;
    }
    return (arch.equals("amd64") || arch.equals("x86_64")) && PREFERRED_BITS >= 256;
  }

  /**
   * Species of the GEMM micro-kernels: the preferred one, as a constant. The kernels need a compile-time constant
   * species (see PanamaDoubleGemm), so they do not follow {@code cartan.vectorBits}.
   */
  static final VectorSpecies<Double> DOUBLE_GEMM_SPECIES = DoubleVector.SPECIES_PREFERRED;

  /** float32 twin of {@link #DOUBLE_GEMM_SPECIES}. */
  static final VectorSpecies<Float> FLOAT_GEMM_SPECIES = FloatVector.SPECIES_PREFERRED;

  /**
   * Vector registers the GEMM micro-tiles may fill: 32 on AArch64 and on x86-64 with 512-bit vectors (AVX-512),
   * 16 on x86-64 below that (AVX2, SSE). The 24-accumulator tiles spill on 16 registers: on an AVX2 core (Zen 3)
   * the float64 GEMM ran at 28 % of the FMA peak with them (docs/design-notes.md, "GEMM tiles for 16 registers").
   */
  static final int VECTOR_REGISTERS = vectorRegisters();

  /**
   * Columns of the 16-register GEMM tiles ({@link dev.cartan.kernels.KernelProvider#gemmColumns()}: 5 or 6), read
   * once so the kernels' dispatch is a constant.
   */
  static final int NARROW_FILE_COLUMNS = dev.cartan.kernels.KernelProvider.gemmColumns();

  /**
   * Whether the five-column tile reads B's columns in place from one base per column ({@code base_j + p}, which C2
   * can check once outside the loop) rather than at {@code pbOff + p rs + j cs} (checked every step). JDK 25 runs it
   * at 44.6 against 35.8 GF/s; JDK 17 schedules the hoisted form into spills and runs it at 18.2 against 36.5
   * (docs/design-notes.md, "Column streams of the five-column tile"), so only JDKs from 25 on take it.
   */
  static final boolean COLUMN_BASES = Runtime.version().feature() >= 25;

  private static int vectorRegisters() {
    String arch = System.getProperty("os.arch", "");
    return arch.equals("aarch64") || PREFERRED_BITS >= 512 ? 32 : 16;
  }
}
