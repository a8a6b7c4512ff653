package dev.cartan.kernels;

/**
 * Primes the JIT for a long run: calls every float64 (and, when asked, float32) primitive of this JVM's provider
 * on small inputs, often enough that HotSpot's optimizing compiler (C2) takes them before the run's first large
 * matrix arrives.
 *
 * <p>Why: the SIMD primitives are fast only once C2 has compiled them. Before that they run interpreted or in C1
 * code, where every Vector API operation is a call that allocates (the first 768 x 768 fast SVD of a fresh JVM
 * spends ~3 s of CPU there, ~50 ms afterwards). HotSpot compiles a method with C2 after about 600 calls whose
 * loops add up to ~15 000 iterations (or 5 000 calls): counts, not time. A large matrix reaches those counts
 * with long loops (a GEMM micro-kernel call of depth 256 is 6 000 vector multiply-adds, and its first ~600 calls
 * all run slowly; the long loops also trigger separate on-stack-replacement compilations of the same kernels).
 * Here the same counts are reached with loops of ~20 iterations, an order of magnitude less slow work, and
 * without on-stack replacement (docs/design-notes.md, "JIT warm-up of the primitives").
 *
 * <p>Sizes cycle through the scalar short path, the vector loops and their tails, and column counts around the
 * primitives' four-column blocks, so the compiled code has seen every branch the real sizes take (a branch never
 * taken during profiling is compiled as a trap that later throws the code away). With the scalar provider the
 * calls are cheap and prime the scalar loops instead. Library code: prints nothing and has no effect on results.
 */
public final class Warmup {
  /**
   * Calls of each primitive: above the ~600 calls (with ~15 000 loop iterations) of the C2 thresholds, with room
   * for their growth while C2's queue is long (HotSpot scales them with the queue). Rounds after the compiled code
   * is installed cost microseconds; 1200 rounds left some kernels to the run's first matrix (docs/benchmarks.md).
   */
  public static final int ROUNDS = 2000;

  /** Vector lengths (and matrix rows): below the SIMD threshold of 16, one vector tail, several vectors + tail. */
  private static final int[] LENGTHS = {7, 21, 45, Warmup.MAX_LENGTH};

  private static final int MAX_LENGTH = 70;

  /** Most columns of the matrix primitives' calls. */
  private static final int COLUMNS = 7;

  /** Depth of the GEMM micro-kernel calls: ~20 steps, the cheapest way to the C2 thresholds. */
  private static final int DEPTH = 20;

  private Warmup() {}

  /**
   * Primes this JVM's float64 primitives, and the float32 ones when {@code float32}, with {@code rounds} calls of
   * each. The JIT's counters are shared: several threads running this at once reach the thresholds sooner.
   *
   * @param rounds calls of each primitive, {@code >= 0} ({@link #ROUNDS} for the full warm-up)
   * @param float32 whether to prime the float32 primitives as well
   * @return a checksum of the outputs (finite; its value has no meaning)
   * @throws IllegalArgumentException if {@code rounds < 0}
   */
  public static double primitives(int rounds, boolean float32) {
    if (rounds < 0) {
      throw new IllegalArgumentException("need rounds >= 0; got rounds=" + rounds);
    }
    KernelProvider p = KernelProvider.get();
    double sum = f64(p.f64(), rounds);
    if (float32) {
      sum += f32(p.f32(), rounds);
    }
    return sum;
  }

  /** The float64 rounds on {@code k} (tests drive each provider). */
  static double f64(DoubleKernels k, int rounds) {
    int mr = k.gemmMr();
    int nr = k.gemmNr();
    int wide = Math.max(k.gemmWideMr(), 1);
    double[] x = new double[MAX_LENGTH];
    double[] y = new double[MAX_LENGTH];
    double[] c = new double[MAX_LENGTH * COLUMNS];
    double[] w = new double[MAX_LENGTH];
    double[] out = new double[3];
    double[] pa = new double[panelA(mr, wide)];
    double[] pb = new double[panelB(nr)];
    double[] tile = new double[tile(mr, nr, wide)];
    java.util.Arrays.fill(pa, 0.25);
    java.util.Arrays.fill(pb, 0.5);
    double sum = 0.0;
    for (int r = 0; r < rounds; r++) {
      int n = length(r);
      int nc = columns(r);
      int kc = depth(r);
      // Fresh, bounded values each round: the checksum stays finite and no call sees zeros only.
      java.util.Arrays.fill(x, 1.0 + (r & 7));
      java.util.Arrays.fill(y, 0.5);
      java.util.Arrays.fill(c, 0.125);
      sum += k.dot(n, x, 0, y, 0) + k.amax(n, x, 0) + k.sumSquares(n, y, 0) + k.nrm2(n, x, 0);
      k.axpy(n, -0.5, x, 0, y, 0);
      k.scal(n, 0.75, y, 0);
      k.rotate(n, x, 0, y, 0, 0.8, 0.6, out);
      k.rot(n, x, 0, y, 0, 0.6, 0.8);
      double tau = k.householder(n, x, 0);
      k.applyHouseholderLeft(n, nc, x, 0, tau, c, 0, n, w);
      k.applyHouseholderRight(n, nc, x, 0, tau, c, 0, n, w);
      k.reflectLeft(n, nc, y, 0, 0.5, c, 0, n, w);
      k.reflectRight(n, nc, y, 0, 0.5, c, 0, n, w);
      k.gemv(n, nc, 1.0, c, 0, n, x, 0, 0.5, y, 0);
      k.gemvTransposed(n, nc, 1.0, c, 0, n, y, 0, 0.0, w, 0);
      sum += out[0] + out[2] + tau + w[0] + y[n - 1];
      // The three B layouts of the micro-kernels: packed, rows contiguous (cs = 1), and a transposed view's.
      java.util.Arrays.fill(tile, 0.0);
      k.gemmMicroKernel(kc, pa, 0, pb, 0, tile, 0, mr);
      k.gemmMicroKernelStrided(kc, pa, 0, pb, 0, nr, 1, tile, 0, mr);
      k.gemmMicroKernelStrided(kc, pa, 0, pb, 0, 1, kc + 1, tile, 0, mr);
      sum += tile[mr * nr - 1];
      if (k.gemmWideMr() > 0) {
        k.gemmMicroKernelWide(kc, pa, 0, pb, 0, 1, kc + 1, tile, 0, wide);
        sum += tile[0];
      }
    }
    return sum;
  }

  /** The float32 rounds on {@code k}: the same calls on float arrays. */
  static double f32(FloatKernels k, int rounds) {
    float[] x = new float[MAX_LENGTH];
    float[] y = new float[MAX_LENGTH];
    float[] c = new float[MAX_LENGTH * COLUMNS];
    float[] w = new float[MAX_LENGTH];
    double[] out = new double[3];
    int mr = k.gemmMr();
    int nr = k.gemmNr();
    int wide = Math.max(k.gemmWideMr(), 1);
    float[] pa = new float[panelA(mr, wide)];
    float[] pb = new float[panelB(nr)];
    float[] tile = new float[tile(mr, nr, wide)];
    java.util.Arrays.fill(pa, 0.25f);
    java.util.Arrays.fill(pb, 0.5f);
    double sum = 0.0;
    for (int r = 0; r < rounds; r++) {
      int n = length(r);
      int nc = columns(r);
      int kc = depth(r);
      java.util.Arrays.fill(x, 1f + (r & 7));
      java.util.Arrays.fill(y, 0.5f);
      java.util.Arrays.fill(c, 0.125f);
      sum += k.dot(n, x, 0, y, 0) + k.amax(n, x, 0) + k.sumSquares(n, y, 0) + k.nrm2(n, x, 0);
      k.axpy(n, -0.5f, x, 0, y, 0);
      k.scal(n, 0.75f, y, 0);
      k.rotate(n, x, 0, y, 0, 0.8f, 0.6f, out);
      float tau = k.householder(n, x, 0);
      k.applyHouseholderLeft(n, nc, x, 0, tau, c, 0, n, w);
      k.applyHouseholderRight(n, nc, x, 0, tau, c, 0, n, w);
      k.gemv(n, nc, 1f, c, 0, n, x, 0, 0.5f, y, 0);
      k.gemvTransposed(n, nc, 1f, c, 0, n, y, 0, 0f, w, 0);
      sum += out[0] + out[2] + tau + w[0] + y[n - 1];
      java.util.Arrays.fill(tile, 0f);
      k.gemmMicroKernel(kc, pa, 0, pb, 0, tile, 0, mr);
      k.gemmMicroKernelStrided(kc, pa, 0, pb, 0, nr, 1, tile, 0, mr);
      k.gemmMicroKernelStrided(kc, pa, 0, pb, 0, 1, kc + 1, tile, 0, mr);
      sum += tile[mr * nr - 1];
      if (k.gemmWideMr() > 0) {
        k.gemmMicroKernelWide(kc, pa, 0, pb, 0, 1, kc + 1, tile, 0, wide);
        sum += tile[0];
      }
    }
    return sum;
  }

  /** Vector length (matrix rows) of round r. */
  private static int length(int r) {
    return LENGTHS[r % LENGTHS.length];
  }

  /** Matrix columns of round r: 1 to {@link #COLUMNS}, around the primitives' blocks of four. */
  private static int columns(int r) {
    return 1 + r % COLUMNS;
  }

  /** Micro-kernel depth of round r. */
  private static int depth(int r) {
    return DEPTH - (r & 3);
  }

  /** Elements of the packed A panel for both tiles. */
  private static int panelA(int mr, int wide) {
    return Math.max(mr, wide) * DEPTH;
  }

  /** Elements of B: {@code max(nr, 6)} columns at stride {@code DEPTH + 1} (the transposed layout) or rows of nr. */
  private static int panelB(int nr) {
    return Math.max(nr, 6) * (DEPTH + 1);
  }

  /** Elements of the scratch tile for both tiles. */
  private static int tile(int mr, int nr, int wide) {
    return Math.max(mr * nr, wide * 6);
  }
}
