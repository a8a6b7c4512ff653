package dev.cartan.kernels.svd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.KernelProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Contract checks for {@link BidiagonalSvd} (self-contained; the shared SvdChecks class lives on another branch),
 * the bidiagonal solvers alone against an independent bisection reference, and the shared fixtures.
 *
 * <p>Expected values come from constructions with known spectra ({@code Q1 diag(s) Q2^T} with Householder-product
 * orthogonal factors), from mathematics (zero, identity, 1x1), from bisection on the Golub-Kahan tridiagonal
 * (Demmel-Kahan: Sturm counts on it are relatively accurate), or from the fixtures' high-precision references.
 */
class BidiagonalSvdTest {
  private static final double EPS = Math.ulp(1.0);
  static final Path FIXTURES = Path.of("/work/shared/fixtures/matrices");

  // ---------------------------------------------------------------- input validation

  /** The right-vectors-only entry point (JacobiSvd's preconditioner) returns compute's values and V. */
  @Test
  void valuesAndRightMatchCompute() {
    Random rnd = new Random(91);
    for (int[] shape : new int[][] {{40, 40}, {90, 31}, {200, 30}}) {
      DMatrix a = DMatrix.zeros(shape[0], shape[1]);
      for (int j = 0; j < shape[1]; j++) {
        for (int i = 0; i < shape[0]; i++) {
          a.set(i, j, rnd.nextGaussian());
        }
      }
      BidiagonalSvd svd = new BidiagonalSvd();
      SvdResult full = svd.compute(a, false);
      SvdResult right = svd.valuesAndRight(a);
      assertNull(right.u());
      // the same computation up to the last bits (the SIMD kernels' lane order may change as the JIT compiles them)
      assertArrayEquals(full.values(), right.values(), 1e-13 * full.values()[0]);
      assertArrayEquals(full.v().data(), right.v().data(), 1e-10);
    }
    assertThrows(IllegalArgumentException.class, () -> new BidiagonalSvd().valuesAndRight(DMatrix.zeros(3, 5)));
  }

  @Test
  void rejectsNullEmptyAndNonFinite() {
    assertThrows(IllegalArgumentException.class, () -> BidiagonalSvd.values((DMatrix) null));
    for (int[] s : new int[][] {{0, 0}, {0, 3}, {3, 0}}) {
      IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
          () -> BidiagonalSvd.values(DMatrix.zeros(s[0], s[1])));
      assertTrue(ex.getMessage().contains("empty"), ex.getMessage());
      assertThrows(IllegalArgumentException.class, () -> BidiagonalSvd.decompose(DMatrix.zeros(s[0], s[1]), false));
      assertThrows(IllegalArgumentException.class, () -> BidiagonalSvd.values(FMatrix.zeros(s[0], s[1])));
    }
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      DMatrix a = random(4, 3, 1);
      a.set(2, 1, bad);
      IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> BidiagonalSvd.values(a));
      assertTrue(ex.getMessage().contains("non-finite"), ex.getMessage());
      assertThrows(IllegalArgumentException.class, () -> BidiagonalSvd.decompose(a, true));
    }
  }

  // ---------------------------------------------------------------- small and special matrices

  @Test
  void oneByOne() {
    SvdResult r = BidiagonalSvd.decompose(DMatrix.fromRows(new double[][] {{-3.5}}), false);
    assertArrayEquals(new double[] {3.5}, r.values(), 0.0);
    assertEquals(-3.5, r.u().get(0, 0) * 3.5 * r.v().get(0, 0), 0.0);
    assertEquals("bidiagonal", r.method());
    assertArrayEquals(new double[] {3.5}, BidiagonalSvd.values(DMatrix.fromRows(new double[][] {{3.5}})).values(),
        0.0);
  }

  @Test
  void everyShapeUpToNine() {
    for (int m = 1; m <= 9; m++) {
      for (int n = 1; n <= 9; n++) {
        double[] s = spectrum(Math.min(m, n), 10 * m + n);
        DMatrix a = withSpectrum(m, n, s, 100 + 10 * m + n);
        checkAll(a, s, "shape " + m + "x" + n);
      }
    }
  }

  @Test
  void zeroAndIdentity() {
    for (int[] sh : new int[][] {{1, 1}, {5, 5}, {7, 3}, {3, 7}, {40, 40}}) {
      double[] zeros = new double[Math.min(sh[0], sh[1])];
      checkAll(DMatrix.zeros(sh[0], sh[1]), zeros, "zero " + sh[0] + "x" + sh[1]);
      DMatrix id = DMatrix.zeros(sh[0], sh[1]);
      for (int i = 0; i < zeros.length; i++) {
        id.set(i, i, 1.0);
      }
      double[] ones = new double[zeros.length];
      java.util.Arrays.fill(ones, 1.0);
      checkAll(id, ones, "identity " + sh[0] + "x" + sh[1]);
    }
  }

  @Test
  void tinyAndHugeScale() {
    for (double scale : new double[] {0x1p-997, 1e-300, 1e300, 0x1p1000}) {
      for (int[] sh : new int[][] {{6, 6}, {9, 4}, {4, 9}, {60, 45}}) {
        double[] s = spectrum(Math.min(sh[0], sh[1]), sh[0]);
        DMatrix a = withSpectrum(sh[0], sh[1], s, 7);
        DMatrix scaled = a.copy();
        for (int j = 0; j < sh[1]; j++) {
          for (int i = 0; i < sh[0]; i++) {
            scaled.set(i, j, a.get(i, j) * scale);
          }
        }
        double[] expect = new double[s.length];
        for (int i = 0; i < s.length; i++) {
          expect[i] = s[i] * scale;
        }
        checkAll(scaled, expect, "scale " + scale + " " + sh[0] + "x" + sh[1]);
      }
    }
  }

  /**
   * The scaling's largest magnitude is taken over the whole input in {@link TwoStageValues#AMAX_CHUNK}-long calls:
   * the maximum is found wherever it lies (first element, both sides of a chunk boundary, the last element, a
   * negative entry), in both precisions and with every provider.
   */
  @Test
  void chunkedAmaxSeesEveryElement() {
    int c = TwoStageValues.AMAX_CHUNK;
    int n = 3 * c + 5;
    java.util.List<KernelProvider> providers = new java.util.ArrayList<>();
    providers.add(KernelProvider.scalar());
    KernelProvider.simd().ifPresent(providers::add);
    for (KernelProvider p : providers) {
      for (int at : new int[] {0, c - 1, c, 2 * c + 7, n - 1}) {
        double[] x = new double[n];
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
          x[i] = Math.sin(i);
          f[i] = (float) x[i];
        }
        x[at] = -3.5;
        f[at] = -3.5f;
        assertEquals(3.5, TwoStageValues.amax(p.f64(), n, x), 0.0, p + " at " + at);
        assertEquals(3.5f, TwoStageValues.amax(p.f32(), n, f), 0f, p + " at " + at);
      }
    }
  }

  /**
   * The default instances' band: 16 on 16-register SIMD kernels up to order 1024, 32 above it, on 32-register
   * kernels and on the scalar provider; an explicit band is kept; a negative one other than AUTO_BAND is refused.
   */
  @Test
  void bandFollowsTheRegisterFileAndTheOrder() {
    assertEquals(16, TwoStageValues.autoBand(16, 2));
    assertEquals(16, TwoStageValues.autoBand(16, 768));
    assertEquals(16, TwoStageValues.autoBand(16, 1024));
    assertEquals(32, TwoStageValues.autoBand(16, 1025));
    assertEquals(32, TwoStageValues.autoBand(32, 768));
    assertEquals(32, TwoStageValues.autoBand(0, 768));
    KernelProvider scalar = KernelProvider.scalar();
    assertEquals(0, scalar.vectorRegisters());
    assertEquals(32, new TwoStageValues(scalar, BidiagonalSvd.AUTO_BAND, 11).bandFor(768));
    assertEquals(24, new TwoStageValues(scalar, 24, 11).bandFor(768));
    KernelProvider.simd().ifPresent(p -> {
      assertTrue(p.vectorRegisters() == 16 || p.vectorRegisters() == 32, p.toString());
      assertEquals(p.vectorRegisters() == 16 ? 16 : 32, new TwoStageValues(p, BidiagonalSvd.AUTO_BAND, 11).bandFor(512));
      assertEquals(32, new TwoStageValues(p, BidiagonalSvd.AUTO_BAND, 11).bandFor(2048));
    });
    assertTrue(new BidiagonalSvd().toString().contains("band=auto"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BidiagonalSvd(scalar, 32, 128, 11, -2));
    assertTrue(e.getMessage().contains("band=-2"), e.getMessage());
  }

  @Test
  void gradedRankDeficientAndRepeated() {
    int n = 30;
    // Graded spectrum over 12 decades.
    double[] g = new double[n];
    for (int i = 0; i < n; i++) {
      g[i] = Math.pow(10.0, -12.0 * i / (n - 1));
    }
    checkAll(withSpectrum(45, n, g, 3), g, "graded spectrum");
    // Graded columns: values unknown in closed form; the structural checks still apply.
    DMatrix gc = random(40, n, 4);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < 40; i++) {
        gc.set(i, j, gc.get(i, j) * Math.pow(10.0, -j / 3.0));
      }
    }
    checkAll(gc, null, "graded columns");
    // Rank deficient: rank 5 of 30, exact zeros.
    double[] rd = new double[n];
    for (int i = 0; i < 5; i++) {
      rd[i] = 5 - i;
    }
    checkAll(withSpectrum(n, n, rd, 5), rd, "rank 5");
    checkAll(withSpectrum(n, 50, rd, 6), rd, "rank 5 wide");
    // Repeated values.
    double[] rep = new double[n];
    for (int i = 0; i < n; i++) {
      rep[i] = i < 10 ? 2.0 : (i < 20 ? 1.0 : 1e-4);
    }
    checkAll(withSpectrum(n, n, rep, 8), rep, "repeated");
  }

  @Test
  void blockedTallAndWide() {
    // Sizes above the default crossover take the GEMM path; a small panel exercises many panels cheaply.
    double[] s1 = spectrum(150, 1);
    checkAll(withSpectrum(190, 150, s1, 11), s1, "blocked 190x150");
    double[] s2 = spectrum(140, 2);
    checkAll(withSpectrum(140, 170, s2, 12), s2, "blocked wide 140x170");
    double[] s3 = spectrum(135, 3);
    checkAll(withSpectrum(300, 135, s3, 14), s3, "QR first, then blocked 300x135");
    BidiagonalSvd smallPanel = new BidiagonalSvd(KernelProvider.get(), 5, 7, BidiagonalSvd.DEFAULT_QR_RATIO_SIXTHS);
    BidiagonalSvd noQr = new BidiagonalSvd(KernelProvider.get(), 5, 7, Integer.MAX_VALUE);
    BidiagonalSvd alwaysQr = new BidiagonalSvd(KernelProvider.get(), 5, 7, 6);
    for (int[] sh : new int[][] {{33, 33}, {64, 17}, {17, 64}, {50, 49}, {9, 2}, {80, 20}}) {
      double[] s = spectrum(Math.min(sh[0], sh[1]), sh[0] + sh[1]);
      DMatrix a = withSpectrum(sh[0], sh[1], s, 13);
      for (BidiagonalSvd svd : new BidiagonalSvd[] {smallPanel, noQr, alwaysQr}) {
        String what = sh[0] + "x" + sh[1] + " " + svd;
        checkResult(a, svd.compute(a, false), s, false, "thin " + what);
        checkResult(a, svd.compute(a, true), s, true, "full " + what);
        checkResult(a, svd.computeValues(a), s, false, "values " + what);
      }
    }
  }

  @Test
  void workspaceReuseAndInputUntouched() {
    BidiagonalSvd svd = new BidiagonalSvd();
    DMatrix big = random(60, 50, 21);
    DMatrix small = random(7, 9, 22);
    DMatrix bigCopy = big.copy();
    SvdResult first = svd.compute(big, false);
    svd.compute(small, true);
    svd.computeValues(random(3, 2, 23));
    SvdResult again = svd.compute(big, false);
    assertArrayEquals(first.values(), again.values(), 0.0);
    assertArrayEquals(first.u().data(), again.u().data(), 0.0);
    assertArrayEquals(bigCopy.data(), big.data(), 0.0, "input modified");
    SvdResult fresh = new BidiagonalSvd().compute(small, true);
    assertArrayEquals(fresh.values(), svd.compute(small, true).values(), 0.0);
  }

  /**
   * The facade keeps one instance per thread up to {@link BidiagonalSvd#KEPT_WORKSPACE_LIMIT} elements and a fresh
   * one above it; a kept workspace that held a larger matrix gives the fresh instance's values.
   */
  @Test
  void facadeKeepsAWorkspacePerThreadUpToTheLimit() throws Exception {
    int side = 1 << 11;
    BidiagonalSvd kept = BidiagonalSvd.forInput(3, 2);
    assertSame(kept, BidiagonalSvd.forInput(side, side), "2^22 elements are kept");
    assertNotSame(kept, BidiagonalSvd.forInput(side + 1, side), "above the limit");
    assertNotSame(BidiagonalSvd.forInput(side, side + 1), BidiagonalSvd.forInput(side, side + 1));
    BidiagonalSvd[] other = new BidiagonalSvd[1];
    Thread t = new Thread(() -> other[0] = BidiagonalSvd.forInput(3, 2));
    t.start();
    t.join();
    assertNotSame(kept, other[0], "one instance per thread");
    SvdOptions fast = SvdOptions.valuesOnly().withMethod(SvdOptions.Method.FAST);
    DMatrix small = random(40, 90, 31);
    Svd.decompose(random(300, 200, 32), fast); // leaves a larger matrix's values in the kept workspace
    double[] want = new BidiagonalSvd().computeValues(small).values();
    // Not bit for bit: a JIT-compiled SIMD reduction may add lanes in another order between two calls.
    assertArrayEquals(want, Svd.decompose(small, fast).values(), 1e-13 * want[0]);
  }

  @Test
  void blockedBackTransformationMatchesOneReflectorAtATime() {
    dev.cartan.kernels.DoubleKernels k = KernelProvider.get().f64();
    for (int[] s : new int[][] {{40, 33}, {150, 150}, {300, 200}, {257, 131}}) {
      int m = s[0];
      int n = s[1];
      double[] a = random(m, n, m + n).data().clone();
      double[] d = new double[n];
      double[] e = new double[n];
      double[] tq = new double[n];
      double[] tp = new double[n];
      Bidiagonalization.reduce(k, m, n, a, m, d, e, tq, tp, 32, 64, new double[m * 32], new double[n * 32],
          new double[2 * m + 2 * n + 66]);
      double[] buf = new double[Bidiagonalization.BACK_BLOCK];
      double[] c1 = random(m, 70, 5).data().clone();
      double[] c2 = c1.clone();
      Bidiagonalization.applyQ(k, m, n, a, m, tq, c1, 0, m, 70, buf);
      Bidiagonalization.applyQUnblocked(k, m, n, a, m, tq, c2, 0, m, 70, buf);
      assertClose(c2, c1, 1e-13 * n, "Q " + m + "x" + n);
      double[] p1 = random(n, 50, 6).data().clone();
      double[] p2 = p1.clone();
      double[] packed = new double[Bidiagonalization.packedSize(n)];
      Bidiagonalization.applyP(k, n, a, m, tp, p1, 0, n, 50, packed, buf);
      Bidiagonalization.applyPUnblocked(k, n, a, m, tp, p2, 0, n, 50, packed, buf);
      assertClose(p2, p1, 1e-13 * n, "P " + m + "x" + n);
    }
  }

  private static void assertClose(double[] expect, double[] got, double tol, String what) {
    for (int i = 0; i < expect.length; i++) {
      assertEquals(expect[i], got[i], tol, what + " at " + i);
    }
  }

  @Test
  void scalarAndSimdProvidersAgree() {
    Optional<KernelProvider> simd = KernelProvider.simd();
    Assumptions.assumeTrue(simd.isPresent(), "SIMD provider not available in this run");
    BidiagonalSvd a = new BidiagonalSvd(KernelProvider.scalar(), 8, 16, BidiagonalSvd.DEFAULT_QR_RATIO_SIXTHS);
    BidiagonalSvd b = new BidiagonalSvd(simd.get(), 8, 16, BidiagonalSvd.DEFAULT_QR_RATIO_SIXTHS);
    for (int n : new int[] {1, 7, 8, 9, 15, 16, 17, 31, 33, 63, 65, 127, 129}) {
      DMatrix m = random(n + 3, n, n);
      SvdResult ra = a.compute(m, false);
      SvdResult rb = b.compute(m, false);
      double tol = 20 * (n + 3) * EPS * ra.values()[0];
      for (int i = 0; i < n; i++) {
        assertEquals(ra.values()[i], rb.values()[i], tol, "n=" + n + " value " + i);
      }
      checkResult(m, rb, null, false, "simd n=" + n);
    }
  }

  @Test
  void float32() {
    for (int[] sh : new int[][] {{1, 1}, {5, 3}, {3, 5}, {40, 40}, {70, 30}}) {
      double[] s = spectrum(Math.min(sh[0], sh[1]), 3);
      DMatrix a = withSpectrum(sh[0], sh[1], s, 31);
      FMatrix f = FMatrix.zeros(sh[0], sh[1]);
      for (int j = 0; j < sh[1]; j++) {
        for (int i = 0; i < sh[0]; i++) {
          f.set(i, j, (float) a.get(i, j));
        }
      }
      FloatSvdResult v = BidiagonalSvd.values(f);
      assertNull(v.u());
      FloatSvdResult r = BidiagonalSvd.decompose(f, false);
      double feps = Math.ulp(1.0f);
      int k = s.length;
      for (int i = 0; i < k; i++) {
        // The float input is A rounded: values move by at most ~ eps_f * ||A||_F.
        assertEquals(s[i], v.values()[i], 10 * Math.max(sh[0], sh[1]) * feps * s[0], "f32 value " + i);
        // Both routes reduce in float32 (FloatTwoStageValuesTest, FloatVectorsSvdTest): each within the bound.
        assertEquals(v.values()[i], r.values()[i], 10 * Math.max(sh[0], sh[1]) * feps * s[0]);
      }
      DMatrix u = toDouble(r.u());
      DMatrix vv = toDouble(r.v());
      assertTrue(orthogonality(u) <= 4 * k * feps, "f32 U orthogonality " + orthogonality(u));
      assertTrue(orthogonality(vv) <= 4 * k * feps, "f32 V orthogonality");
      DMatrix fa = toDouble(f);
      assertTrue(reconstruction(fa, r.values(), u, vv) <= 4 * k * feps, "f32 reconstruction");
      FloatSvdResult full = BidiagonalSvd.decompose(f, true);
      assertEquals(sh[0], full.u().cols());
      assertEquals(sh[1], full.v().cols());
    }
  }

  // ---------------------------------------------------------------- the bidiagonal solvers alone

  @Test
  void dqdsIsRelativelyAccurateOnGradedBidiagonals() {
    Random rnd = new Random(41);
    for (int n : new int[] {1, 2, 3, 5, 10, 40, 100}) {
      for (int trial = 0; trial < 4; trial++) {
        double[] d = new double[n];
        double[] e = new double[Math.max(n - 1, 0)];
        double decades = trial * 8; // up to 24 decades of grading
        for (int i = 0; i < n; i++) {
          double grade = Math.pow(10.0, -decades * i / Math.max(1, n - 1));
          d[i] = (rnd.nextBoolean() ? 1 : -1) * grade * (0.5 + rnd.nextDouble());
          if (i > 0) {
            e[i - 1] = (rnd.nextDouble() - 0.5) * 1.8 * Math.abs(d[i]);
          }
        }
        if (trial == 3) {
          reverse(d);
          reverse(e); // graded the other way: large at the bottom
        }
        checkBidiagonal(d, e, "n=" + n + " trial " + trial);
      }
    }
  }

  @Test
  void dqdsShiftCasesOnLongerBidiagonals() {
    // Long enough for dlasq4's cases (deflations of one and two values, the series estimates, splits found by a
    // step): graded both ways, a cluster of equal values, and tiny interior off-diagonals.
    Random rnd = new Random(43);
    int n = 300;
    for (int trial = 0; trial < 5; trial++) {
      double[] d = new double[n];
      double[] e = new double[n - 1];
      for (int i = 0; i < n; i++) {
        double grade = trial < 2 ? Math.pow(10.0, -(trial == 0 ? 12.0 : 30.0) * i / (n - 1)) : 1.0;
        d[i] = (0.5 + rnd.nextDouble()) * grade;
        if (trial == 3) {
          d[i] = 1.0 + 1e-9 * rnd.nextDouble();
        }
        if (i > 0) {
          e[i - 1] = (rnd.nextDouble() - 0.5) * (trial == 3 ? 1e-4 : 1.8) * d[i];
          if (trial == 4 && i % 37 == 0) {
            e[i - 1] *= 1e-20;
          }
        }
      }
      if (trial == 1) {
        reverse(d);
        reverse(e);
      }
      checkBidiagonal(d, e, "n=" + n + " shift trial " + trial);
    }
  }

  @Test
  void dqdsOnSpecialBidiagonals() {
    // Zero diagonal entries (singular B), zero off-diagonals (split), and equal entries.
    checkBidiagonal(new double[] {1, 0, 2, 3}, new double[] {1, 1, 1}, "zero diagonal");
    checkBidiagonal(new double[] {0, 0, 0}, new double[] {1, 1}, "zero diagonal all");
    checkBidiagonal(new double[] {1, 2, 3, 4}, new double[] {0, 1e-3, 0}, "split");
    checkBidiagonal(new double[] {1, 1, 1, 1, 1, 1}, new double[] {1, 1, 1, 1, 1}, "ones");
    checkBidiagonal(new double[] {1e-200, 1e-100, 1, 1e100}, new double[] {1e-150, 1e-50, 1e50}, "wide range");
  }

  private static void checkBidiagonal(double[] d, double[] e, String what) {
    int n = d.length;
    double[] ref = bisectionReference(d, e);
    double[] dd = d.clone();
    double[] ee = java.util.Arrays.copyOf(e, Math.max(n, 1));
    Dqds.Stats st = Dqds.singularValues(n, dd, ee, new double[5 * n]);
    assertTrue(st.converged, what + ": dqds did not converge");
    double relTol = 8 * n * EPS + 4 * EPS;
    for (int i = 0; i < n; i++) {
      assertTrue(Double.isFinite(dd[i]), what);
      double err = ref[i] == 0 ? Math.abs(dd[i]) : Math.abs(dd[i] - ref[i]) / ref[i];
      assertTrue(ref[i] == 0 ? dd[i] <= 1e-300 : err <= relTol,
          what + ": dqds value " + i + " = " + dd[i] + " reference " + ref[i] + " rel err " + err);
    }
    // Implicit QR with vectors: values to absolute accuracy, vectors orthonormal, B V = U S.
    double[] qd = d.clone();
    double[] qe = java.util.Arrays.copyOf(e, Math.max(n, 1));
    DMatrix u = DMatrix.identity(n);
    DMatrix v = DMatrix.identity(n);
    BidiagonalQr.Stats qs = BidiagonalQr.decompose(n, qd, qe, u.data(), 0, n, n, v.data(), 0, n, n);
    assertTrue(qs.converged, what + ": QR did not converge");
    for (int i = 0; i < n; i++) {
      assertEquals(ref[i], qd[i], 10 * n * EPS * ref[0], what + ": QR value " + i);
    }
    assertTrue(orthogonality(u) <= 1e-13 && orthogonality(v) <= 1e-13, what + ": QR orthogonality");
    DMatrix b = DMatrix.zeros(n, n);
    for (int i = 0; i < n; i++) {
      b.set(i, i, d[i]);
      if (i < n - 1) {
        b.set(i, i + 1, e[i]);
      }
    }
    if (ref[0] > 0) {
      assertTrue(reconstruction(b, qd, u, v) <= 1e-14 * Math.max(4, n), what + ": QR reconstruction");
    }
  }

  /**
   * Singular values of the bidiagonal by bisection on the Golub-Kahan tridiagonal (zero diagonal, off-diagonals
   * d1, e1, d2, ...): the count of negative pivots of {@code T - x I} is the number of eigenvalues below x, and
   * it is relatively accurate (Demmel and Kahan 1990, section 6). Bisection in the exponent for relative accuracy.
   */
  private static double[] bisectionReference(double[] d, double[] e) {
    int n = d.length;
    double[] b = new double[2 * n - 1];
    for (int i = 0; i < n; i++) {
      b[2 * i] = Math.abs(d[i]);
      if (i < n - 1) {
        b[2 * i + 1] = Math.abs(e[i]);
      }
    }
    double hi = 0;
    for (double x : b) {
      hi = Math.max(hi, 2 * x);
    }
    double[] s = new double[n];
    for (int k = 0; k < n; k++) {
      // s[k] is the (k+1)-th largest: the number of eigenvalues > x of T is n - 1 - ... ; count values >= x.
      int target = k + 1; // need count(sigma >= x) >= target
      double lo = 0.0;
      double up = hi;
      if (up == 0 || countAbove(b, Double.MIN_VALUE) < target) {
        s[k] = 0.0;
        continue;
      }
      lo = Double.MIN_VALUE;
      for (int it = 0; it < 200 && up > lo * (1 + 2 * EPS) && up - lo > 0; it++) {
        double mid = (lo > 0 && up / lo > 4) ? Math.sqrt(lo) * Math.sqrt(up) : 0.5 * (lo + up);
        if (countAbove(b, mid) >= target) {
          lo = mid;
        } else {
          up = mid;
        }
      }
      s[k] = 0.5 * (lo + up);
    }
    return s;
  }

  /** Number of singular values >= x, by the Sturm count of the 2n x 2n Golub-Kahan tridiagonal. */
  private static int countAbove(double[] b, double x) {
    int size = b.length + 1;
    int below = 0;
    double p = -x;
    double tiny = Double.MIN_NORMAL;
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        p = -x - (b[i - 1] / p) * b[i - 1];
      }
      if (p == 0) {
        p = -tiny;
      }
      if (p < 0) {
        below++;
      }
    }
    // Eigenvalues of T are +-sigma_i; for x > 0 those >= x are exactly the singular values >= x.
    return size - below;
  }

  private static void reverse(double[] a) {
    for (int i = 0, j = a.length - 1; i < j; i++, j--) {
      double t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  // ---------------------------------------------------------------- fixtures

  @Test
  void fixturesMatchHighPrecisionReferences() throws IOException {
    Assumptions.assumeTrue(Files.isRegularFile(FIXTURES.resolve("index.json")), "fixtures absent");
    List<Fixture> all = readIndex(FIXTURES.resolve("index.json"));
    assertTrue(all.size() > 100, "index parsed " + all.size() + " entries");
    double worst = 0;
    for (Fixture f : all) {
      DMatrix a = readNpy(FIXTURES.resolve(f.file));
      assertEquals(f.m, a.rows(), f.file);
      assertEquals(f.n, a.cols(), f.file);
      int k = Math.min(f.m, f.n);
      double tol = 10 * Math.max(f.m, f.n) * EPS * f.values[0];
      SvdResult r = BidiagonalSvd.values(a);
      assertTrue(r.converged(), f.file);
      SvdResult full = BidiagonalSvd.decompose(a, false);
      for (int i = 0; i < k; i++) {
        assertEquals(f.values[i], r.values()[i], tol, f.file + " value " + i);
        assertEquals(f.values[i], full.values()[i], tol, f.file + " (with vectors) value " + i);
        if (f.values[0] > 0) {
          worst = Math.max(worst, Math.abs(f.values[i] - r.values()[i]) / (Math.max(f.m, f.n) * EPS * f.values[0]));
        }
      }
      checkResult(a, full, null, false, f.file);
      if (f.file.startsWith("bidiag_graded")) {
        // The bidiagonal solver alone: relative accuracy on every value.
        double[] d = new double[k];
        double[] e = new double[k];
        for (int i = 0; i < k; i++) {
          d[i] = a.get(i, i);
          e[i] = i + 1 < f.n ? a.get(i, i + 1) : 0.0;
        }
        Dqds.singularValues(k, d, e, new double[5 * k]);
        for (int i = 0; i < k; i++) {
          assertEquals(f.values[i], d[i], 10 * k * EPS * f.values[i], f.file + " dqds relative, value " + i);
        }
      }
    }
    assertTrue(worst <= 10, "worst error in units of max(m,n) eps s1: " + worst);
  }

  record Fixture(String file, int m, int n, double[] values) {}

  /** Minimal reader for index.json: the fields file, m, n and singular_values of each matrix object. */
  static List<Fixture> readIndex(Path p) throws IOException {
    String s = Files.readString(p, StandardCharsets.UTF_8);
    List<Fixture> out = new ArrayList<>();
    int pos = 0;
    while (true) {
      int f = s.indexOf("\"file\":", pos);
      if (f < 0) {
        break;
      }
      String file = quoted(s, f + 7);
      int m = intField(s, "\"m\":", f);
      int n = intField(s, "\"n\":", f);
      int sv = s.indexOf("\"singular_values\":", f);
      int open = s.indexOf('[', sv);
      int close = s.indexOf(']', open);
      String[] parts = s.substring(open + 1, close).split(",");
      double[] vals = new double[parts.length];
      for (int i = 0; i < parts.length; i++) {
        vals[i] = Double.parseDouble(parts[i].trim().replace("\"", ""));
      }
      out.add(new Fixture(file, m, n, vals));
      pos = close;
    }
    return out;
  }

  private static String quoted(String s, int from) {
    int a = s.indexOf('"', from);
    int b = s.indexOf('"', a + 1);
    return s.substring(a + 1, b);
  }

  private static int intField(String s, String key, int from) {
    int k = s.indexOf(key, from) + key.length();
    int end = k;
    while (end < s.length() && (Character.isWhitespace(s.charAt(end)) || Character.isDigit(s.charAt(end)))) {
      end++;
    }
    return Integer.parseInt(s.substring(k, end).trim());
  }

  /** NPY 1.0, '<f8', C order, 2-d, as README.md of the fixtures describes. */
  static DMatrix readNpy(Path p) throws IOException {
    byte[] bytes = Files.readAllBytes(p);
    ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals((byte) 0x93, bytes[0]);
    assertEquals("NUMPY", new String(bytes, 1, 5, StandardCharsets.US_ASCII));
    assertEquals(1, bytes[6], "npy major version");
    int hlen = Short.toUnsignedInt(bb.getShort(8));
    String header = new String(bytes, 10, hlen, StandardCharsets.US_ASCII);
    assertTrue(header.contains("'<f8'") && header.contains("'fortran_order': False"), header);
    String shape = header.substring(header.indexOf("'shape': (") + 10, header.indexOf(')', header.indexOf("'shape'")));
    String[] dims = shape.split(",");
    int m = Integer.parseInt(dims[0].trim());
    int n = Integer.parseInt(dims[1].trim());
    int start = 10 + hlen;
    assertEquals((long) start + 8L * m * n, bytes.length, p + " size");
    double[] rowMajor = new double[m * n];
    bb.position(start);
    bb.asDoubleBuffer().get(rowMajor);
    return DMatrix.fromRowMajor(rowMajor, m, n);
  }

  // ---------------------------------------------------------------- checks

  private static void checkAll(DMatrix a, double[] expect, String what) {
    checkResult(a, BidiagonalSvd.values(a), expect, false, what + " values");
    checkResult(a, BidiagonalSvd.decompose(a, false), expect, false, what + " thin");
    checkResult(a, BidiagonalSvd.decompose(a, true), expect, true, what + " full");
  }

  /** Finiteness, ordering, expected values, orthogonality and reconstruction. */
  private static void checkResult(DMatrix a, SvdResult r, double[] expect, boolean full, String what) {
    int m = a.rows();
    int n = a.cols();
    int k = Math.min(m, n);
    double[] s = r.values();
    assertEquals(k, s.length, what);
    assertTrue(r.converged(), what + " not converged");
    for (int i = 0; i < k; i++) {
      assertTrue(Double.isFinite(s[i]) && s[i] >= 0, what + ": value " + i + " = " + s[i]);
      if (i > 0) {
        assertTrue(s[i] <= s[i - 1], what + ": not descending at " + i);
      }
    }
    if (expect != null) {
      double tol = 10 * Math.max(m, n) * EPS * (expect.length == 0 ? 0 : expect[0]);
      for (int i = 0; i < k; i++) {
        assertEquals(expect[i], s[i], tol, what + ": value " + i);
      }
    }
    if (r.u() == null) {
      assertNull(r.v(), what);
      return;
    }
    assertEquals(m, r.u().rows(), what);
    assertEquals(full ? m : k, r.u().cols(), what);
    assertEquals(n, r.v().rows(), what);
    assertEquals(full ? n : k, r.v().cols(), what);
    assertTrue(isFinite(r.u()) && isFinite(r.v()), what + ": non-finite vectors");
    double ou = orthogonality(r.u());
    double ov = orthogonality(r.v());
    assertTrue(ou <= 1e-13, what + ": U orthogonality " + ou);
    assertTrue(ov <= 1e-13, what + ": V orthogonality " + ov);
    double rec = reconstruction(a, s, r.u().view(0, 0, m, k), r.v().view(0, 0, n, k));
    assertTrue(rec <= 1e-14 * Math.max(4, Math.sqrt(Math.max(m, n))) * 2, what + ": reconstruction " + rec);
  }

  private static boolean isFinite(DMatrix x) {
    for (int j = 0; j < x.cols(); j++) {
      for (int i = 0; i < x.rows(); i++) {
        if (!Double.isFinite(x.get(i, j))) {
          return false;
        }
      }
    }
    return true;
  }

  /** {@code max |Q^T Q - I|} over entries. */
  private static double orthogonality(DMatrix q) {
    double worst = 0;
    for (int a = 0; a < q.cols(); a++) {
      for (int b = a; b < q.cols(); b++) {
        double dot = 0;
        for (int i = 0; i < q.rows(); i++) {
          dot += q.get(i, a) * q.get(i, b);
        }
        worst = Math.max(worst, Math.abs(dot - (a == b ? 1 : 0)));
      }
    }
    return worst;
  }

  /** {@code ||A - U diag(s) V^T||_F / ||A||_F} (0 when A = 0 and the product is 0), with scaling by max |A|. */
  private static double reconstruction(DMatrix a, double[] s, DMatrix u, DMatrix v) {
    int m = a.rows();
    int n = a.cols();
    double amax = 0;
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        amax = Math.max(amax, Math.abs(a.get(i, j)));
      }
    }
    double scale = amax == 0 ? 1 : 1 / amax;
    double num = 0;
    double den = 0;
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        double sum = 0;
        for (int p = 0; p < s.length; p++) {
          sum += u.get(i, p) * (s[p] * scale) * v.get(j, p);
        }
        double aij = a.get(i, j) * scale;
        num += (aij - sum) * (aij - sum);
        den += aij * aij;
      }
    }
    return den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
  }

  // ---------------------------------------------------------------- generators

  private static DMatrix random(int m, int n, long seed) {
    Random r = new Random(seed);
    DMatrix a = DMatrix.zeros(m, n);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        a.set(i, j, r.nextGaussian());
      }
    }
    return a;
  }

  /** A distinct, well-spread spectrum in [0.1, 10]. */
  private static double[] spectrum(int k, long seed) {
    Random r = new Random(seed);
    double[] s = new double[k];
    for (int i = 0; i < k; i++) {
      s[i] = 0.1 + 9.9 * r.nextDouble();
    }
    java.util.Arrays.sort(s);
    reverse(s);
    return s;
  }

  /** {@code Q1 diag(s) Q2^T} with Q1, Q2 products of random reflectors (exactly orthogonal up to rounding). */
  static DMatrix withSpectrum(int m, int n, double[] s, long seed) {
    Random r = new Random(seed);
    DMatrix a = DMatrix.zeros(m, n);
    for (int i = 0; i < s.length; i++) {
      a.set(i, i, s[i]);
    }
    for (int t = 0; t < 3; t++) {
      reflectRows(a, unit(m, r));
      reflectCols(a, unit(n, r));
    }
    return a;
  }

  private static double[] unit(int n, Random r) {
    double[] v = new double[n];
    double nn = 0;
    for (int i = 0; i < n; i++) {
      v[i] = r.nextGaussian();
      nn += v[i] * v[i];
    }
    nn = Math.sqrt(nn);
    for (int i = 0; i < n; i++) {
      v[i] /= nn;
    }
    return v;
  }

  /** A := (I - 2 v v^T) A. */
  private static void reflectRows(DMatrix a, double[] v) {
    for (int j = 0; j < a.cols(); j++) {
      double dot = 0;
      for (int i = 0; i < a.rows(); i++) {
        dot += v[i] * a.get(i, j);
      }
      for (int i = 0; i < a.rows(); i++) {
        a.set(i, j, a.get(i, j) - 2 * dot * v[i]);
      }
    }
  }

  /** A := A (I - 2 v v^T). */
  private static void reflectCols(DMatrix a, double[] v) {
    for (int i = 0; i < a.rows(); i++) {
      double dot = 0;
      for (int j = 0; j < a.cols(); j++) {
        dot += a.get(i, j) * v[j];
      }
      for (int j = 0; j < a.cols(); j++) {
        a.set(i, j, a.get(i, j) - 2 * dot * v[j]);
      }
    }
  }

  private static DMatrix toDouble(FMatrix f) {
    DMatrix d = DMatrix.zeros(f.rows(), f.cols());
    for (int j = 0; j < f.cols(); j++) {
      for (int i = 0; i < f.rows(); i++) {
        d.set(i, j, f.get(i, j));
      }
    }
    return d;
  }
}
