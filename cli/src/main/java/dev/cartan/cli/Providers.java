package dev.cartan.cli;

import dev.cartan.kernels.KernelProvider;

/** Loads the kernel provider and turns the library's failures into CLI errors with the right exit code. */
final class Providers {
  private Providers() {}

  /**
   * {@link KernelProvider#get()}.
   *
   * @throws CliException exit code {@link ExitCodes#INVALID_INPUT} if {@code -Dcartan.provider} or
   *     {@code -Dcartan.vectorBits} has an invalid value, {@link ExitCodes#UNEXPECTED_STATE} if the SIMD provider
   *     was forced but cannot load
   */
  static KernelProvider get() {
    try {
      return KernelProvider.get();
    } catch (ExceptionInInitializerError e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      int code = cause instanceof IllegalArgumentException ? ExitCodes.INVALID_INPUT : ExitCodes.UNEXPECTED_STATE;
      throw new CliException(code, "cannot load the kernel provider: " + cause.getMessage(), e);
    } catch (NoClassDefFoundError e) {
      // A second call after the holder's initializer failed: the JVM remembers the failure, not its reason.
      throw new CliException(ExitCodes.UNEXPECTED_STATE, "the kernel provider failed to load earlier: " + e, e);
    }
  }
}
