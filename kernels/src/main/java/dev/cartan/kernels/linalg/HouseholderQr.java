package dev.cartan.kernels.linalg;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.DoubleKernels;
import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.FloatKernels;
import dev.cartan.kernels.Gemm;
import dev.cartan.kernels.KernelProvider;
import dev.cartan.kernels.NarrowGemm;
import dev.cartan.kernels.TallGemm;
import java.util.Arrays;

/**
 * Blocked Householder QR of an {@code m x n} matrix, {@code A = Q R} (LAPACK dgeqrf), the thin Q (dorgqr), and
 * {@code Q} or {@code Q^T} applied to a matrix from either side (dormqr).
 *
 * <p>{@code Q = H_0 H_1 ... H_{k-1}}, {@code k = min(m, n)}, {@code H_i = I - tau_i v_i v_i^T}; as in LAPACK,
 * {@code v_i} has an implicit 1 in row i and is stored below the diagonal of column i, and R is left on and above
 * the diagonal. Blocked form (Golub and Van Loan, <i>Matrix Computations</i>, 4th ed., section 5.2.3; Schreiber and
 * Van Loan 1989): a panel of {@code nb} columns is factored with the provider's level-2 Householder primitives
 * ({@link DoubleKernels#householder}, {@link DoubleKernels#applyHouseholderLeft}), its reflectors are gathered into
 * {@code I - V T V^T} ({@link BlockReflectors}), and the trailing columns get {@code (I - V T V^T)^T} by GEMM; once
 * no more than {@code nx} columns remain, the rest is factored unblocked (dgeqr2). A fraction of about
 * {@code nb / n} of the flops stays in level 2. Block sizes: docs/design-notes.md, "Blocked Householder QR".
 *
 * <p>The static methods keep their workspace (a {@link BlockReflectors} and an {@code O(n)} array) per thread and
 * reuse it, so threads may factor distinct matrices concurrently.
 */
public final class HouseholderQr {
  /** Panel width {@code nb} (dgeqrf's block size); docs/design-notes.md, "Blocked Householder QR". */
  public static final int DEFAULT_BLOCK = 64;

  /** Columns left to the unblocked code (dgeqrf's nx); docs/design-notes.md, "Blocked Householder QR". */
  public static final int DEFAULT_CROSSOVER = 0;

  /** Panel width of {@link #factorRecursive}'s default; docs/design-notes.md, "Recursive-panel QR". */
  public static final int RECURSIVE_BLOCK = 64;

  /** Columns a recursive panel leaves to dgeqr2; docs/design-notes.md, "Recursive-panel QR". */
  public static final int RECURSIVE_LEAF = 32;

  private static final ThreadLocal<Workspace> WORK = ThreadLocal.withInitial(Workspace::new);

  private HouseholderQr() {}

  /** Per-thread workspace: the block of reflectors and a level-2 work vector. */
  private static final class Workspace {
    final BlockReflectors block = new BlockReflectors();
    double[] work = new double[0];

    double[] work(int n) {
      if (work.length < n) {
        work = new double[n];
      }
      return work;
    }

    private FloatBlockReflectors floatBlock;
    private float[] floatWork = new float[0];

    FloatBlockReflectors floatBlock() {
      if (floatBlock == null) {
        floatBlock = new FloatBlockReflectors();
      }
      return floatBlock;
    }

    /** The panel's T ({@code nb x nb}). */
    double[] t = new double[0];
    /** Per recursion depth: explicit V of both halves, then two {@code n1 x n2} products. */
    double[][] level = new double[0][];

    double[] t(int len) {
      if (t.length < len) {
        t = new double[len];
      }
      return t;
    }

    double[] level(int depth, int len) {
      if (level.length <= depth) {
        level = Arrays.copyOf(level, depth + 1);
      }
      if (level[depth] == null || level[depth].length < len) {
        level[depth] = new double[len];
      }
      return level[depth];
    }

    float[] floatT = new float[0];
    float[][] floatLevel = new float[0][];
    /** The leaf's S and scalars widened to float64 for the T recurrence. */
    double[] wideS = new double[0];
    double[] wideTau = new double[0];

    float[] floatT(int len) {
      if (floatT.length < len) {
        floatT = new float[len];
      }
      return floatT;
    }

    float[] floatLevel(int depth, int len) {
      if (floatLevel.length <= depth) {
        floatLevel = Arrays.copyOf(floatLevel, depth + 1);
      }
      if (floatLevel[depth] == null || floatLevel[depth].length < len) {
        floatLevel[depth] = new float[len];
      }
      return floatLevel[depth];
    }

    void wide(int nn) {
      if (wideTau.length < nn) {
        wideS = new double[nn * nn];
        wideTau = new double[nn];
      }
    }

    float[] floatWork(int n) {
      if (floatWork.length < n) {
        floatWork = new float[n];
      }
      return floatWork;
    }
  }

  /**
   * Factors A in place with the default blocking on this JVM's provider (the recursive panels of
   * {@link #factorRecursive} with {@link #RECURSIVE_BLOCK} and {@link #RECURSIVE_LEAF}): R on and above the
   * diagonal, the reflectors below it, their scalars in {@code tau[0 .. min(m, n) - 1]}.
   *
   * @throws IllegalArgumentException if A is null or a transposed view, or tau is null or too short
   */
  public static void factor(DMatrix a, double[] tau) {
    factorRecursive(KernelProvider.get().f64(), a, tau, RECURSIVE_BLOCK, RECURSIVE_LEAF);
  }

  /**
   * As {@link #factor(DMatrix, double[])} on the given primitives, with panel width {@code nb} ({@code nb <= 1}
   * is unblocked) and crossover {@code nx >= 0}.
   */
  public static void factor(DoubleKernels k, DMatrix a, double[] tau, int nb, int nx) {
    requirePlain(a, "matrix A");
    int m = a.rows();
    int n = a.cols();
    int kr = Math.min(m, n);
    requireTau(tau, kr);
    if (nx < 0) {
      throw new IllegalArgumentException("crossover nx must be >= 0, not " + nx);
    }
    Workspace ws = WORK.get();
    blocked(k, a, tau, 0, nb, nx, ws, ws.work(Math.max(n, 1)));
  }

  /**
   * Factors A in place as {@link #factor(DoubleKernels, DMatrix, double[], int, int)} does (the same R, reflectors
   * and scalars up to rounding), with panels of {@code nb} columns each factored recursively (Elmroth and
   * Gustavson, "Applying recursion to serial and parallel QR factorization leads to better performance", IBM J.
   * Res. Dev. 44(4), 2000; LAPACK dgeqrt3): a panel's left half is factored, its block reflector updates the right
   * half by GEMM, the right half is factored, and the two T factors are joined,
   * <pre>
   *   T = [T1  -T1 (V1^T V2) T2; 0  T2],
   * </pre>
   * down to {@code leaf} columns, which the level-2 dgeqr2 factors and whose T comes from {@code V^T V} by the
   * column recurrence of {@link BlockReflectors}. All but {@code O(m n leaf)} of the flops run in GEMM, so panels
   * can be wide (128 or more) where the trailing update's GEMMs need a high rank to run fast; the panel's T is a
   * by-product, so the trailing update skips {@link BlockReflectors#load}'s {@code V^T V}. Block sizes:
   * docs/design-notes.md, "Recursive-panel QR" and "Trailing update: V^T C without packing C" (which moved the
   * default from 128 to 64).
   *
   * @throws IllegalArgumentException if A is null or transposed, tau is too short, or {@code nb} or {@code leaf}
   *     is below 1
   */
  public static void factorRecursive(DoubleKernels k, DMatrix a, double[] tau, int nb, int leaf) {
    factorRecursive(k, a, tau, nb, leaf, 1);
  }

  /**
   * {@link #factorRecursive(DoubleKernels, DMatrix, double[], int, int)} with the trailing updates on up to
   * {@code threads} threads ({@link BlockReflectors#applyLeft(DMatrix, boolean, int)}; the panels run on the
   * calling thread). The result does not depend on the thread count.
   *
   * @throws IllegalArgumentException as the one-thread call, or if {@code threads < 1}
   */
  public static void factorRecursive(DoubleKernels k, DMatrix a, double[] tau, int nb, int leaf, int threads) {
    requirePlain(a, "matrix A");
    int m = a.rows();
    int n = a.cols();
    int kr = Math.min(m, n);
    requireTau(tau, kr);
    if (nb < 1 || leaf < 1 || threads < 1) {
      throw new IllegalArgumentException("need nb >= 1, leaf >= 1 and threads >= 1, got nb=" + nb + ", leaf=" + leaf
          + ", threads=" + threads);
    }
    Workspace ws = WORK.get();
    DMatrix tm = DMatrix.wrap(ws.t(nb * nb), 0, nb, nb, nb);
    for (int p = 0; p < kr; p += nb) {
      int ib = Math.min(nb, kr - p);
      DMatrix panel = a.view(p, p, m - p, ib);
      DMatrix tb = tm.view(0, 0, ib, ib);
      recursivePanel(k, panel, tau, p, tb, leaf, ws, 0, p + ib < n);
      if (p + ib < n) {
        ws.block.load(panel, tb).applyLeft(a.view(p, p + ib, m - p, n - p - ib), true, threads);
      }
    }
  }

  /**
   * dgeqrt3 on the plain {@code mm x nn} panel ({@code mm >= nn}): R and reflectors in place, scalars to
   * {@code tau[g ..]}, and with {@code needT} the upper triangular T of its reflectors to {@code tOut} (zeros below
   * the diagonal; without, only the T of left halves, which the right halves' updates need, is formed). Each V is
   * used as its unit lower triangle (copied, with explicit ones and zeros, to a small buffer) over its rectangle
   * below (a view of the panel), so no product reads R and the tall part is never copied; the products with a tall
   * operand and at most nn columns on each side go through {@link NarrowGemm}, which reads the tall operand in
   * place instead of packing it.
   */
  private static void recursivePanel(DoubleKernels k, DMatrix panel, double[] tau, int g, DMatrix tOut, int leaf,
      Workspace ws, int depth, boolean needT) {
    int mm = panel.rows();
    int nn = panel.cols();
    double[] buf = ws.level(depth, 4 * nn * nn);
    if (nn <= leaf) {
      unblocked(k, mm, nn, panel.data(), panel.offset(), panel.ld(), tau, g, ws.work(Math.max(nn, 1)));
      if (!needT) {
        return;
      }
      // S = V^T V = U^T U + B^T B, then T by the column recurrence.
      DMatrix u = BlockReflectors.unitLower(panel.view(0, 0, nn, nn), buf, 0);
      DMatrix b = panel.view(nn, 0, mm - nn, nn);
      DMatrix s = DMatrix.wrap(buf, nn * nn, nn, nn, nn);
      Gemm.gemm(1.0, u.transpose(), u, 0.0, s);
      atb(1.0, b, b, 1.0, s);
      BlockReflectors.recurrence(buf, nn * nn, nn, tau, g);
      s.copyInto(tOut);
      return;
    }
    int n1 = nn / 2;
    int n2 = nn - n1;
    DMatrix t1 = tOut.view(0, 0, n1, n1);
    DMatrix t2 = tOut.view(n1, n1, n2, n2);
    recursivePanel(k, panel.view(0, 0, mm, n1), tau, g, t1, leaf, ws, depth + 1, true);
    // Right half := H1^T A2 = A2 - V1 T1^T (V1^T A2), V1 = [U1; B1].
    DMatrix u1 = BlockReflectors.unitLower(panel.view(0, 0, n1, n1), buf, 0);
    DMatrix b1 = panel.view(n1, 0, mm - n1, n1);
    DMatrix top = panel.view(0, n1, n1, n2);
    DMatrix bottom = panel.view(n1, n1, mm - n1, n2);
    DMatrix w = DMatrix.wrap(buf, 2 * nn * nn, n1, n2, n1);
    DMatrix w2 = DMatrix.wrap(buf, 3 * nn * nn, n1, n2, n1);
    Gemm.gemm(1.0, u1.transpose(), top, 0.0, w);
    atb(1.0, b1, bottom, 1.0, w);
    Gemm.gemm(1.0, t1.transpose(), w, 0.0, w2);
    Gemm.gemm(-1.0, u1, w2, 1.0, top);
    NarrowGemm.gemm(-1.0, b1, w2, 1.0, bottom);
    recursivePanel(k, bottom, tau, g + n1, t2, leaf, ws, depth + 1, needT);
    if (!needT) {
      return;
    }
    // T12 = -T1 (V1^T V2) T2; V2 = [0; U2; B2] is zero in the first n1 rows, so V1^T V2 = B1^T [U2; B2].
    DMatrix u2 = BlockReflectors.unitLower(bottom.view(0, 0, n2, n2), buf, nn * nn);
    Gemm.gemm(1.0, b1.view(0, 0, n2, n1).transpose(), u2, 0.0, w);
    atb(1.0, b1.view(n2, 0, mm - n1 - n2, n1), bottom.view(n2, 0, mm - n1 - n2, n2), 1.0, w);
    Gemm.gemm(1.0, t1, w, 0.0, w2);
    Gemm.gemm(-1.0, w2, t2, 0.0, tOut.view(0, n1, n1, n2));
    for (int j = 0; j < n1; j++) {
      for (int i = n1; i < nn; i++) {
        tOut.set(i, j, 0.0);
      }
    }
  }

  /**
   * The float32 {@link #factorRecursive(DoubleKernels, DMatrix, double[], int, int)}: the same recursion on the
   * float32 primitives and GEMMs, each leaf's T recurrence run in float64 on a widened copy of its S (as
   * {@link FloatBlockReflectors} does).
   *
   * @throws IllegalArgumentException if A is null or transposed, tau is null or too short, or {@code nb} or
   *     {@code leaf} is below 1
   */
  public static void factorRecursive(FloatKernels k, FMatrix a, float[] tau, int nb, int leaf) {
    factorRecursive(k, a, tau, nb, leaf, 1);
  }

  /**
   * {@link #factorRecursive(FloatKernels, FMatrix, float[], int, int)} with the trailing updates on up to
   * {@code threads} threads, as the float64 overload.
   *
   * @throws IllegalArgumentException as the one-thread call, or if {@code threads < 1}
   */
  public static void factorRecursive(FloatKernels k, FMatrix a, float[] tau, int nb, int leaf, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("need threads >= 1, got threads=" + threads);
    }
    if (a == null || a.isTransposed()) {
      throw new IllegalArgumentException("matrix A is " + (a == null ? "null" : "a transposed view")
          + "; the QR works on contiguous columns");
    }
    if (tau == null) {
      throw new IllegalArgumentException("tau is null");
    }
    int m = a.rows();
    int n = a.cols();
    int kr = Math.min(m, n);
    requireTauLength(tau.length, kr);
    if (nb < 1 || leaf < 1) {
      throw new IllegalArgumentException("need nb >= 1 and leaf >= 1, got nb=" + nb + ", leaf=" + leaf);
    }
    Workspace ws = WORK.get();
    FMatrix tm = FMatrix.wrap(ws.floatT(nb * nb), 0, nb, nb, nb);
    for (int p = 0; p < kr; p += nb) {
      int ib = Math.min(nb, kr - p);
      FMatrix panel = a.view(p, p, m - p, ib);
      FMatrix tb = tm.view(0, 0, ib, ib);
      recursivePanel(k, panel, tau, p, tb, leaf, ws, 0, p + ib < n);
      if (p + ib < n) {
        ws.floatBlock().load(panel, tb).applyLeft(a.view(p, p + ib, m - p, n - p - ib), true, threads);
      }
    }
  }

  /** The float32 {@link #recursivePanel(DoubleKernels, DMatrix, double[], int, DMatrix, int, Workspace, int, boolean)}. */
  private static void recursivePanel(FloatKernels k, FMatrix panel, float[] tau, int g, FMatrix tOut, int leaf,
      Workspace ws, int depth, boolean needT) {
    int mm = panel.rows();
    int nn = panel.cols();
    float[] buf = ws.floatLevel(depth, 4 * nn * nn);
    if (nn <= leaf) {
      unblocked(k, mm, nn, panel.data(), panel.offset(), panel.ld(), tau, g, ws.floatWork(Math.max(nn, 1)));
      if (!needT) {
        return;
      }
      FMatrix u = FloatBlockReflectors.unitLower(panel.view(0, 0, nn, nn), buf, 0);
      FMatrix b = panel.view(nn, 0, mm - nn, nn);
      FMatrix s = FMatrix.wrap(buf, nn * nn, nn, nn, nn);
      Gemm.gemm(1f, u.transpose(), u, 0f, s);
      atb(1f, b, b, 1f, s);
      ws.wide(nn);
      FloatBlockReflectors.recurrence(buf, nn * nn, nn, tau, g, ws.wideS, ws.wideTau);
      s.copyInto(tOut);
      return;
    }
    int n1 = nn / 2;
    int n2 = nn - n1;
    FMatrix t1 = tOut.view(0, 0, n1, n1);
    FMatrix t2 = tOut.view(n1, n1, n2, n2);
    recursivePanel(k, panel.view(0, 0, mm, n1), tau, g, t1, leaf, ws, depth + 1, true);
    FMatrix u1 = FloatBlockReflectors.unitLower(panel.view(0, 0, n1, n1), buf, 0);
    FMatrix b1 = panel.view(n1, 0, mm - n1, n1);
    FMatrix top = panel.view(0, n1, n1, n2);
    FMatrix bottom = panel.view(n1, n1, mm - n1, n2);
    FMatrix w = FMatrix.wrap(buf, 2 * nn * nn, n1, n2, n1);
    FMatrix w2 = FMatrix.wrap(buf, 3 * nn * nn, n1, n2, n1);
    Gemm.gemm(1f, u1.transpose(), top, 0f, w);
    atb(1f, b1, bottom, 1f, w);
    Gemm.gemm(1f, t1.transpose(), w, 0f, w2);
    Gemm.gemm(-1f, u1, w2, 1f, top);
    NarrowGemm.gemm(-1f, b1, w2, 1f, bottom);
    recursivePanel(k, bottom, tau, g + n1, t2, leaf, ws, depth + 1, needT);
    if (!needT) {
      return;
    }
    FMatrix u2 = FloatBlockReflectors.unitLower(bottom.view(0, 0, n2, n2), buf, nn * nn);
    Gemm.gemm(1f, b1.view(0, 0, n2, n1).transpose(), u2, 0f, w);
    atb(1f, b1.view(n2, 0, mm - n1 - n2, n1), bottom.view(n2, 0, mm - n1 - n2, n2), 1f, w);
    Gemm.gemm(1f, t1, w, 0f, w2);
    Gemm.gemm(-1f, w2, t2, 0f, tOut.view(0, n1, n1, n2));
    for (int j = 0; j < n1; j++) {
      for (int i = n1; i < nn; i++) {
        tOut.set(i, j, 0f);
      }
    }
  }

  /** The float32 {@link #factor(DMatrix, double[])}: default blocking, this JVM's provider. */
  public static void factor(FMatrix a, float[] tau) {
    factor(KernelProvider.get().f32(), a, tau, DEFAULT_BLOCK, DEFAULT_CROSSOVER);
  }

  /**
   * Factors the float32 A in place as {@link #factor(DoubleKernels, DMatrix, double[], int, int)} does the float64
   * one, on the float32 primitives and {@link FloatBlockReflectors} (float32 GEMM): the same blocking, the same
   * storage of R, reflectors and scalars.
   *
   * @throws IllegalArgumentException if A is null or a transposed view, tau is null or too short, or
   *     {@code nx < 0}
   */
  public static void factor(FloatKernels k, FMatrix a, float[] tau, int nb, int nx) {
    if (a == null || a.isTransposed()) {
      throw new IllegalArgumentException("matrix A is " + (a == null ? "null" : "a transposed view")
          + "; the QR works on contiguous columns");
    }
    if (tau == null) {
      throw new IllegalArgumentException("tau is null");
    }
    int m = a.rows();
    int n = a.cols();
    requireTauLength(tau.length, Math.min(m, n));
    if (nx < 0) {
      throw new IllegalArgumentException("crossover nx must be >= 0, not " + nx);
    }
    Workspace ws = WORK.get();
    float[] work = ws.floatWork(Math.max(n, 1));
    float[] d = a.data();
    int lda = a.ld();
    int base = a.offset();
    blockLoop(m, n, nb, nx, (p, cols) -> unblocked(k, m - p, cols, d, base + p + p * lda, lda, tau, p, work),
        (p, ib) -> ws.floatBlock().load(a.view(p, p, m - p, ib), tau, p)
        .applyLeft(a.view(p, p + ib, m - p, n - p - ib), true));
  }

  /** One step of the blocked loop: the panel of {@code cols} columns at {@code (p, p)}, or its trailing update. */
  private interface Step {
    void run(int p, int cols);
  }

  /**
   * dgeqrf's loop, shared by both precisions: panels of nb columns factored unblocked ({@code panel(p, ib)}), each
   * followed by the update of the columns right of it ({@code update(p, ib)}), until no more than nx columns
   * remain; then {@code panel(p, n - p)} on the rest.
   */
  private static void blockLoop(int m, int n, int nb, int nx, Step panel, Step update) {
    int kr = Math.min(m, n);
    int p = 0;
    if (nb > 1 && nb < kr && nx < kr) {
      while (p < kr - nx) {
        int ib = Math.min(nb, kr - p);
        panel.run(p, ib);
        if (p + ib < n) {
          update.run(p, ib);
        }
        p += ib;
      }
    }
    panel.run(p, n - p);
  }

  /** The blocked loop on A with scalars to {@code tau[g ..]}. */
  private static void blocked(DoubleKernels k, DMatrix a, double[] tau, int g, int nb, int nx, Workspace ws,
      double[] work) {
    int m = a.rows();
    int n = a.cols();
    double[] d = a.data();
    int lda = a.ld();
    int base = a.offset();
    blockLoop(m, n, nb, nx, (p, cols) -> unblocked(k, m - p, cols, d, base + p + p * lda, lda, tau, g + p, work),
        (p, ib) -> ws.block.load(a.view(p, p, m - p, ib), tau, g + p)
            .applyLeft(a.view(p, p + ib, m - p, n - p - ib), true));
  }

  /** dgeqr2 on the local {@code mm x nn} block at {@code base}; scalars go to {@code tau[g + j]}. */
  private static void unblocked(DoubleKernels k, int mm, int nn, double[] a, int base, int lda, double[] tau,
      int g, double[] work) {
    int kr = Math.min(mm, nn);
    for (int j = 0; j < kr; j++) {
      int col = base + j + j * lda;
      double t = k.householder(mm - j, a, col);
      tau[g + j] = t;
      if (j < nn - 1) {
        k.applyHouseholderLeft(mm - j, nn - j - 1, a, col, t, a, col + lda, lda, work);
      }
    }
  }

  /** The float32 {@link #unblocked(DoubleKernels, int, int, double[], int, int, double[], int, double[])}. */
  private static void unblocked(FloatKernels k, int mm, int nn, float[] a, int base, int lda, float[] tau, int g,
      float[] work) {
    int kr = Math.min(mm, nn);
    for (int j = 0; j < kr; j++) {
      int col = base + j + j * lda;
      float t = k.householder(mm - j, a, col);
      tau[g + j] = t;
      if (j < nn - 1) {
        k.applyHouseholderLeft(mm - j, nn - j - 1, a, col, t, a, col + lda, lda, work);
      }
    }
  }

  /**
   * Overwrites the {@code m x n} matrix A ({@code m >= n >= kr}), whose first {@code kr} columns hold reflectors
   * as {@link #factor} leaves them, with the first n columns of {@code Q = H_0 ... H_{kr-1}} (LAPACK dorgqr): with
   * {@code kr = n} after factoring an {@code m x n} matrix, the thin Q. Default blocking, this JVM's provider.
   *
   * @throws IllegalArgumentException if A is null or transposed, {@code m < n}, {@code kr} is outside
   *     {@code [0, n]}, or tau is too short
   */
  public static void formQ(DMatrix a, double[] tau, int kr) {
    formQ(KernelProvider.get().f64(), a, tau, kr, DEFAULT_BLOCK, DEFAULT_CROSSOVER);
  }

  /**
   * As {@link #formQ(DMatrix, double[], int)} with explicit primitives and blocking. Blocks are generated from the
   * last to the first: block {@code [i, i + ib)} first applies its {@code I - V T V^T} to the columns right of it
   * (already columns of Q, zero above row i), then is generated in place by the unblocked dorg2r.
   */
  public static void formQ(DoubleKernels k, DMatrix a, double[] tau, int kr, int nb, int nx) {
    requirePlain(a, "matrix A");
    int m = a.rows();
    int n = a.cols();
    if (m < n) {
      throw new IllegalArgumentException("formQ needs m >= n; A is " + m + "x" + n);
    }
    if (kr < 0 || kr > n) {
      throw new IllegalArgumentException("number of reflectors " + kr + " is outside [0, " + n + "]");
    }
    requireTau(tau, kr);
    if (nx < 0) {
      throw new IllegalArgumentException("crossover nx must be >= 0, not " + nx);
    }
    double[] d = a.data();
    int lda = a.ld();
    int base = a.offset();
    Workspace ws = WORK.get();
    double[] work = ws.work(Math.max(n, 1));
    int kk = 0;
    int last = 0;
    if (nb > 1 && nb < kr && nx < kr) {
      // The blocked part covers columns [0, kk); dorgqr's choice of kk leaves between nx and nx + nb columns.
      last = (kr - nx - 1) / nb * nb;
      kk = Math.min(kr, last + nb);
      for (int j = kk; j < n; j++) {
        Arrays.fill(d, base + j * lda, base + j * lda + kk, 0.0);
      }
    }
    if (kk < n) {
      generate(k, m - kk, n - kk, kr - kk, d, base + kk + kk * lda, lda, tau, kk, work);
    }
    if (kk > 0) {
      for (int i = last; i >= 0; i -= nb) {
        int ib = Math.min(nb, kr - i);
        if (i + ib < n) {
          ws.block.load(a.view(i, i, m - i, ib), tau, i).applyLeft(a.view(i, i + ib, m - i, n - i - ib), false);
        }
        generate(k, m - i, ib, ib, d, base + i + i * lda, lda, tau, i, work);
        for (int j = i; j < i + ib; j++) {
          Arrays.fill(d, base + j * lda, base + j * lda + i, 0.0);
        }
      }
    }
  }

  /**
   * dorg2r on the local {@code mm x nn} block at {@code base}: its first {@code kr} columns hold reflectors
   * (scalars {@code tau[g ..]}); it becomes the first nn columns of their product.
   */
  private static void generate(DoubleKernels k, int mm, int nn, int kr, double[] a, int base, int lda,
      double[] tau, int g, double[] work) {
    for (int j = kr; j < nn; j++) {
      int col = base + j * lda;
      Arrays.fill(a, col, col + mm, 0.0);
      a[col + j] = 1.0;
    }
    for (int i = kr - 1; i >= 0; i--) {
      int col = base + i * lda;
      double t = tau[g + i];
      if (i < nn - 1) {
        k.applyHouseholderLeft(mm - i, nn - i - 1, a, col + i, t, a, col + i + lda, lda, work);
      }
      if (i < mm - 1) {
        k.scal(mm - i - 1, -t, a, col + i + 1);
      }
      a[col + i] = 1.0 - t;
      Arrays.fill(a, col, col + i, 0.0);
    }
  }

  /**
   * {@code C := op(Q) C} (or {@code C op(Q)} with {@code right}), {@code op(Q) = Q} or {@code Q^T} with
   * {@code transpose}, where {@code Q = H_0 ... H_{kr-1}} is given by the first {@code kr} columns of the
   * {@code m x *} matrix A and {@code tau}, as {@link #factor} leaves them (LAPACK dormqr). C has m rows (left) or
   * m columns (right), any layout, and must not overlap the reflectors in A. Blocks of {@link #DEFAULT_BLOCK}
   * reflectors are applied by GEMM ({@link BlockReflectors}); block {@code [p, p + ib)} touches only rows (columns)
   * {@code p .. m-1} of C.
   *
   * @throws IllegalArgumentException if a matrix is null, {@code kr} is outside {@code [0, min(m, cols of A)]},
   *     tau is too short, or C's shape does not match
   */
  public static void applyQ(DMatrix a, double[] tau, int kr, DMatrix c, boolean right, boolean transpose) {
    applyQ(a, tau, kr, c, right, transpose, DEFAULT_BLOCK);
  }

  /** As {@link #applyQ(DMatrix, double[], int, DMatrix, boolean, boolean)} with block size {@code nb >= 1}. */
  public static void applyQ(DMatrix a, double[] tau, int kr, DMatrix c, boolean right, boolean transpose,
      int nb) {
    if (a == null) {
      throw new IllegalArgumentException("matrix A is null");
    }
    if (c == null) {
      throw new IllegalArgumentException("matrix C is null");
    }
    int m = a.rows();
    if (kr < 0 || kr > Math.min(m, a.cols())) {
      throw new IllegalArgumentException(
          "number of reflectors " + kr + " is outside [0, min(" + m + ", " + a.cols() + ")]");
    }
    requireTau(tau, kr);
    if (nb < 1) {
      throw new IllegalArgumentException("block size nb must be >= 1, not " + nb);
    }
    if ((right ? c.cols() : c.rows()) != m) {
      throw new IllegalArgumentException("cannot apply Q of order " + m + " from the " + (right ? "right" : "left")
          + " to a " + c.rows() + "x" + c.cols() + " matrix");
    }
    BlockReflectors block = WORK.get().block;
    // Q C = B_0 (B_1 (... C)) and C Q^T = C B_last^T ... B_0^T take the blocks last first; the others first first.
    boolean forward = right != transpose;
    int blocks = (kr + nb - 1) / nb;
    for (int q = 0; q < blocks; q++) {
      int p = (forward ? q : blocks - 1 - q) * nb;
      int ib = Math.min(nb, kr - p);
      block.load(a.view(p, p, m - p, ib), tau, p);
      if (right) {
        block.applyRight(c.view(0, p, c.rows(), m - p), transpose);
      } else {
        block.applyLeft(c.view(p, 0, m - p, c.cols()), transpose);
      }
    }
  }

  /**
   * The recursive panels' {@code A^T B} products by {@link TallGemm} (default) or, off, by {@link NarrowGemm} as
   * before: the profilers' A/B switch (docs/design-notes.md, "Trailing update: V^T C without packing C").
   */
  static boolean panelTall = true;

  /** {@code C := alpha A^T B + beta C} for the panel's tall A and B (see {@link #panelTall}). */
  private static void atb(double alpha, DMatrix a, DMatrix b, double beta, DMatrix c) {
    if (panelTall) {
      TallGemm.atb(alpha, a, b, beta, c);
    } else {
      NarrowGemm.gemm(alpha, a.transpose(), b, beta, c);
    }
  }

  /** The float32 {@link #atb(double, DMatrix, DMatrix, double, DMatrix)}. */
  private static void atb(float alpha, FMatrix a, FMatrix b, float beta, FMatrix c) {
    if (panelTall) {
      TallGemm.atb(alpha, a, b, beta, c);
    } else {
      NarrowGemm.gemm(alpha, a.transpose(), b, beta, c);
    }
  }

  private static void requirePlain(DMatrix a, String name) {
    if (a == null) {
      throw new IllegalArgumentException(name + " is null");
    }
    if (a.isTransposed()) {
      throw new IllegalArgumentException(name + " is a transposed view; the QR works on contiguous columns");
    }
  }

  private static void requireTau(double[] tau, int kr) {
    if (tau == null) {
      throw new IllegalArgumentException("tau is null");
    }
    requireTauLength(tau.length, kr);
  }

  private static void requireTauLength(int length, int kr) {
    if (length < kr) {
      throw new IllegalArgumentException("tau has length " + length + ", needs " + kr);
    }
  }
}
