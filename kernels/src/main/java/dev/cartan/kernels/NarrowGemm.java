package dev.cartan.kernels;

import java.util.Arrays;

/**
 * {@code C := alpha op(A) op(B) + beta C} for a narrow product: C and op(B) have few columns (up to a few GEMM
 * micro-tiles, e.g. the 32 reflectors of a panel) and op(A) is large and read once, like {@code A2^T V} and
 * {@code A2 U} in the two-sided band reduction. {@link Gemm} packs op(A) into micro-panels before multiplying, a
 * copy that pays when each element is reused across many columns of B but here costs about as much as the
 * {@code 2 n} flops per element of A it feeds. This driver computes {@code C^T = op(B)^T op(A)^T} instead: the
 * small {@code op(B)^T} is packed (kept in L2), and the micro-kernel reads op(A) in place. With A plain it is
 * {@link DoubleKernels#gemmMicroKernelStrided}'s 16 x 12 tile on twelve contiguous elements per step; with A a
 * transposed view and C at most {@link DoubleKernels#gemmWideMr()} columns wide, the wide tile
 * ({@link DoubleKernels#gemmMicroKernelWide}: all of C's columns by {@link DoubleKernels#gemmWideNr()} rows of op(A),
 * as many contiguous streams: six, or five on JDKs whose JIT spills the six-column tile).
 * Each tile of {@code C^T} goes to a scratch tile and is added into C transposed; the depth is cut into blocks of
 * {@link #DEPTH_F64} (float32: {@link #DEPTH_F32}) so the rows' block stays in L1 for all the panels of
 * {@code op(B)^T}. Same result as {@link Gemm} up to the summation order (docs/design-notes.md, "Stage 1: narrow
 * GEMMs without packing"). One thread; buffers are per thread.
 */
public final class NarrowGemm {
  /** Depth block (float64): twelve rows of op(A) over 256 steps are 24 KiB, half of L1. */
  static final int DEPTH_F64 = 256;
  /** Depth block (float32): the same bytes. */
  static final int DEPTH_F32 = 512;

  private static final ThreadLocal<DoubleWork> F64_WORK = ThreadLocal.withInitial(DoubleWork::new);
  private static final ThreadLocal<FloatWork> F32_WORK = ThreadLocal.withInitial(FloatWork::new);

  private NarrowGemm() {}

  /**
   * {@code C := alpha op(A) op(B) + beta C} in float64 (the contract of
   * {@link Gemm#gemm(double, DMatrix, DMatrix, double, DMatrix)}: any operand may be a transposed view,
   * {@code beta = 0} overwrites C, C must not share elements with A or B), without packing op(A).
   *
   * @throws IllegalArgumentException if a matrix is null or the shapes do not match
   */
  public static void gemm(double alpha, DMatrix a, DMatrix b, double beta, DMatrix c) {
    gemm(KernelProvider.get().f64(), alpha, a, b, beta, c);
  }

  /** {@link #gemm(double, DMatrix, DMatrix, double, DMatrix)} on the given primitives (tests drive each provider). */
  static void gemm(DoubleKernels k, double alpha, DMatrix a, DMatrix b, double beta, DMatrix c) {
    Gemm.requireNonNull(a, b, c);
    Gemm.checkShapes(a.rows(), a.cols(), b.rows(), b.cols(), c.rows(), c.cols());
    int m = c.rows();
    int n = c.cols();
    int kk = a.cols();
    if (m == 0 || n == 0) {
      return;
    }
    // beta C on C's storage, which is plain column-major either way round.
    boolean ct = c.isTransposed();
    Gemm.scale(beta, c.data(), c.offset(), c.ld(), ct ? n : m, ct ? m : n);
    if (kk == 0 || alpha == 0.0) {
      return;
    }
    // The wide tile when it covers all of C's columns and the twelve-column tile would need strided broadcasts
    // (A transposed); with a plain A the 16 x 12 tile with constant offsets measured faster (83 against 66 GF/s).
    boolean wide = n <= k.gemmWideMr() && a.isTransposed();
    int mr = wide ? k.gemmWideMr() : k.gemmMr();
    int nr = wide ? k.gemmWideNr() : k.gemmNr();
    int panels = (n + mr - 1) / mr;
    int depth = Math.min(DEPTH_F64, kk);
    DoubleWork ws = F64_WORK.get().ensure(panels * mr * depth, nr * depth, panels * mr * nr);
    double[] ap = ws.small;
    double[] tile = ws.tile;
    double[] ad = a.data();
    double[] cd = c.data();
    int aRs = a.isTransposed() ? a.ld() : 1;
    int aCs = a.isTransposed() ? 1 : a.ld();
    int cRs = ct ? c.ld() : 1;
    int cCs = ct ? 1 : c.ld();
    for (int pc = 0; pc < kk; pc += depth) {
      int kc = Math.min(depth, kk - pc);
      packTransposed(b, pc, kc, n, alpha, mr, ap);
      for (int jr = 0; jr < m; jr += nr) {
        int rows = Math.min(nr, m - jr);
        // The micro-kernel's B is op(A)^T: its element (p, j) is op(A)(jr + j, pc + p), read where it lies.
        double[] src = ad;
        int off = a.offset() + jr * aRs + pc * aCs;
        int rs = aCs;
        int cs = aRs;
        if (rows < nr) {
          // Last rows of op(A): copied into a zero-padded kc x nr block so the kernel reads nothing outside A.
          src = ws.edge;
          for (int p = 0; p < kc; p++) {
            for (int j = 0; j < nr; j++) {
              src[p * nr + j] = j < rows ? ad[off + p * rs + j * cs] : 0.0;
            }
          }
          off = 0;
          rs = nr;
          cs = 1;
        }
        Arrays.fill(tile, 0, panels * mr * nr, 0.0);
        if (wide) {
          k.gemmMicroKernelWide(kc, ap, 0, src, off, rs, cs, tile, 0, mr);
        }
        for (int q = 0; q < panels && !wide; q++) {
          k.gemmMicroKernelStrided(kc, ap, q * mr * kc, src, off, rs, cs, tile, q * mr * nr, mr);
        }
        // Tile q holds C^T(q mr + i, jr + j) = C(jr + j, q mr + i) at i + j mr.
        for (int q = 0; q < panels; q++) {
          int cols = Math.min(mr, n - q * mr);
          for (int i = 0; i < cols; i++) {
            int t = q * mr * nr + i;
            int o = c.offset() + jr * cRs + (q * mr + i) * cCs;
            for (int j = 0; j < rows; j++) {
              cd[o + j * cRs] += tile[t + j * mr];
            }
          }
        }
      }
    }
  }

  /**
   * Packs {@code alpha op(B)(pc .. pc+kc, 0 .. n)^T} into {@code ceil(n / mr)} micro-panels of mr rows (the layout
   * of {@link DoubleKernels#gemmMicroKernel}'s A panel, depth kc), rows past n zero.
   */
  private static void packTransposed(DMatrix b, int pc, int kc, int n, double alpha, int mr, double[] dst) {
    double[] bd = b.data();
    int bRs = b.isTransposed() ? b.ld() : 1;
    int bCs = b.isTransposed() ? 1 : b.ld();
    int panels = (n + mr - 1) / mr;
    for (int q = 0; q < panels; q++) {
      int base = q * mr * kc;
      for (int i = 0; i < mr; i++) {
        int col = q * mr + i;
        if (col >= n) {
          for (int p = 0; p < kc; p++) {
            dst[base + p * mr + i] = 0.0;
          }
          continue;
        }
        int s = b.offset() + pc * bRs + col * bCs;
        for (int p = 0; p < kc; p++) {
          dst[base + p * mr + i] = alpha * bd[s + p * bRs];
        }
      }
    }
  }

  /** Per-thread buffers (packed op(B)^T, the edge block, the tiles), reused and grown only when needed. */
  private static final class DoubleWork {
    double[] small = new double[0];
    double[] edge = new double[0];
    double[] tile = new double[0];

    DoubleWork ensure(int smallLen, int edgeLen, int tileLen) {
      if (small.length < smallLen) {
        small = new double[smallLen];
      }
      if (edge.length < edgeLen) {
        edge = new double[edgeLen];
      }
      if (tile.length < tileLen) {
        tile = new double[tileLen];
      }
      return this;
    }
  }

  /**
   * {@code C := alpha op(A) op(B) + beta C} in float32 (the contract of
   * {@link Gemm#gemm(float, FMatrix, FMatrix, float, FMatrix)}: any operand may be a transposed view, {@code beta = 0}
   * overwrites C, C must not share elements with A or B), without packing op(A).
   *
   * @throws IllegalArgumentException if a matrix is null or the shapes do not match
   */
  public static void gemm(float alpha, FMatrix a, FMatrix b, float beta, FMatrix c) {
    gemm(KernelProvider.get().f32(), alpha, a, b, beta, c);
  }

  /** {@link #gemm(float, FMatrix, FMatrix, float, FMatrix)} on the given primitives (tests drive each provider). */
  static void gemm(FloatKernels k, float alpha, FMatrix a, FMatrix b, float beta, FMatrix c) {
    Gemm.requireNonNull(a, b, c);
    Gemm.checkShapes(a.rows(), a.cols(), b.rows(), b.cols(), c.rows(), c.cols());
    int m = c.rows();
    int n = c.cols();
    int kk = a.cols();
    if (m == 0 || n == 0) {
      return;
    }
    // beta C on C's storage, which is plain column-major either way round.
    boolean ct = c.isTransposed();
    Gemm.scale(beta, c.data(), c.offset(), c.ld(), ct ? n : m, ct ? m : n);
    if (kk == 0 || alpha == 0f) {
      return;
    }
    // The wide tile as in float64: all of C's columns, no strided twelve-column broadcasts (float32 stage 1 at
    // 1024^2, the same JVM alternating: 30.9 -> 30.2 and 39.9 -> 38.0 ms).
    boolean wide = n <= k.gemmWideMr() && a.isTransposed();
    int mr = wide ? k.gemmWideMr() : k.gemmMr();
    int nr = wide ? k.gemmWideNr() : k.gemmNr();
    int panels = (n + mr - 1) / mr;
    int depth = Math.min(DEPTH_F32, kk);
    FloatWork ws = F32_WORK.get().ensure(panels * mr * depth, nr * depth, panels * mr * nr);
    float[] ap = ws.small;
    float[] tile = ws.tile;
    float[] ad = a.data();
    float[] cd = c.data();
    int aRs = a.isTransposed() ? a.ld() : 1;
    int aCs = a.isTransposed() ? 1 : a.ld();
    int cRs = ct ? c.ld() : 1;
    int cCs = ct ? 1 : c.ld();
    for (int pc = 0; pc < kk; pc += depth) {
      int kc = Math.min(depth, kk - pc);
      packTransposed(b, pc, kc, n, alpha, mr, ap);
      for (int jr = 0; jr < m; jr += nr) {
        int rows = Math.min(nr, m - jr);
        // The micro-kernel's B is op(A)^T: its element (p, j) is op(A)(jr + j, pc + p), read where it lies.
        float[] src = ad;
        int off = a.offset() + jr * aRs + pc * aCs;
        int rs = aCs;
        int cs = aRs;
        if (rows < nr) {
          // Last rows of op(A): copied into a zero-padded kc x nr block so the kernel reads nothing outside A.
          src = ws.edge;
          for (int p = 0; p < kc; p++) {
            for (int j = 0; j < nr; j++) {
              src[p * nr + j] = j < rows ? ad[off + p * rs + j * cs] : 0f;
            }
          }
          off = 0;
          rs = nr;
          cs = 1;
        }
        Arrays.fill(tile, 0, panels * mr * nr, 0f);
        if (wide) {
          k.gemmMicroKernelWide(kc, ap, 0, src, off, rs, cs, tile, 0, mr);
        }
        for (int q = 0; q < panels && !wide; q++) {
          k.gemmMicroKernelStrided(kc, ap, q * mr * kc, src, off, rs, cs, tile, q * mr * nr, mr);
        }
        // Tile q holds C^T(q mr + i, jr + j) = C(jr + j, q mr + i) at i + j mr.
        for (int q = 0; q < panels; q++) {
          int cols = Math.min(mr, n - q * mr);
          for (int i = 0; i < cols; i++) {
            int t = q * mr * nr + i;
            int o = c.offset() + jr * cRs + (q * mr + i) * cCs;
            for (int j = 0; j < rows; j++) {
              cd[o + j * cRs] += tile[t + j * mr];
            }
          }
        }
      }
    }
  }

  /**
   * Packs {@code alpha op(B)(pc .. pc+kc, 0 .. n)^T} into {@code ceil(n / mr)} micro-panels of mr rows (the layout
   * of {@link FloatKernels#gemmMicroKernel}'s A panel, depth kc), rows past n zero.
   */
  private static void packTransposed(FMatrix b, int pc, int kc, int n, float alpha, int mr, float[] dst) {
    float[] bd = b.data();
    int bRs = b.isTransposed() ? b.ld() : 1;
    int bCs = b.isTransposed() ? 1 : b.ld();
    int panels = (n + mr - 1) / mr;
    for (int q = 0; q < panels; q++) {
      int base = q * mr * kc;
      for (int i = 0; i < mr; i++) {
        int col = q * mr + i;
        if (col >= n) {
          for (int p = 0; p < kc; p++) {
            dst[base + p * mr + i] = 0f;
          }
          continue;
        }
        int s = b.offset() + pc * bRs + col * bCs;
        for (int p = 0; p < kc; p++) {
          dst[base + p * mr + i] = alpha * bd[s + p * bRs];
        }
      }
    }
  }

  /** Per-thread buffers (packed op(B)^T, the edge block, the tiles), reused and grown only when needed. */
  private static final class FloatWork {
    float[] small = new float[0];
    float[] edge = new float[0];
    float[] tile = new float[0];

    FloatWork ensure(int smallLen, int edgeLen, int tileLen) {
      if (small.length < smallLen) {
        small = new float[smallLen];
      }
      if (edge.length < edgeLen) {
        edge = new float[edgeLen];
      }
      if (tile.length < tileLen) {
        tile = new float[tileLen];
      }
      return this;
    }
  }
}
