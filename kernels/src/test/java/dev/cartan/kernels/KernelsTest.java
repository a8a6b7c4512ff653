package dev.cartan.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The checked facade: argument validation with useful messages, finiteness checks, dispatch, and silence. */
class KernelsTest {

  static void assertRejected(String fragment, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' lacks '" + fragment + "'");
  }

  @Test
  void vectorArgumentsAreChecked() {
    double[] x = new double[10];
    double[] y = new double[10];
    assertRejected("length of x must be >= 0, got -1", () -> Kernels.dot(-1, x, 0, y, 0));
    assertRejected("x is null", () -> Kernels.dot(3, null, 0, y, 0));
    assertRejected("offset of y must be >= 0, got -2", () -> Kernels.axpy(3, 1.0, x, 0, y, -2));
    assertRejected("y needs 8 elements from offset 3 but has length 10", () -> Kernels.dot(8, x, 0, y, 3));
    assertRejected("x needs 11 elements", () -> Kernels.nrm2(11, x, 0));
    assertRejected("x needs", () -> Kernels.scal(2, 2.0, x, Integer.MAX_VALUE));
    assertRejected("out needs 3 elements, has 2", () -> Kernels.rotate(3, x, 0, y, 0, 1, 0, new double[2]));
    float[] f = new float[4];
    assertRejected("x needs 5 elements", () -> Kernels.amax(5, f, 0));
    assertRejected("out needs 3 elements, has null", () -> Kernels.rotate(1, f, 0, f, 1, 1f, 0f, null));
    // Empty ranges are fine, even at the end of the array.
    assertEquals(0.0, Kernels.dot(0, x, 10, y, 10));
  }

  @Test
  void matrixArgumentsAreChecked() {
    double[] a = new double[12];
    double[] x = new double[4];
    double[] y = new double[4];
    assertRejected("A must have non-negative dimensions, got -1 x 3",
        () -> Kernels.gemv(-1, 3, 1, a, 0, 4, x, 0, 0, y, 0));
    assertRejected("leading dimension of A must be >= max(1, rows = 4), got 3",
        () -> Kernels.gemv(4, 3, 1, a, 0, 3, x, 0, 0, y, 0));
    assertRejected("A (4 x 3, ld 4, offset 1) needs 13 elements but has length 12",
        () -> Kernels.gemv(4, 3, 1, a, 1, 4, x, 0, 0, y, 0));
    assertRejected("x needs 3 elements from offset 2",
        () -> Kernels.gemv(4, 3, 1, a, 0, 4, x, 2, 0, y, 0));
    assertRejected("y needs 3 elements from offset 2",
        () -> Kernels.gemvTransposed(4, 3, 1, a, 0, 4, x, 0, 0, y, 2));
    assertRejected("work needs at least 3 elements, has 2",
        () -> Kernels.applyHouseholderLeft(4, 3, x, 0, 1.5, a, 0, 4, new double[2]));
    assertRejected("work needs at least 4 elements, has 3",
        () -> Kernels.applyHouseholderRight(4, 3, x, 0, 1.5, a, 0, 4, new double[3]));
    assertRejected("v needs 5 elements",
        () -> Kernels.applyHouseholderLeft(5, 2, x, 0, 1.5, a, 0, 5, new double[2]));
    assertRejected("C is null", () -> Kernels.applyHouseholderRight(2, 2, x, 0, 1.5, (double[]) null, 0, 2, y));
    float[] fa = new float[12];
    float[] fx = new float[4];
    assertRejected("leading dimension of A must be >= max(1, rows = 0), got 0",
        () -> Kernels.gemv(0, 3, 1f, fa, 0, 0, fx, 0, 0f, fx, 0));
    // 0 x n and m x 0 blocks need no storage.
    Kernels.gemv(0, 3, 1.0, new double[0], 0, 1, x, 0, 0.0, y, 0);
    Kernels.gemvTransposed(4, 0, 1.0, new double[0], 0, 4, x, 0, 0.0, y, 0);
  }

  @Test
  void requireFiniteNamesTheArgumentAndTheIndex() {
    double[] x = {1, 2, Double.NaN, 4};
    assertRejected("weights[2] is NaN; finite values required", () -> Kernels.requireFinite("weights", x));
    x[2] = Double.POSITIVE_INFINITY;
    assertRejected("weights[2] is Infinity", () -> Kernels.requireFinite("weights", x));
    assertRejected("w is null", () -> Kernels.requireFinite("w", (double[]) null));
    assertSame(x, Kernels.requireFinite("weights", x, 0, 2));
    float[] f = {0f, -0f, Float.MAX_VALUE, Float.NEGATIVE_INFINITY};
    assertRejected("t[3] is -Infinity", () -> Kernels.requireFinite("t", f));
    assertSame(f, Kernels.requireFinite("t", f, 0, 3));
    assertRejected("t needs 5 elements", () -> Kernels.requireFinite("t", f, 0, 5));
  }

  @Test
  void facadeDispatchesToTheProviderInUse() {
    Random r = new Random(31);
    double[] x = new double[100];
    double[] y = new double[100];
    for (int i = 0; i < 100; i++) {
      x[i] = r.nextGaussian();
      y[i] = r.nextGaussian();
    }
    DoubleKernels k = KernelProvider.get().f64();
    // Same provider, same inputs: bit-identical.
    assertEquals(k.dot(97, x, 3, y, 2), Kernels.dot(97, x, 3, y, 2));
    assertEquals(k.nrm2(97, x, 3), Kernels.nrm2(97, x, 3));
    float[] f = new float[50];
    for (int i = 0; i < 50; i++) {
      f[i] = (float) r.nextGaussian();
    }
    assertEquals(KernelProvider.get().f32().sumSquares(50, f, 0), Kernels.sumSquares(50, f, 0));
  }

  /** Library code never prints: run every primitive (both precisions) with System.out/err captured. */
  @Test
  void libraryCodePrintsNothing() {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream sink = new PrintStream(captured, true, StandardCharsets.UTF_8);
    try {
      System.setOut(sink);
      System.setErr(sink);
      KernelProvider.get();
      KernelProvider.simd();
      KernelProvider.simd(128);
      Warmup.primitives(30, true);
      double[] a = new double[64 * 8];
      for (int i = 0; i < a.length; i++) {
        a[i] = Math.sin(i);
      }
      double[] v = a.clone();
      double[] out3 = new double[3];
      double[] w = new double[64];
      Kernels.dot(64, a, 0, v, 64);
      Kernels.axpy(64, 0.5, a, 0, v, 0);
      Kernels.scal(64, 0.5, v, 0);
      Kernels.amax(64, a, 0);
      Kernels.sumSquares(64, a, 0);
      Kernels.nrm2(64, a, 0);
      Kernels.rotate(64, v, 0, v, 64, 0.6, 0.8, out3);
      double tau = Kernels.householder(64, v, 0);
      Kernels.applyHouseholderLeft(64, 8, v, 0, tau, a, 0, 64, w);
      Kernels.applyHouseholderRight(8, 64, v, 0, tau, a, 0, 8, w);
      Kernels.gemv(64, 8, 1.0, a, 0, 64, v, 0, 0.0, w, 0);
      Kernels.gemvTransposed(64, 8, 1.0, a, 0, 64, v, 0, 1.0, w, 0);
      float[] fa = new float[64 * 8];
      for (int i = 0; i < fa.length; i++) {
        fa[i] = (float) Math.cos(i);
      }
      float[] fv = fa.clone();
      float[] fw = new float[64];
      Kernels.dot(64, fa, 0, fv, 64);
      Kernels.axpy(64, 0.5f, fa, 0, fv, 0);
      Kernels.scal(64, 0.5f, fv, 0);
      Kernels.amax(64, fa, 0);
      Kernels.sumSquares(64, fa, 0);
      Kernels.nrm2(64, fa, 0);
      Kernels.rotate(64, fv, 0, fv, 64, 0.6f, 0.8f, out3);
      float ftau = Kernels.householder(64, fv, 0);
      Kernels.applyHouseholderLeft(64, 8, fv, 0, ftau, fa, 0, 64, fw);
      Kernels.applyHouseholderRight(8, 64, fv, 0, ftau, fa, 0, 8, fw);
      Kernels.gemv(64, 8, 1f, fa, 0, 64, fv, 0, 0f, fw, 0);
      Kernels.gemvTransposed(64, 8, 1f, fa, 0, 64, fv, 0, 1f, fw, 0);
      try {
        Kernels.requireFinite("x", new double[] {Double.NaN});
      } catch (IllegalArgumentException expected) {
        // the exception is the report; nothing may be printed
      }
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    assertEquals("", captured.toString(StandardCharsets.UTF_8), "library code printed");
  }
}
