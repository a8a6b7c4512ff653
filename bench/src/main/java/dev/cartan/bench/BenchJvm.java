package dev.cartan.bench;

/**
 * JVM options every benchmark fork gets, the same ones the {@code cartan} launcher passes.
 *
 * <p>{@link #TRAP_LIMIT}: C2 adds up, over every method it inlines into one compilation, the class-check traps
 * recorded in those methods' profiles, and above {@code PerMethodTrapLimit} (100) it stops speculating on receiver
 * types for the rest of that compilation. A GEMM micro-kernel inlines the Vector API's shared templates (the binary
 * {@code lanewiseTemplate}, {@code ImplCache.find}, {@code intoArray}) a few dozen times; when the standalone
 * compiled copies of those templates have trapped a few times during warm-up (it depends on timing), the sum passes
 * 100, the later stores of the kernel lose their exact vector class and fall back to the non-intrinsic Java path.
 * Fresh JVMs then split between a fast and a 1.2-1.5x slower float32 route (docs/design-notes.md, "float32 GEMM
 * and the half-width species"). A higher limit leaves the per-bytecode limit in force.
 */
final class BenchJvm {
  private BenchJvm() {}

  /** Makes the Vector API readable, so the SIMD kernels run. */
  static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";

  /** See the class comment. */
  static final String TRAP_LIMIT = "-XX:PerMethodTrapLimit=10000";
}
