package dev.cartan.kernels;

import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The source of Cartan's primitives: a scalar implementation that runs everywhere, and a SIMD implementation on
 * the Java Vector API ({@code jdk.incubator.vector}) used whenever the JVM has that module.
 *
 * <p>The provider is chosen once, on first use of {@link #get()}: the SIMD provider if the module
 * {@code jdk.incubator.vector} is in the boot layer (run with {@code --add-modules jdk.incubator.vector}), else the
 * scalar one, with one WARNING naming that flag. Two system properties override the choice, for A/B runs and
 * tests:
 *
 * <ul>
 *   <li>{@code -Dcartan.provider=scalar|simd} forces a provider ({@code simd} fails if the module is missing);
 *   <li>{@code -Dcartan.vectorBits=128|256|512} makes the SIMD provider use narrower vectors than the
 *       hardware's preferred size;
 *   <li>{@code -Dcartan.gemmColumns=5|6} sets the columns of the GEMM micro-tile where the CPU has 16 vector
 *       registers (default: 6 on JDK 17, 5 on later JDKs, whose JIT spills the 6-column tile; results do not
 *       depend on it).
 * </ul>
 *
 * <p>The SIMD implementation lives in {@code dev.cartan.kernels.simd}, the only package that imports the Vector
 * API; it is loaded by name, so this class and everything else load on a JVM without the module.
 */
public abstract class KernelProvider {
  /** System property that forces a provider: {@code scalar} or {@code simd}. */
  public static final String PROVIDER_PROPERTY = "cartan.provider";

  /** System property that narrows the SIMD vector size: {@code 128}, {@code 256} or {@code 512}. */
  public static final String VECTOR_BITS_PROPERTY = "cartan.vectorBits";

  /**
   * System property that sets the columns of the 16-register GEMM micro-tile: {@code 5} or {@code 6} (see
   * {@link #gemmColumns()}).
   */
  public static final String GEMM_COLUMNS_PROPERTY = "cartan.gemmColumns";

  /** The flag a user adds to enable the SIMD provider. */
  public static final String MODULE_HINT =
      "Cartan runs its scalar kernels: add --add-modules jdk.incubator.vector to the java command for SIMD";

  static final String SIMD_CLASS = "dev.cartan.kernels.simd.PanamaProvider";
  private static final Logger LOG = Logger.getLogger(KernelProvider.class.getName());

  protected KernelProvider() {}

  /** The provider chosen for this JVM (see the class documentation). */
  public static KernelProvider get() {
    return Holder.INSTANCE;
  }

  /** The scalar provider, always available. */
  public static KernelProvider scalar() {
    return ScalarProvider.INSTANCE;
  }

  /**
   * The SIMD provider, if the Vector API module is readable; honours {@code cartan.vectorBits}. Used by tests and
   * benchmarks that compare both providers in one JVM.
   */
  public static Optional<KernelProvider> simd() {
    return Optional.ofNullable(SimdHolder.INSTANCE);
  }

  /**
   * A SIMD provider with vectors of at most {@code bits} bits (128, 256 or 512), if the Vector API module is
   * readable; the hardware's preferred size caps the result.
   */
  public static Optional<KernelProvider> simd(int bits) {
    if (!vectorModuleReadable()) {
      return Optional.empty();
    }
    return Optional.of(loadSimd(bits));
  }

  /** True if the module {@code jdk.incubator.vector} is in the boot layer and readable from this class. */
  public static boolean vectorModuleReadable() {
    Optional<Module> module = ModuleLayer.boot().findModule("jdk.incubator.vector");
    return module.isPresent() && KernelProvider.class.getModule().canRead(module.get());
  }

  /** {@code "scalar"} or {@code "simd"}. */
  public abstract String name();

  /** Width of the float64/float32 vectors in bits (64 for the scalar provider: one lane of float64). */
  public abstract int vectorBits();

  /** Lanes of a float64 vector (1 for scalar). */
  public abstract int doubleLanes();

  /** Lanes of a float32 vector (1 for scalar). */
  public abstract int floatLanes();

  /**
   * True if the kernels use fused multiply-add. The SIMD provider uses it when the CPU has it in hardware; the
   * scalar provider does not (its loops are plain multiply and add).
   */
  public abstract boolean fma();

  /** Human-readable species description, e.g. {@code "DoubleVector512 (8 lanes), FloatVector512 (16 lanes)"}. */
  public abstract String species();

  /**
   * Vector registers the SIMD kernels are tuned for: 32 (x86-64 with AVX-512, AArch64) or 16 (x86-64 below AVX-512);
   * 0 for the scalar provider. Blocking choices that depend on it: docs/design-notes.md, "GEMM tiles for 16
   * registers" and "Bandwidth on 16 registers".
   */
  public int vectorRegisters() {
    return 0;
  }

  /** The float64 primitives. */
  public abstract DoubleKernels f64();

  /** The float32 primitives. */
  public abstract FloatKernels f32();

  @Override
  public String toString() {
    return name() + " [" + species() + ", fma=" + fma() + "]";
  }

  private static int requestedBits() {
    String bits = System.getProperty(VECTOR_BITS_PROPERTY);
    if (bits == null || bits.isBlank()) {
      return 512;
    }
    switch (bits.trim()) {
      case "128":
        return 128;
      case "256":
        return 256;
      case "512":
        return 512;
      default:
        throw new IllegalArgumentException(
            VECTOR_BITS_PROPERTY + " must be 128, 256 or 512, not '" + bits + "'");
    }
  }

  /**
   * Columns of the SIMD GEMM micro-tile on a CPU with 16 vector registers (x86-64 below AVX-512): the value of
   * {@link #GEMM_COLUMNS_PROPERTY}, else 6 on JDK 17 and 5 on later JDKs. Twelve accumulators (mr x 6) fill 15 of
   * the 16 registers; JDK 25's C2 schedules four broadcasts of B ahead of their FMAs and spills two accumulators,
   * which halves the kernel's rate, while mr x 5 leaves room (docs/design-notes.md, "GEMM tiles and the JDK's
   * scheduler"). Every element of C takes the same FMAs in the same order with either tile.
   *
   * @throws IllegalArgumentException if the property is set to anything but 5 or 6
   */
  public static int gemmColumns() {
    String v = System.getProperty(GEMM_COLUMNS_PROPERTY);
    if (v == null || v.isBlank()) {
      return Runtime.version().feature() <= 17 ? 6 : 5;
    }
    switch (v.trim()) {
      case "5":
        return 5;
      case "6":
        return 6;
      default:
        throw new IllegalArgumentException(GEMM_COLUMNS_PROPERTY + " must be 5 or 6, not '" + v + "'");
    }
  }

  private static KernelProvider loadSimd(int bits) {
    // Validates cartan.gemmColumns here, with its message, rather than in the SIMD classes' initializers.
    gemmColumns();
    try {
      Class<?> cls = Class.forName(SIMD_CLASS);
      return (KernelProvider) cls.getDeclaredConstructor(int.class).newInstance(bits);
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalStateException("cannot load the SIMD provider " + SIMD_CLASS + ": " + e, e);
    }
  }

  private static final class SimdHolder {
    static final KernelProvider INSTANCE = vectorModuleReadable() ? loadSimd(requestedBits()) : null;
  }

  private static final class Holder {
    static final KernelProvider INSTANCE = lookup();

    private static KernelProvider lookup() {
      String forced = System.getProperty(PROVIDER_PROPERTY);
      String choice = forced == null ? "" : forced.trim().toLowerCase(Locale.ROOT);
      switch (choice) {
        case "scalar":
          LOG.info("Cartan kernels: scalar provider forced by -D" + PROVIDER_PROPERTY + "=scalar");
          return ScalarProvider.INSTANCE;
        case "simd":
          if (!vectorModuleReadable()) {
            throw new IllegalStateException(
                "-D" + PROVIDER_PROPERTY + "=simd needs --add-modules jdk.incubator.vector");
          }
          return logged(SimdHolder.INSTANCE);
        case "":
          if (!vectorModuleReadable()) {
            LOG.warning(MODULE_HINT);
            return ScalarProvider.INSTANCE;
          }
          return logged(SimdHolder.INSTANCE);
        default:
          throw new IllegalArgumentException(
              PROVIDER_PROPERTY + " must be 'scalar' or 'simd', not '" + forced + "'");
      }
    }

    private static KernelProvider logged(KernelProvider p) {
      if (LOG.isLoggable(Level.INFO)) {
        LOG.info("Cartan kernels: SIMD provider, " + p.species() + ", FMA " + (p.fma() ? "used" : "not used"));
      }
      return p;
    }
  }
}
