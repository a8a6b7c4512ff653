package dev.cartan.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Fails the SIMD surefire run if the SIMD provider silently did not load, and the scalar run if it did. The build
 * sets {@code cartan.test.expectSimd}; a plain IDE run (property unset) checks only consistency.
 */
class ProviderGuardTest {

  @Test
  void providerMatchesTheRunItBelongsTo() {
    String expect = System.getProperty("cartan.test.expectSimd");
    KernelProvider p = KernelProvider.get();
    if ("true".equals(expect)) {
      assertTrue(KernelProvider.vectorModuleReadable(), "SIMD run without jdk.incubator.vector");
      assertEquals("simd", p.name(), "SIMD run fell back to " + p);
      assertTrue(p.doubleLanes() >= 2, "SIMD provider with " + p.doubleLanes() + " float64 lanes");
    } else if ("false".equals(expect)) {
      assertEquals("scalar", p.name());
      assertTrue(KernelProvider.simd().isEmpty());
    } else {
      assertEquals(KernelProvider.vectorModuleReadable() ? "simd" : "scalar", p.name());
    }
  }

  @Test
  void scalarProviderIsAlwaysAvailable() {
    KernelProvider s = KernelProvider.scalar();
    assertEquals("scalar", s.name());
    assertEquals(1, s.doubleLanes());
  }
}
