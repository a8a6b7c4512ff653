package dev.cartan.kernels.svd;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.DoubleKernels;
import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.FloatKernels;
import dev.cartan.kernels.KernelProvider;
import dev.cartan.kernels.Parallel;

/**
 * Singular values by the two-stage reduction: dense to upper band ({@link BandReduction}, GEMM-rich), band to
 * bidiagonal ({@link BandBidiagonal}, bulge chasing in a cache-resident band), then {@link Dqds}. The values-only
 * route of {@link BidiagonalSvd}; the reasons and the bandwidth's measurement are in docs/design-notes.md
 * ("Two-stage reduction for values").
 *
 * <p>Steps: copy (transposed if wide, so {@code m >= n}), scale by a power of two when the largest entry is outside
 * dgesdd's safe range, QR first when {@code 6 m >= qrRatioSixths n} (then reduce the {@code n x n} R), reduce to a
 * band of width b, chase to bidiagonal, dqds, scale back. Backward stable like the one-stage route: every step is
 * orthogonal, so {@code |s_i - s_i(exact)| <= c(m, n) eps ||A||_2}.
 *
 * <p>Workspace (kept, grown on demand): a copy of A, the {@code n x n} R for tall inputs, the band
 * ({@code n (3b + 1)} doubles) and {@code O(n b)} more. Not thread-safe; package-private.
 */
final class TwoStageValues {
  private static final double SMALL = Math.sqrt(Double.MIN_NORMAL) / Math.ulp(1.0);
  private static final double BIG = 1.0 / SMALL;
  /** The float32 analogues of SMALL and BIG (sgesdd's limits): about 9.1e-13 and 1.1e12. */
  static final float SMALL_F32 = (float) Math.sqrt(Float.MIN_NORMAL) / Math.ulp(1f);
  static final float BIG_F32 = 1f / SMALL_F32;

  private final DoubleKernels kernels;
  private final FloatKernels floatKernels;
  /** The band of every call, or {@link BidiagonalSvd#AUTO_BAND} to take {@link #autoBand} of each order. */
  private final int fixedBand;
  private final int registers;
  /** This call's band. */
  private int bandwidth;
  private final int qrRatioSixths;
  private final BandReduction stage1 = new BandReduction();
  private FloatBandReduction floatStage1;
  private double[] a = new double[0];
  private double[] r = new double[0];
  private double[] tauQr = new double[0];
  private float[] af = new float[0];
  private float[] rf = new float[0];
  private float[] tauQrF = new float[0];
  private double[] band = new double[0];
  private double[] d = new double[0];
  private double[] e = new double[0];
  private double[] work = new double[0];

  TwoStageValues(KernelProvider provider, int band, int qrRatioSixths) {
    this.kernels = provider.f64();
    this.floatKernels = provider.f32();
    this.fixedBand = band;
    this.registers = provider.vectorRegisters();
    this.qrRatioSixths = qrRatioSixths;
  }

  /**
   * Orders up to this many take {@link BidiagonalSvd#NARROW_FILE_BAND} when the kernels have 16 vector registers
   * (docs/design-notes.md, "Bandwidth on 16 registers").
   */
  static final int NARROW_FILE_MAX_ORDER = 1024;

  /**
   * The default band for the reduced order n ({@code min(m, n)}) on kernels with {@code registers} vector registers:
   * {@link BidiagonalSvd#NARROW_FILE_BAND} on 16 registers up to {@link #NARROW_FILE_MAX_ORDER}, else
   * {@link BidiagonalSvd#DEFAULT_BAND}.
   */
  static int autoBand(int registers, int n) {
    return registers == 16 && n <= NARROW_FILE_MAX_ORDER ? BidiagonalSvd.NARROW_FILE_BAND : BidiagonalSvd.DEFAULT_BAND;
  }

  /** The band this instance uses for order n. */
  int bandFor(int n) {
    return fixedBand == BidiagonalSvd.AUTO_BAND ? autoBand(registers, n) : fixedBand;
  }

  /**
   * The singular values of {@code in} (validated here), descending, in an {@link SvdResult} without vectors; the
   * QR's trailing updates and stage 1's products that read the trailing block on up to {@code threads} threads
   * (the panels, the chase and dqds on the calling thread). The values do not depend on the thread count.
   */
  SvdResult compute(DMatrix in, String method, int threads) {
    BidiagonalSvd.requireValid(in);
    DMatrix src = in.rows() < in.cols() ? in.transpose() : in;
    int m = src.rows();
    int n = src.cols();
    int lda = pad ? leading(m, Double.BYTES) : m;
    int scale = loadScaled(src, lda);
    DoubleKernels k = kernels;
    bandwidth = bandFor(n);
    int b = bandwidth;
    stage1.threads = threads;
    // The helpers spin through the GEMM-rich steps only, not through the chase and dqds.
    try (Parallel.Team team = Parallel.team(threads)) {
      if (qrFirst(m, n)) {
        int ldr = pad ? leading(n, Double.BYTES) : n;
        if (r.length < Math.multiplyExact(ldr, n)) {
          r = new double[ldr * n];
          tauQr = new double[n];
        }
        Bidiagonalization.qr(k, m, n, a, lda, tauQr, threads);
        for (int j = 0; j < n; j++) {
          System.arraycopy(a, j * lda, r, j * ldr, j + 1);
          java.util.Arrays.fill(r, j * ldr + j + 1, (j + 1) * ldr, 0.0);
        }
        stage1.reduce(k, n, n, r, ldr, b);
        BandReduction.copyBand(n, b, r, ldr, band(n), 3 * b);
      } else {
        stage1.reduce(k, m, n, a, lda, b);
        BandReduction.copyBand(n, b, a, lda, band(n), 3 * b);
      }
    }
    return chase(n, scale, method);
  }

  /** Pads the work arrays' leading dimensions ({@link #leading}); off only for the profiler's A/B runs. */
  boolean pad = true;

  /**
   * The leading dimension of a work array with {@code rows} rows of {@code bytes}-byte elements: rows, or rows plus
   * one 64-byte cache line when a column is a multiple of 512 bytes (and at least {@link #PAD_MIN_BYTES}). Stage 1's
   * narrow products touch one line in each of hundreds of columns before reusing them; columns a multiple of 4 KiB
   * apart put all those lines into one L1 set and few L2 sets (docs/design-notes.md, "Padded leading dimensions in
   * the values route"). The values do not change, only where the columns lie.
   */
  static int leading(int rows, int bytes) {
    long column = (long) rows * bytes;
    return column >= PAD_MIN_BYTES && column % 512 == 0 ? rows + 64 / bytes : rows;
  }

  /**
   * Shorter columns are not padded: below 256 float64 rows a square work array fits in L2 (512 KiB) whatever the
   * sets. Not measured either way.
   */
  static final int PAD_MIN_BYTES = 2048;

  /**
   * Elements per {@code amax} call of {@code loadScaled}. One call over a whole large matrix (38 M elements for a
   * 50257 x 768 embedding) that starts before C2 has compiled {@code amax} stays in the slow tier for the whole scan
   * (Vector API code outside C2 allocates per operation): about 2 s of CPU at the start of a {@code cartan analyze}. In
   * chunks, each call after C2 installs the method runs compiled (docs/design-notes.md, "Cold first calls").
   */
  static final int AMAX_CHUNK = 1 << 15;

  /** The largest magnitude in {@code x[0 .. n)} (finite input), by calls of at most {@link #AMAX_CHUNK} elements. */
  static double amax(DoubleKernels k, int n, double[] x) {
    double amax = 0.0;
    for (int off = 0; off < n; ) {
      int len = Math.min(AMAX_CHUNK, n - off);
      amax = Math.max(amax, k.amax(len, x, off));
      off += len; // never past n, so no overflow near Integer.MAX_VALUE
    }
    return amax;
  }

  /** The float32 {@link #amax(DoubleKernels, int, double[])}. */
  static float amax(FloatKernels k, int n, float[] x) {
    float amax = 0f;
    for (int off = 0; off < n; ) {
      int len = Math.min(AMAX_CHUNK, n - off);
      amax = Math.max(amax, k.amax(len, x, off));
      off += len; // never past n, so no overflow near Integer.MAX_VALUE
    }
    return amax;
  }

  /**
   * Copies {@code src} ({@code m >= n}) into {@link #a} (ld lda, the padding rows zero) and scales it by a power of
   * two (exact) into [1, 2) when its largest magnitude is outside [SMALL, BIG]; returns the exponent applied.
   */
  private int loadScaled(DMatrix src, int lda) {
    int rows = src.rows();
    int mn = Math.multiplyExact(lda, src.cols());
    if (a.length < mn) {
      a = new double[mn];
    }
    src.copyInto(DMatrix.wrap(a, 0, rows, src.cols(), lda));
    for (int j = 0; j < src.cols() && lda > rows; j++) {
      java.util.Arrays.fill(a, j * lda + rows, (j + 1) * lda, 0.0);
    }
    double amax = amax(kernels, mn, a);
    if (amax == 0.0 || (amax >= SMALL && amax <= BIG)) {
      return 0;
    }
    int scale = -Math.getExponent(amax);
    kernels.scal(mn, Math.scalb(1.0, scale), a, 0);
    return scale;
  }

  /**
   * The singular values of the float32 {@code in} (validated here): the GEMM-rich steps (the QR of tall inputs and
   * the reduction to band) in float32 ({@link FloatBidiagonalization#qrToR}, {@link FloatBandReduction}), then the
   * band widened to float64 for the chase and dqds, which are as accurate as on the float64 route. Values in
   * float64, accurate to {@code c(m, n) u_f32 sigma_1} (docs/design-notes.md, "Native float32 values route").
   * Threads as in {@link #compute(DMatrix, String, int)}.
   */
  SvdResult compute(FMatrix in, String method, int threads) {
    BidiagonalSvd.requireValid(in);
    FMatrix src = in.rows() < in.cols() ? in.transpose() : in;
    int m = src.rows();
    int n = src.cols();
    int lda = pad ? leading(m, Float.BYTES) : m;
    int scale = loadScaled(src, lda);
    bandwidth = bandFor(n);
    if (floatStage1 == null) {
      floatStage1 = new FloatBandReduction();
    }
    float[] top = af;
    int rows = m;
    int ldTop = lda;
    floatStage1.threads = threads;
    try (Parallel.Team team = Parallel.team(threads)) {
      if (qrFirst(m, n)) {
        rows = n;
        ldTop = pad ? leading(n, Float.BYTES) : n;
        qrToR(m, n, lda, ldTop, threads);
        top = rf;
      }
      floatStage1.reduce(floatKernels, rows, n, top, ldTop, bandwidth);
      FloatBandReduction.copyBand(n, bandwidth, top, ldTop, band(n), 3 * bandwidth);
    }
    return chase(n, scale, method);
  }

  /** The float32 {@link #loadScaled(DMatrix, int)} into {@link #af} (ld lda), with sgesdd's limits. */
  private int loadScaled(FMatrix src, int lda) {
    int mn = Math.multiplyExact(lda, src.cols());
    if (af.length < mn) {
      af = new float[mn];
    }
    return loadScaled(floatKernels, src, af, lda);
  }

  /**
   * Copies the float32 {@code src} into {@code dst} (column-major, ld {@code ld >= src.rows()}, the padding rows
   * zero, at least {@code ld * cols} long) and scales it by a power of two (exact) so that its largest magnitude lies
   * in [1, 2) when that magnitude is outside sgesdd's safe range [{@link #SMALL_F32}, {@link #BIG_F32}]; returns the
   * exponent applied (0 when none). Shared by the float32 values route and {@link BidiagonalSvd}'s float32 vectors
   * route.
   */
  static int loadScaled(FloatKernels k, FMatrix src, float[] dst, int ld) {
    int rows = src.rows();
    int mn = ld * src.cols();
    src.copyInto(FMatrix.wrap(dst, 0, rows, src.cols(), ld));
    for (int j = 0; j < src.cols() && ld > rows; j++) {
      java.util.Arrays.fill(dst, j * ld + rows, (j + 1) * ld, 0f);
    }
    float amax = amax(k, mn, dst);
    if (amax == 0f || (amax >= SMALL_F32 && amax <= BIG_F32)) {
      return 0;
    }
    int scale = -Math.getExponent(amax);
    k.scal(mn, Math.scalb(1f, scale), dst, 0);
    return scale;
  }

  /** The float32 recursive QR of the {@code m x n} {@link #af} (ld lda), R (zeros below) into {@link #rf} (ld ldr). */
  private void qrToR(int m, int n, int lda, int ldr, int threads) {
    if (rf.length < Math.multiplyExact(ldr, n)) {
      rf = new float[ldr * n];
      tauQrF = new float[n];
    }
    FloatBidiagonalization.qrToR(floatKernels, m, n, af, lda, tauQrF, rf, ldr, threads);
  }

  /** QR first for tall inputs ({@code 6 m >= qrRatioSixths n}, dgesdd's mnthr); both precisions. */
  private boolean qrFirst(int m, int n) {
    return n > 1 && (long) qrRatioSixths * n <= 6L * m;
  }

  /**
   * The float64 tail shared by both precisions: the band (filled by the caller into {@link #band}) chased to
   * bidiagonal, dqds, and the values scaled back by {@code 2^-scale}.
   */
  private SvdResult chase(int n, int scale, String method) {
    int b = bandwidth;
    BandBidiagonal.reduce(kernels, n, b, band, 0, 3 * b, d, e, work);
    e[n - 1] = 0.0;
    Dqds.Stats st = Dqds.singularValues(n, d, e, work);
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = Math.scalb(d[i], -scale);
    }
    return new SvdResult(s, null, null, method, st.steps, st.residual, st.converged, null);
  }

  /** The band storage for order n (and the chase's d, e and work), grown on demand. */
  private double[] band(int n) {
    int b = bandwidth;
    if (d.length < n) {
      d = new double[n];
      e = new double[n];
    }
    int bandLen = BandBidiagonal.bandSize(n, 3 * b);
    if (band.length < bandLen) {
      band = new double[bandLen];
    }
    work(Math.max(5 * n, BandBidiagonal.workSize(b)));
    return band;
  }

  private double[] work(int len) {
    if (work.length < len) {
      work = new double[len];
    }
    return work;
  }
}
