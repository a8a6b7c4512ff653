package dev.cartan.kernels.svd;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.DoubleKernels;
import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.FloatKernels;
import dev.cartan.kernels.KernelProvider;
import dev.cartan.kernels.Parallel;
import java.util.Arrays;

/**
 * The fast SVD path: Householder bidiagonalization, then the bidiagonal SVD.
 *
 * <p>For an {@code m x n} matrix A ({@code k = min(m, n)}) it computes {@code A = U diag(s) V^T} with
 * {@code s_1 >= ... >= s_k >= 0} in three named steps (Golub and Van Loan, <i>Matrix Computations</i>, 4th ed.,
 * sections 5.4.8 and 8.6; LAPACK dgesdd's structure):
 * <ol>
 *   <li><b>reduce</b>: {@code A = Q B P^T} with B upper bidiagonal ({@link Bidiagonalization}; blocked, the
 *       trailing updates by GEMM). Wide matrices are reduced through their transpose.
 *   <li><b>iterate</b>: values only by dqds ({@link Dqds}, values of B to high relative accuracy); with vectors
 *       by divide and conquer ({@link BidiagonalDc}, leaves by implicit QR), {@code B = Ub diag(s) Vb^T}.
 *   <li><b>back-transform</b>: {@code U = Q [Ub; 0]}, {@code V = P Vb} by applying the stored reflectors.
 * </ol>
 * When the largest entry is below {@code sqrt(safmin)/eps} or above its inverse (dgesdd's limits), the copy is
 * scaled by a power of two so that its largest entry lies in [1, 2); entries anywhere in the float64 range then
 * give full accuracy, and the values are scaled back exactly.
 *
 * <p>Accuracy: backward stable, {@code |s_i - s_i(exact)| <= c(m, n) eps ||A||_2}; U and V orthonormal to
 * {@code O(eps)}. The float32 values route reduces in float32 and chases in float64 ({@link #computeValues(FMatrix)});
 * the float32 vectors route ({@link #compute(FMatrix, boolean, int)}) runs the same three steps with the QR, the
 * reduction and the back-transformations in float32 ({@link FloatBidiagonalization}) and the bidiagonal SVD in
 * float64: backward stable in float32, every value within a small multiple of {@code max(m, n) u_f32 sigma_1}
 * ({@code u_f32 = 2^-24}), U and V orthonormal to {@code O(n u_f32)}.
 *
 * <p>An instance keeps its workspace (a copy of the input, O(m + n) * panel doubles, the n x n R for tall inputs
 * and n^2/2 packed reflectors with vectors: at most about 1.8 times the input; the float32 route keeps the same
 * arrays in float32, its own) and grows it only when a larger matrix arrives; it is not thread-safe. The static
 * methods use one instance per thread (kept by a ThreadLocal, so a thread's workspace lives as long as the thread).
 */
public final class BidiagonalSvd {

  /** Panel width of the blocked reduction (dgebrd's nb); see docs/design-notes.md. */
  public static final int DEFAULT_PANEL = 32;

  /** Below this many remaining columns the reduction is unblocked (dgebrd's nx). */
  public static final int DEFAULT_CROSSOVER = 128;

  /**
   * Bandwidth of the two-stage values-only reduction ({@link TwoStageValues}); see docs/design-notes.md,
   * "Two-stage reduction for values".
   */
  public static final int DEFAULT_BAND = 32;

  /**
   * Bandwidth of the values-only reduction for orders up to 1024 when the kernels have 16 vector registers (AVX2):
   * there the bulge chase's savings outweigh the narrower GEMMs of stage 1 (docs/design-notes.md, "Bandwidth on 16
   * registers").
   */
  public static final int NARROW_FILE_BAND = 16;

  /**
   * The {@code band} argument that picks the bandwidth per order and provider: {@link #NARROW_FILE_BAND} on
   * 16-register SIMD kernels up to order 1024, else {@link #DEFAULT_BAND}. What the default instances use.
   */
  public static final int AUTO_BAND = -1;

  /** The method name recorded in results. */
  public static final String METHOD = "bidiagonal";

  /** QR first when {@code 6 m >= DEFAULT_QR_RATIO_SIXTHS * n}: LAPACK dgesdd's mnthr = 11 n / 6. */
  public static final int DEFAULT_QR_RATIO_SIXTHS = 11;

  private static final ThreadLocal<BidiagonalSvd> PER_THREAD = ThreadLocal.withInitial(BidiagonalSvd::new);

  /** Scale limits as dgesdd: sqrt(safmin) / eps and its inverse. */
  private static final double SMALL = Math.sqrt(Double.MIN_NORMAL) / Math.ulp(1.0);

  private static final double BIG = 1.0 / SMALL;

  private final DoubleKernels kernels;
  private final int panel;
  private final int crossover;
  private double[] a = new double[0];
  private double[] d = new double[0];
  private double[] e = new double[0];
  private double[] tauq = new double[0];
  private double[] taup = new double[0];
  private double[] x = new double[0];
  private double[] y = new double[0];
  private double[] buf = new double[0];
  private double[] r = new double[0];
  private double[] packed = new double[0];
  private double[] tauQr = new double[0];
  // The float32 vectors route's workspace, the float32 twins of the arrays above.
  private float[] af = new float[0];
  private float[] dF = new float[0];
  private float[] eF = new float[0];
  private float[] tauqF = new float[0];
  private float[] taupF = new float[0];
  private float[] xF = new float[0];
  private float[] yF = new float[0];
  private float[] bufF = new float[0];
  private float[] rF = new float[0];
  private float[] packedF = new float[0];
  private float[] tauQrF = new float[0];
  private final FloatKernels floatKernels;
  private final int qrRatioSixths;
  private final int band;
  private final TwoStageValues twoStage;

  /** An instance with the default blocking on this JVM's provider ({@link KernelProvider#get()}). */
  public BidiagonalSvd() {
    this(KernelProvider.get(), DEFAULT_PANEL, DEFAULT_CROSSOVER, DEFAULT_QR_RATIO_SIXTHS, AUTO_BAND);
  }

  /**
   * An instance with explicit blocking (for tuning): panel width {@code panel >= 0} (0 = unblocked) and the
   * crossover {@code crossover >= 0} below which the reduction is unblocked, on the given provider's primitives
   * (for comparing providers in one JVM). Tall matrices with {@code 6 m >= qrRatioSixths * n} are first reduced
   * by a QR factorization ({@code Integer.MAX_VALUE} never does).
   */
  public BidiagonalSvd(KernelProvider provider, int panel, int crossover, int qrRatioSixths) {
    this(provider, panel, crossover, qrRatioSixths, AUTO_BAND);
  }

  /**
   * As {@link #BidiagonalSvd(KernelProvider, int, int, int)}, with the bandwidth {@code band >= 0} of the
   * values-only two-stage reduction, or {@link #AUTO_BAND} (the default instances' choice per order); {@code band = 0}
   * computes values through the one-stage reduction as the vectors path does (for comparisons).
   */
  public BidiagonalSvd(KernelProvider provider, int panel, int crossover, int qrRatioSixths, int band) {
    if (provider == null) {
      throw new IllegalArgumentException("provider is null");
    }
    if (band < 0 && band != AUTO_BAND) {
      throw new IllegalArgumentException("need band >= 0 or AUTO_BAND (-1); got band=" + band);
    }
    if (panel < 0 || crossover < 0 || qrRatioSixths < 6) {
      throw new IllegalArgumentException(
          "need panel >= 0, crossover >= 0, qrRatioSixths >= 6; got panel=" + panel + ", crossover=" + crossover
              + ", qrRatioSixths=" + qrRatioSixths);
    }
    this.kernels = provider.f64();
    this.floatKernels = provider.f32();
    this.panel = panel;
    this.crossover = crossover;
    this.qrRatioSixths = qrRatioSixths;
    this.band = band;
    this.twoStage = band != 0 ? new TwoStageValues(provider, band, qrRatioSixths) : null;
  }

  /**
   * Inputs of up to this many elements ({@code 2^22}: 2048 x 2048, 1024 x 4096) are decomposed by {@link Svd} in the
   * calling thread's kept instance, so a run of many matrices allocates its workspace once; its size then stays at
   * most about 1.8 x this many doubles (60 MB) for the thread's life, plus as many floats (30 MB) if the thread also
   * decomposes float32 matrices with vectors (that route's float64 n x n bidiagonal factors are allocated per call,
   * not kept). Larger inputs get an instance of their own,
   * freed with the call, so one huge matrix does not pin its copy (docs/design-notes.md, "Workspace kept per thread
   * by the facade").
   */
  static final long KEPT_WORKSPACE_LIMIT = 1L << 22;

  /** The instance {@link Svd} uses for an {@code m x n} input: this thread's kept one, or a fresh one if larger. */
  static BidiagonalSvd forInput(int m, int n) {
    return (long) m * n <= KEPT_WORKSPACE_LIMIT ? PER_THREAD.get() : new BidiagonalSvd();
  }

  /**
   * {@code B = Ub diag(s) Vb^T} of the {@code n x n} upper bidiagonal (d, e): Ub into the top {@code n x n} block of u
   * (ld ldu), Vb into v (ld n), the values into d, descending. Divide and conquer ({@link BidiagonalDc}); if one of its
   * secular roots misses the step cap ({@link BidiagonalDc#MAX_SECULAR_STEPS}, not seen in practice), implicit QR
   * ({@link BidiagonalQr}, dbdsqr's algorithm, always within its own sweep cap) restarts from the saved bidiagonal,
   * so the driver returns vectors instead of failing where LAPACK's dbdsdc would return an error.
   */
  static BidiagonalDc.Stats bidiagonalSvd(int n, double[] d, double[] e, double[] u, int ldu, double[] v,
      int maxSecularSteps) {
    double[] d0 = Arrays.copyOf(d, n);
    double[] e0 = Arrays.copyOf(e, n);
    try {
      return BidiagonalDc.decompose(n, d, e, u, ldu, v, n, BidiagonalDc.DEFAULT_LEAF, maxSecularSteps);
    } catch (ArithmeticException secular) {
      System.arraycopy(d0, 0, d, 0, n);
      System.arraycopy(e0, 0, e, 0, n);
      for (int j = 0; j < n; j++) {
        Arrays.fill(u, j * ldu, j * ldu + n, 0.0);
        u[j + j * ldu] = 1.0;
        Arrays.fill(v, j * n, j * n + n, 0.0);
        v[j + j * n] = 1.0;
      }
      BidiagonalQr.Stats q = BidiagonalQr.decompose(n, d, e, u, 0, ldu, n, v, 0, n, n);
      BidiagonalDc.Stats st = new BidiagonalDc.Stats();
      st.sweeps = q.sweeps;
      st.converged = q.converged;
      st.residual = q.residual;
      st.qrFallback = true;
      return st;
    }
  }

  /** Singular values of A (descending, length min(m, n)); U and V are null in the result. A is not modified. */
  public static SvdResult values(DMatrix a) {
    return PER_THREAD.get().computeValues(a);
  }

  /**
   * The SVD {@code A = U diag(s) V^T}: thin ({@code U} is {@code m x k}, {@code V} is {@code n x k}) or, with
   * {@code full}, {@code U} is {@code m x m} and {@code V} is {@code n x n}. A is not modified.
   */
  public static SvdResult decompose(DMatrix a, boolean full) {
    return PER_THREAD.get().compute(a, full);
  }

  /**
   * Singular values of a float32 matrix, in float64: the QR of tall inputs and the reduction to band run in float32,
   * the bulge chase and dqds in float64 ({@link #computeValues(FMatrix)}).
   */
  public static FloatSvdResult values(FMatrix a) {
    return PER_THREAD.get().computeValues(a);
  }

  /**
   * The SVD of a float32 matrix, thin or full as above, by the native float32 vectors route
   * ({@link #compute(FMatrix, boolean, int)} on one thread): values in float64 within a small multiple of
   * {@code max(m, n) u_f32 sigma_1} of the exact ones, U and V in float32. A is not modified.
   *
   * @throws IllegalArgumentException naming "matrix A" if it is null, empty or has a non-finite element
   */
  public static FloatSvdResult decompose(FMatrix a, boolean full) {
    return PER_THREAD.get().compute(a, full, 1);
  }

  /** Singular values of A using this instance's workspace. */
  public SvdResult computeValues(DMatrix a) {
    return computeValues(a, 1);
  }

  /**
   * Singular values of A using this instance's workspace, the GEMM-rich steps (the QR of tall inputs, the
   * reduction's trailing updates) on up to {@code threads} threads of the common fork-join pool; the panels, the
   * bulge chase and dqds run on the calling thread. The values do not depend on the thread count.
   *
   * @throws IllegalArgumentException as {@link #computeValues(DMatrix)}, or if {@code threads < 1}
   */
  public SvdResult computeValues(DMatrix a, int threads) {
    requireThreads(threads);
    if (twoStage != null) {
      return twoStage.compute(a, METHOD, threads);
    }
    Prepared p = prepareOnTeam(a, threads);
    Dqds.Stats st = Dqds.singularValues(p.n, d, e, buf);
    double[] s = new double[p.n];
    for (int i = 0; i < p.n; i++) {
      s[i] = Math.scalb(d[i], -p.scale);
    }
    return new SvdResult(s, null, null, METHOD, st.steps, st.residual, st.converged, null);
  }

  /**
   * Singular values of a float32 A using this instance's workspace. With the two-stage route ({@code band != 0}) the
   * GEMM-rich steps run in float32 and the band is widened to float64 for the chase and dqds: every value within a
   * small multiple of {@code max(m, n) u_f32 sigma_1} ({@code u_f32 = 2^-24}) of the exact one. With
   * {@code band = 0} A is widened to float64 and decomposed there. A is not modified.
   */
  public FloatSvdResult computeValues(FMatrix a) {
    return computeValues(a, 1);
  }

  /**
   * {@link #computeValues(FMatrix)} with the GEMM-rich steps on up to {@code threads} threads, as
   * {@link #computeValues(DMatrix, int)}.
   *
   * @throws IllegalArgumentException as {@link #computeValues(FMatrix)}, or if {@code threads < 1}
   */
  public FloatSvdResult computeValues(FMatrix a, int threads) {
    requireThreads(threads);
    if (twoStage != null) {
      return toFloat(twoStage.compute(a, METHOD, threads));
    }
    return toFloat(computeValues(promote(a), threads));
  }

  /** The SVD of A, thin or full, using this instance's workspace. */
  public SvdResult compute(DMatrix a, boolean full) {
    return compute(a, full, true, 1);
  }

  /**
   * The SVD of A, thin or full, using this instance's workspace, with the GEMM-rich steps (the QR of tall inputs,
   * the reduction's trailing updates, the back-transformations) on up to {@code threads} threads; the reduction's
   * panels and the bidiagonal SVD run on the calling thread. The result does not depend on the thread count.
   *
   * @throws IllegalArgumentException as {@link #compute(DMatrix, boolean)}, or if {@code threads < 1}
   */
  public SvdResult compute(DMatrix a, boolean full, int threads) {
    requireThreads(threads);
    return compute(a, full, true, threads);
  }

  /**
   * The SVD of a float32 A, thin ({@code U} is {@code m x k}, {@code V} is {@code n x k}, {@code k = min(m, n)}) or,
   * with {@code full}, {@code U} is {@code m x m} and {@code V} is {@code n x n}, using this instance's workspace; A is
   * not modified. The steps of the float64 route with the dense work in float32: the copy (transposed if wide, scaled
   * by a power of two when its largest entry is outside sgesdd's safe range), the QR of tall inputs, the
   * bidiagonalization and the back-transformations run in float32 ({@link FloatBidiagonalization}, float32 GEMMs);
   * the bidiagonal is widened to float64 for divide and conquer, whose singular vectors are rounded to float32
   * before the back-transformations. The GEMM-rich steps run on up to {@code threads} threads, the panels and the
   * bidiagonal SVD on the calling thread; the result does not depend on the thread count beyond rounding.
   *
   * <p>Accuracy: backward stable in float32. Every value is within a small multiple of
   * {@code max(m, n) u_f32 sigma_1} ({@code u_f32 = 2^-24}) of the exact one (so small values carry only absolute
   * accuracy); {@code ||U^T U - I||}, {@code ||V^T V - I||} and {@code ||A - U diag(s) V^T|| / ||A||} are of order
   * {@code n u_f32}. Values are returned in float64.
   *
   * @throws IllegalArgumentException naming "matrix A" if it is null, empty or has a non-finite element, or if
   *     {@code threads < 1}
   */
  public FloatSvdResult compute(FMatrix a, boolean full, int threads) {
    requireThreads(threads);
    requireValid(a);
    boolean transposed = a.rows() < a.cols();
    FMatrix src = transposed ? a.transpose() : a;
    int m = src.rows();
    int n = src.cols();
    ensureFloat(m, n);
    int scale = TwoStageValues.loadScaled(floatKernels, src, af, m);
    FloatKernels fk = floatKernels;
    // Tall: A = Q R first (the float64 route's criterion), then bidiagonalize the n x n R.
    boolean qr = qrFirst(m, n);
    try (Parallel.Team team = Parallel.team(threads)) {
      if (qr) {
        if (rF.length < n * n) {
          rF = new float[n * n];
          tauQrF = new float[n];
        }
        FloatBidiagonalization.qrToR(fk, m, n, af, m, tauQrF, rF, n, threads);
        FloatBidiagonalization.reduce(fk, n, n, rF, n, dF, eF, tauqF, taupF, panel, crossover, xF, yF, bufF,
            threads);
      } else {
        FloatBidiagonalization.reduce(fk, m, n, af, m, dF, eF, tauqF, taupF, panel, crossover, xF, yF, bufF,
            threads);
      }
    }
    // The bidiagonal in float64, B = Ub diag(s) Vb^T there (n x n each, ld n), exactly as the float64 route. These
    // arrays are the call's own: the float64 route's d and e grow together with its other arrays.
    double[] s = new double[n];
    double[] e64 = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = dF[i];
      e64[i] = i < n - 1 ? eF[i] : 0.0;
    }
    double[] ub = new double[n * n];
    double[] vb = new double[n * n];
    BidiagonalDc.Stats st = bidiagonalSvd(n, s, e64, ub, n, vb, BidiagonalDc.MAX_SECULAR_STEPS);
    int k = full ? m : n;
    FMatrix u = FMatrix.zeros(m, k);
    FMatrix v = FMatrix.zeros(n, n);
    float[] ud = u.data();
    float[] vd = v.data();
    // Ub into the top n x n block of U (ld m), the identity beyond for full U; Vb into V.
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        ud[i + j * m] = (float) ub[i + j * n];
        vd[i + j * n] = (float) vb[i + j * n];
      }
    }
    for (int i = n; i < k; i++) {
      ud[i + i * m] = 1f;
    }
    try (Parallel.Team team = Parallel.team(threads)) {
      if (qr) {
        // U = Q_A [Q_R Ub, 0; 0, I]: the bidiagonalization of R acts on the top n rows, first n columns only.
        FloatBidiagonalization.applyQ(fk, n, n, rF, n, tauqF, ud, 0, m, n, bufF, threads);
        FloatBidiagonalization.applyQ(fk, m, n, af, m, tauQrF, ud, 0, m, k, bufF, threads);
        FloatBidiagonalization.applyP(fk, n, rF, n, taupF, vd, 0, n, n, packedF(n), bufF, threads);
      } else {
        FloatBidiagonalization.applyQ(fk, m, n, af, m, tauqF, ud, 0, m, k, bufF, threads);
        FloatBidiagonalization.applyP(fk, n, af, m, taupF, vd, 0, n, n, packedF(n), bufF, threads);
      }
    }
    for (int i = 0; i < n; i++) {
      s[i] = Math.scalb(s[i], -scale);
    }
    return transposed
        ? new FloatSvdResult(s, v, u, METHOD, st.sweeps, st.residual, st.converged, null)
        : new FloatSvdResult(s, u, v, METHOD, st.sweeps, st.residual, st.converged, null);
  }

  private static void requireThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("SVD threads must be >= 1, not " + threads);
    }
  }

  /**
   * The values and the right singular vectors V ({@code n x n}) of a tall or square A, without forming U (the
   * result's U is null): the preconditioner of {@link JacobiSvd}, which needs only V.
   */
  SvdResult valuesAndRight(DMatrix a) {
    if (a.rows() < a.cols()) {
      throw new IllegalArgumentException("matrix A must not be wide here (" + a.rows() + "x" + a.cols() + ")");
    }
    return compute(a, false, false, 1);
  }

  private SvdResult compute(DMatrix a, boolean full, boolean wantU, int threads) {
    Prepared p = prepareOnTeam(a, threads);
    int m = p.m;
    int n = p.n;
    int k = full ? m : n;
    DoubleKernels kk = kernels;
    DMatrix u = DMatrix.zeros(m, k);
    DMatrix v = DMatrix.zeros(n, n);
    double[] ud = u.data();
    // B = Ub diag(s) Vb^T by divide and conquer, Ub into the top n x n block of U (ld m), Vb into V.
    BidiagonalDc.Stats st = bidiagonalSvd(n, d, e, ud, m, v.data(), BidiagonalDc.MAX_SECULAR_STEPS);
    for (int i = n; i < k; i++) {
      ud[i + i * m] = 1.0;
    }
    // The back-transformations on a team of their own (divide and conquer ran on this thread alone).
    try (Parallel.Team team = Parallel.team(threads)) {
      if (p.qr) {
        // U = Q_A [Q_R Ub, 0; 0, I]: the bidiagonalization of R acts on the top n rows, first n columns only.
        if (wantU) {
          Bidiagonalization.applyQ(kk, n, n, r, n, tauq, ud, 0, m, n, buf, threads);
          Bidiagonalization.applyQ(kk, m, n, this.a, m, tauQr, ud, 0, m, k, buf, threads);
        }
        Bidiagonalization.applyP(kk, n, r, n, taup, v.data(), 0, n, n, packed(n), buf, threads);
      } else {
        if (wantU) {
          Bidiagonalization.applyQ(kk, m, n, this.a, m, tauq, ud, 0, m, k, buf, threads);
        }
        Bidiagonalization.applyP(kk, n, this.a, m, taup, v.data(), 0, n, n, packed(n), buf, threads);
      }
    }
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = Math.scalb(d[i], -p.scale);
    }
    if (p.transposed) {
      return new SvdResult(s, v, u, METHOD, st.sweeps, st.residual, st.converged, null);
    }
    return new SvdResult(s, wantU ? u : null, v, METHOD, st.sweeps, st.residual, st.converged, null);
  }

  /** The configuration, e.g. {@code BidiagonalSvd[simd, panel=32, crossover=128, qrRatioSixths=11]}. */
  @Override
  public String toString() {
    return "BidiagonalSvd[panel=" + panel + ", crossover=" + crossover + ", qrRatioSixths=" + qrRatioSixths
        + ", band=" + (band == AUTO_BAND ? "auto" : String.valueOf(band)) + "]";
  }

  /** The packed right reflectors' workspace, grown on first use with vectors (n^2 / 2). */
  private double[] packed(int n) {
    if (packed.length < Bidiagonalization.packedSize(n)) {
      packed = new double[Bidiagonalization.packedSize(n)];
    }
    return packed;
  }

  /** The float32 route's packed right reflectors, grown on first use (n^2 / 2 floats). */
  private float[] packedF(int n) {
    if (packedF.length < Bidiagonalization.packedSize(n)) {
      packedF = new float[Bidiagonalization.packedSize(n)];
    }
    return packedF;
  }

  private record Prepared(int m, int n, boolean transposed, int scale, boolean qr) {}

  /** {@link #prepare} with its split products on a {@link Parallel.Team} of {@code threads}. */
  private Prepared prepareOnTeam(DMatrix in, int threads) {
    try (Parallel.Team team = Parallel.team(threads)) {
      return prepare(in, threads);
    }
  }

  /** Validates, copies (transposed if wide, scaled if needed) into the workspace, and reduces to bidiagonal. */
  private Prepared prepare(DMatrix in, int threads) {
    requireValid(in);
    boolean transposed = in.rows() < in.cols();
    DMatrix src = transposed ? in.transpose() : in;
    int m = src.rows();
    int n = src.cols();
    ensure(m, n);
    DMatrix w = DMatrix.wrap(a, 0, m, n, m);
    src.copyInto(w);
    double amax = 0.0;
    for (int i = 0; i < m * n; i++) {
      amax = Math.max(amax, Math.abs(a[i]));
    }
    int scale = 0;
    if (amax > 0.0 && (amax < SMALL || amax > BIG)) {
      // A power of two keeps the scaling exact; target the middle of the safe range.
      scale = -Math.getExponent(amax);
      for (int i = 0; i < m * n; i++) {
        a[i] = Math.scalb(a[i], scale);
      }
    }
    DoubleKernels kk = kernels;
    // Tall: A = Q R first, then bidiagonalize the n x n R (fewer flops once m >= 11n/6, LAPACK's mnthr).
    boolean qr = qrFirst(m, n);
    if (qr) {
      if (r.length < n * n) {
        r = new double[n * n];
        tauQr = new double[n];
      }
      Bidiagonalization.qr(kk, m, n, a, m, tauQr, threads);
      Arrays.fill(r, 0, n * n, 0.0);
      for (int j = 0; j < n; j++) {
        System.arraycopy(a, j * m, r, j * n, j + 1);
      }
      Bidiagonalization.reduce(kk, n, n, r, n, d, e, tauq, taup, panel, crossover, x, y, buf, threads);
    } else {
      Bidiagonalization.reduce(kk, m, n, a, m, d, e, tauq, taup, panel, crossover, x, y, buf, threads);
    }
    e[n - 1] = 0.0;
    return new Prepared(m, n, transposed, scale, qr);
  }

  /** QR first for tall inputs ({@code 6 m >= qrRatioSixths n}, dgesdd's mnthr); both precisions. */
  private boolean qrFirst(int m, int n) {
    return n > 1 && (long) qrRatioSixths * n <= 6L * m;
  }

  /** Rejects a null, empty or non-finite A with a message naming it (both routes). */
  static void requireValid(DMatrix in) {
    if (in == null) {
      throw new IllegalArgumentException("matrix A is null");
    }
    requireNonEmpty(in.rows(), in.cols());
    in.requireFinite("matrix A");
  }

  /** The float32 {@link #requireValid(DMatrix)}. */
  static void requireValid(FMatrix in) {
    if (in == null) {
      throw new IllegalArgumentException("matrix A is null");
    }
    requireNonEmpty(in.rows(), in.cols());
    in.requireFinite("matrix A");
  }

  private static void requireNonEmpty(int rows, int cols) {
    if (rows == 0 || cols == 0) {
      throw new IllegalArgumentException(
          "matrix A is empty (" + rows + "x" + cols + "); the SVD needs at least one row and column");
    }
  }

  /**
   * Grows the workspace (never shrinks): a copy of A plus O((m + n) * panel), and for tall inputs the n x n R
   * (so at most twice the input).
   */
  private void ensure(int m, int n) {
    int mn = Math.multiplyExact(m, n);
    if (a.length < mn) {
      a = new double[mn];
    }
    if (d.length < n) {
      d = new double[n];
      e = new double[n];
      tauq = new double[n];
      taup = new double[n];
    }
    int nb = Math.max(panel, 1);
    if (x.length < m * nb) {
      x = new double[m * nb];
    }
    if (y.length < n * nb) {
      y = new double[n * nb];
    }
    int bufLen = bufferLength(m, n, nb);
    if (buf.length < bufLen) {
      buf = new double[bufLen];
    }
  }

  /** The float32 twin of {@link #ensure}: grows the float32 route's workspace, never shrinks it. */
  private void ensureFloat(int m, int n) {
    int mn = Math.multiplyExact(m, n);
    if (af.length < mn) {
      af = new float[mn];
    }
    if (dF.length < n) {
      dF = new float[n];
      eF = new float[n];
      tauqF = new float[n];
      taupF = new float[n];
    }
    int nb = Math.max(panel, 1);
    if (xF.length < m * nb) {
      xF = new float[m * nb];
    }
    if (yF.length < n * nb) {
      yF = new float[n * nb];
    }
    int bufLen = bufferLength(m, n, nb);
    if (bufF.length < bufLen) {
      bufF = new float[bufLen];
    }
  }

  /** Elements of {@code buf}: the panel's row copies (max(m, n) + 2 nb + 2) and the back-transformations' work. */
  private static int bufferLength(int m, int n, int nb) {
    return Math.max(2 * Math.max(m, n) + 2 * nb + 2, Math.max(5 * n, m + n));
  }

  private static DMatrix promote(FMatrix f) {
    if (f == null) {
      throw new IllegalArgumentException("matrix A is null");
    }
    return f.toDouble();
  }

  private static FMatrix demote(DMatrix m) {
    return m == null ? null : m.toFloat();
  }

  private static FloatSvdResult toFloat(SvdResult r) {
    return new FloatSvdResult(r.values(), demote(r.u()), demote(r.v()), r.method(), r.sweeps(), r.residual(),
        r.converged(), r.relativeError());
  }
}
