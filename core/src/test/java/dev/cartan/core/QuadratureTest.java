package dev.cartan.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Adaptive Gauss-Kronrod quadrature against integrals known in closed form, its cap and its domain checks. */
class QuadratureTest {

  @Test
  void knownIntegrals() {
    Quadrature.Result sin = Quadrature.integrate(Math::sin, 0, Math.PI);
    assertTrue(sin.converged());
    assertEquals(2, sin.value(), 1e-13);
    // polynomial of degree 22 is beyond K15 on one interval: adaptivity must kick in
    Quadrature.Result poly = Quadrature.integrate(x -> Math.pow(x, 22), 0, 1);
    assertEquals(1.0 / 23, poly.value(), 1e-12);
    // endpoint singularity of the derivative
    Quadrature.Result root = Quadrature.integrate(Math::sqrt, 0, 1);
    assertTrue(root.converged());
    assertEquals(2.0 / 3, root.value(), 1e-10);
    // reversed bounds give the negative; equal bounds give 0
    assertEquals(-2, Quadrature.integrate(Math::sin, Math.PI, 0).value(), 1e-13);
    assertEquals(0, Quadrature.integrate(Math::sin, 1, 1).value());
    // a sharp peak: integral of 1/(1e-4 + x^2) over [-1, 1] = 2 atan(1/0.01)/0.01
    Quadrature.Result peak = Quadrature.integrate(x -> 1 / (1e-4 + x * x), -1, 1);
    assertEquals(2 * Math.atan(100) / 0.01, peak.value(), 1e-10 * peak.value());
  }

  @Test
  void capIsReportedNotThrown() {
    Quadrature.Result r = Quadrature.integrate(x -> Math.sin(1 / (x + 1e-6)), 0, 1, 1e-14, 0, 3);
    assertFalse(r.converged());
    assertTrue(Double.isFinite(r.value()));
  }

  @Test
  void domainErrors() {
    assertThrows(IllegalArgumentException.class, () -> Quadrature.integrate(null, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> Quadrature.integrate(Math::sin, 0, Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> Quadrature.integrate(Math::sin, 0, 1, -1, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> Quadrature.integrate(Math::sin, 0, 1, 1e-10, 0, 0));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Quadrature.integrate(x -> 1 / x, -1, 1));
    assertTrue(e.getMessage().contains("integrand"));
  }
}
