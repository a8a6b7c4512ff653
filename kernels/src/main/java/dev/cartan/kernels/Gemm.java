package dev.cartan.kernels;

import java.util.Arrays;

/**
 * General matrix multiply {@code C := alpha op(A) op(B) + beta C} on {@link DMatrix}/{@link FMatrix} views, any of
 * which may be transposed views (so {@code A^T B} is {@code gemm(alpha, a.transpose(), b, beta, c)}).
 *
 * <p>The algorithm is Goto and van de Geijn's ("Anatomy of high-performance matrix multiplication", ACM TOMS
 * 34(3), 2008, sections 4-6; the loop names follow BLIS, Van Zee and van de Geijn, ACM TOMS 41(3), 2015): for
 * each {@code nc}-column block of B and {@code kc}-row block of it, pack {@code B[pc.., jc..]} into
 * {@code nr}-column micro-panels (kept in L3/L2); for each {@code mc}-row block of A, pack
 * {@code alpha A[ic.., pc..]} into {@code mr}-row micro-panels (kept in L2); then sweep {@code mr x nr} tiles of C
 * with the provider's micro-kernel, whose B micro-panel stays in L1 while A micro-panels stream from L2. Packing
 * reads through the views' strides, so transposed operands cost nothing extra; edge panels are zero-padded and
 * their tiles go through a scratch tile, so the micro-kernel only ever sees full tiles. Block sizes:
 * docs/design-notes.md, "GEMM blocking".
 *
 * <p>Packing buffers live in a per-thread workspace that grows when a call needs more and is then reused, so
 * threads may call concurrently on distinct C.
 *
 * <p>The {@code threads} overloads split C into that many blocks of whole micro-tiles, along its longer side, and
 * run the blocks on the calling thread and the common fork-join pool ({@link Parallel}). Every element of C is computed by the
 * same sequence of operations as in the one-thread call, so the result is bitwise the same for any thread count.
 * Products below {@link Parallel#MIN_FLOPS} flops ({@code 2 m n k}) stay on the calling thread.
 */
public final class Gemm {
  /** Rows of A per packed block (float64); rounded down to a multiple of mr. */
  static final int MC_F64 = 192;
  /** Depth of a packed block (float64): the B micro-panel kc x nr (24 KiB for nr = 12) fits half of L1. */
  static final int KC_F64 = 256;
  /** Columns of B per packed block (float64); rounded down to a multiple of nr. */
  static final int NC_F64 = 3072;
  /** Rows of A per packed block (float32). */
  static final int MC_F32 = 192;
  /** Depth of a packed block (float32): the same bytes as float64 hold twice the depth. */
  static final int KC_F32 = 512;
  /** Columns of B per packed block (float32). */
  static final int NC_F32 = 3072;

  /**
   * Columns packed per strip when A's rows are contiguous (a transposed view): 16 floats or doubles are one or two
   * cache lines of each source row (docs/design-notes.md, "float32 GEMM and the half-width species").
   */
  static final int PACK_STRIP = 16;

  private static final ThreadLocal<DoubleWorkspace> F64_WORK = ThreadLocal.withInitial(DoubleWorkspace::new);
  private static final ThreadLocal<FloatWorkspace> F32_WORK = ThreadLocal.withInitial(FloatWorkspace::new);

  private Gemm() {}

  /**
   * {@link #gemm(double, DMatrix, DMatrix, double, DMatrix)} on up to {@code threads} threads (see the class
   * documentation); {@code threads = 1} is the one-thread call.
   *
   * @throws IllegalArgumentException if {@code threads < 1}, a matrix is null or the shapes do not match
   */
  public static void gemm(double alpha, DMatrix a, DMatrix b, double beta, DMatrix c, int threads) {
    requireThreads(threads);
    requireNonNull(a, b, c);
    checkShapes(a.rows(), a.cols(), b.rows(), b.cols(), c.rows(), c.cols());
    DoubleKernels k = KernelProvider.get().f64();
    int m = c.rows();
    int n = c.cols();
    inBlocks(threads, m, n, a.cols(), k.gemmMr(), k.gemmNr(), (byColumns, lo, hi) -> {
      if (byColumns) {
        gemm(k, alpha, a, b.view(0, lo, b.rows(), hi - lo), beta, c.view(0, lo, m, hi - lo));
      } else {
        gemm(k, alpha, a.view(lo, 0, hi - lo, a.cols()), b, beta, c.view(lo, 0, hi - lo, n));
      }
    });
  }

  /**
   * {@link #gemm(float, FMatrix, FMatrix, float, FMatrix)} on up to {@code threads} threads (see the class
   * documentation); {@code threads = 1} is the one-thread call.
   *
   * @throws IllegalArgumentException if {@code threads < 1}, a matrix is null or the shapes do not match
   */
  public static void gemm(float alpha, FMatrix a, FMatrix b, float beta, FMatrix c, int threads) {
    requireThreads(threads);
    requireNonNull(a, b, c);
    checkShapes(a.rows(), a.cols(), b.rows(), b.cols(), c.rows(), c.cols());
    FloatKernels k = KernelProvider.get().f32();
    int m = c.rows();
    int n = c.cols();
    inBlocks(threads, m, n, a.cols(), k.gemmMr(), k.gemmNr(), (byColumns, lo, hi) -> {
      if (byColumns) {
        gemm(k, alpha, a, b.view(0, lo, b.rows(), hi - lo), beta, c.view(0, lo, m, hi - lo));
      } else {
        gemm(k, alpha, a.view(lo, 0, hi - lo, a.cols()), b, beta, c.view(lo, 0, hi - lo, n));
      }
    });
  }

  /** One block of a split C: columns (or rows) {@code [lo, hi)}. */
  private interface Block {
    void run(boolean byColumns, int lo, int hi);
  }

  /**
   * Splits an {@code m x n} C (depth k) into {@link #parts} blocks of whole micro-tiles along its longer side and
   * runs them with {@link Parallel#forSlabs}; one block runs directly on the calling thread.
   */
  private static void inBlocks(int threads, int m, int n, int k, int mr, int nr, Block block) {
    boolean byColumns = n >= m;
    Parallel.forSlabs(threads, 2.0 * m * n * k, byColumns ? n : m, byColumns ? nr : mr,
        (lo, hi) -> block.run(byColumns, lo, hi));
  }

  private static void requireThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("GEMM threads must be >= 1, not " + threads);
    }
  }

  /**
   * How many blocks to split C into: at most {@code threads}, one per whole micro-tile along the longer side, and
   * one when the product is below {@link Parallel#MIN_FLOPS}. A transposed C is split as its plain transpose
   * would be, which only changes which side is longer, not the result.
   */
  static int parts(int threads, int m, int n, int k, int mr, int nr) {
    boolean byColumns = n >= m;
    return Parallel.parts(threads, 2.0 * m * n * k, byColumns ? n : m, byColumns ? nr : mr);
  }

  /**
   * {@code C := alpha op(A) op(B) + beta C} in float64, where {@code op(X)} is X or, when X is a transposed view,
   * the transpose of its parent. Shapes: A is {@code m x k}, B {@code k x n}, C {@code m x n} (any of them may be 0).
   * {@code beta = 0} overwrites C, so NaN or infinity in C does not survive; {@code alpha = 0} or {@code k = 0}
   * leaves {@code beta C} without reading A or B. C must not share elements with A or B.
   *
   * @throws IllegalArgumentException if a matrix is null or the shapes do not match
   */
  public static void gemm(double alpha, DMatrix a, DMatrix b, double beta, DMatrix c) {
    gemm(KernelProvider.get().f64(), alpha, a, b, beta, c);
  }

  /** A new {@code m x n} matrix {@code A B} for A {@code m x k} and B {@code k x n} (either may be transposed). */
  public static DMatrix multiply(DMatrix a, DMatrix b) {
    requireNonNull(a, b);
    DMatrix c = DMatrix.zeros(a.rows(), b.cols());
    gemm(1.0, a, b, 0.0, c);
    return c;
  }

  /** {@link #gemm(double, DMatrix, DMatrix, double, DMatrix)} on the given primitives (tests drive each provider). */
  static void gemm(DoubleKernels k, double alpha, DMatrix a, DMatrix b, double beta, DMatrix c) {
    requireNonNull(a, b, c);
    checkShapes(a.rows(), a.cols(), b.rows(), b.cols(), c.rows(), c.cols());
    if (c.isTransposed()) {
      // C^T = op(B)^T op(A)^T, and C^T is a plain column-major view: the driver only writes plain C.
      gemm(k, alpha, b.transpose(), a.transpose(), beta, c.transpose());
      return;
    }
    int m = c.rows();
    int n = c.cols();
    int kk = a.cols();
    if (m == 0 || n == 0) {
      return;
    }
    scale(beta, c.data(), c.offset(), c.ld(), m, n);
    if (kk == 0 || alpha == 0.0) {
      return;
    }
    int mr = k.gemmMr();
    int nr = k.gemmNr();
    // Block sizes rounded to whole micro-panels; docs/design-notes.md "GEMM blocking".
    int mcMax = Math.max(mr, MC_F64 / mr * mr);
    int ncMax = Math.max(nr, NC_F64 / nr * nr);
    int kcMax = KC_F64;
    int mcCap = roundUp(Math.min(mcMax, m), mr);
    int ncCap = roundUp(Math.min(ncMax, n), nr);
    int kcCap = Math.min(kcMax, kk);
    DoubleWorkspace ws = F64_WORK.get().ensure(mcCap * kcCap, ncCap * kcCap, mr * nr);
    double[] ap = ws.a;
    double[] bp = ws.b;
    double[] tile = ws.tile;
    double[] cd = c.data();
    int ldc = c.ld();
    int aRs = a.isTransposed() ? a.ld() : 1;
    int aCs = a.isTransposed() ? 1 : a.ld();
    int bRs = b.isTransposed() ? b.ld() : 1;
    int bCs = b.isTransposed() ? 1 : b.ld();
    for (int jc = 0; jc < n; jc += ncMax) {
      int nc = Math.min(ncMax, n - jc);
      for (int pc = 0; pc < kk; pc += kcMax) {
        int kc = Math.min(kcMax, kk - pc);
        packB(b.data(), b.offset() + pc * bRs + jc * bCs, bRs, bCs, kc, nc, nr, bp);
        for (int ic = 0; ic < m; ic += mcMax) {
          int mc = Math.min(mcMax, m - ic);
          packA(a.data(), a.offset() + ic * aRs + pc * aCs, aRs, aCs, mc, kc, alpha, mr, ap);
          for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            for (int ir = 0; ir < mc; ir += mr) {
              int rows = Math.min(mr, mc - ir);
              int cOff = c.offset() + ic + ir + (jc + jr) * ldc;
              if (rows == mr && cols == nr) {
                k.gemmMicroKernel(kc, ap, ir * kc, bp, jr * kc, cd, cOff, ldc);
              } else {
                // Edge tile: the kernel writes a zeroed mr x nr scratch tile, and only its valid part reaches C.
                Arrays.fill(tile, 0, mr * nr, 0.0);
                k.gemmMicroKernel(kc, ap, ir * kc, bp, jr * kc, tile, 0, mr);
                for (int j = 0; j < cols; j++) {
                  for (int i = 0; i < rows; i++) {
                    cd[cOff + i + j * ldc] += tile[i + j * mr];
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /** C := beta C on a plain column-major block; beta = 0 stores zeros (BLAS convention). */
  static void scale(double beta, double[] c, int off, int ld, int m, int n) {
    if (beta == 1.0) {
      return;
    }
    for (int j = 0; j < n; j++) {
      int col = off + j * ld;
      if (beta == 0.0) {
        Arrays.fill(c, col, col + m, 0.0);
      } else {
        for (int i = 0; i < m; i++) {
          c[col + i] *= beta;
        }
      }
    }
  }

  /**
   * Packs {@code alpha * A[0..mc, 0..kc]} (element (i, p) at {@code src[off + i rs + p cs]}) into micro-panels of
   * mr rows: panel q holds column p of its rows at {@code dst[q mr kc + p mr ..]}, rows past mc are zero. The loop
   * order follows whichever of rows or columns is contiguous in the source.
   */
  private static void packA(double[] src, int off, int rs, int cs, int mc, int kc, double alpha, int mr,
      double[] dst) {
    for (int ir = 0; ir < mc; ir += mr) {
      int rows = Math.min(mr, mc - ir);
      int base = ir * kc;
      int s0 = off + ir * rs;
      if (rs == 1) {
        for (int p = 0; p < kc; p++) {
          int s = s0 + p * cs;
          int d = base + p * mr;
          for (int i = 0; i < rows; i++) {
            dst[d + i] = alpha * src[s + i];
          }
          if (rows < mr) {
            Arrays.fill(dst, d + rows, d + mr, 0.0);
          }
        }
      } else {
        // Rows of A contiguous (A a transposed view): a strip of PACK_STRIP columns at a time, so each source row
        // yields one cache line and the strip's destination (PACK_STRIP x mr) stays in L1 while its rows are filled.
        for (int p0 = 0; p0 < kc; p0 += PACK_STRIP) {
          int pe = Math.min(kc, p0 + PACK_STRIP);
          for (int i = 0; i < rows; i++) {
            int s = s0 + i * rs;
            for (int p = p0; p < pe; p++) {
              dst[base + p * mr + i] = alpha * src[s + p * cs];
            }
          }
        }
        for (int i = rows; i < mr; i++) {
          for (int p = 0; p < kc; p++) {
            dst[base + p * mr + i] = 0.0;
          }
        }
      }
    }
  }

  /**
   * Packs {@code B[0..kc, 0..nc]} (element (p, j) at {@code src[off + p rs + j cs]}) into micro-panels of nr
   * columns: panel q holds row p of its columns at {@code dst[q nr kc + p nr ..]}, columns past nc are zero.
   */
  private static void packB(double[] src, int off, int rs, int cs, int kc, int nc, int nr, double[] dst) {
    for (int jr = 0; jr < nc; jr += nr) {
      int cols = Math.min(nr, nc - jr);
      int base = jr * kc;
      int s0 = off + jr * cs;
      if (cs == 1) {
        for (int p = 0; p < kc; p++) {
          int s = s0 + p * rs;
          int d = base + p * nr;
          for (int j = 0; j < cols; j++) {
            dst[d + j] = src[s + j];
          }
          if (cols < nr) {
            Arrays.fill(dst, d + cols, d + nr, 0.0);
          }
        }
      } else {
        for (int j = 0; j < cols; j++) {
          int s = s0 + j * cs;
          for (int p = 0; p < kc; p++) {
            dst[base + p * nr + j] = src[s + p * rs];
          }
        }
        for (int j = cols; j < nr; j++) {
          for (int p = 0; p < kc; p++) {
            dst[base + p * nr + j] = 0.0;
          }
        }
      }
    }
  }

  /** Per-thread packing buffers, reused between calls and grown only when a call needs more. */
  private static final class DoubleWorkspace {
    double[] a = new double[0];
    double[] b = new double[0];
    double[] tile = new double[0];

    DoubleWorkspace ensure(int aLen, int bLen, int tileLen) {
      if (a.length < aLen) {
        a = new double[aLen];
      }
      if (b.length < bLen) {
        b = new double[bLen];
      }
      if (tile.length < tileLen) {
        tile = new double[tileLen];
      }
      return this;
    }
  }

  /**
   * {@code C := alpha op(A) op(B) + beta C} in float32, where {@code op(X)} is X or, when X is a transposed view,
   * the transpose of its parent. Shapes: A is {@code m x k}, B {@code k x n}, C {@code m x n} (any of them may be 0).
   * {@code beta = 0} overwrites C, so NaN or infinity in C does not survive; {@code alpha = 0} or {@code k = 0}
   * leaves {@code beta C} without reading A or B. C must not share elements with A or B.
   *
   * @throws IllegalArgumentException if a matrix is null or the shapes do not match
   */
  public static void gemm(float alpha, FMatrix a, FMatrix b, float beta, FMatrix c) {
    gemm(KernelProvider.get().f32(), alpha, a, b, beta, c);
  }

  /** A new {@code m x n} matrix {@code A B} for A {@code m x k} and B {@code k x n} (either may be transposed). */
  public static FMatrix multiply(FMatrix a, FMatrix b) {
    requireNonNull(a, b);
    FMatrix c = FMatrix.zeros(a.rows(), b.cols());
    gemm(1f, a, b, 0f, c);
    return c;
  }

  /** {@link #gemm(float, FMatrix, FMatrix, float, FMatrix)} on the given primitives (tests drive each provider). */
  static void gemm(FloatKernels k, float alpha, FMatrix a, FMatrix b, float beta, FMatrix c) {
    requireNonNull(a, b, c);
    checkShapes(a.rows(), a.cols(), b.rows(), b.cols(), c.rows(), c.cols());
    if (c.isTransposed()) {
      // C^T = op(B)^T op(A)^T, and C^T is a plain column-major view: the driver only writes plain C.
      gemm(k, alpha, b.transpose(), a.transpose(), beta, c.transpose());
      return;
    }
    int m = c.rows();
    int n = c.cols();
    int kk = a.cols();
    if (m == 0 || n == 0) {
      return;
    }
    scale(beta, c.data(), c.offset(), c.ld(), m, n);
    if (kk == 0 || alpha == 0f) {
      return;
    }
    int mr = k.gemmMr();
    int nr = k.gemmNr();
    // Block sizes rounded to whole micro-panels; docs/design-notes.md "GEMM blocking".
    int mcMax = Math.max(mr, MC_F32 / mr * mr);
    int ncMax = Math.max(nr, NC_F32 / nr * nr);
    int kcMax = KC_F32;
    int mcCap = roundUp(Math.min(mcMax, m), mr);
    int ncCap = roundUp(Math.min(ncMax, n), nr);
    int kcCap = Math.min(kcMax, kk);
    FloatWorkspace ws = F32_WORK.get().ensure(mcCap * kcCap, ncCap * kcCap, mr * nr);
    float[] ap = ws.a;
    float[] bp = ws.b;
    float[] tile = ws.tile;
    float[] cd = c.data();
    int ldc = c.ld();
    int aRs = a.isTransposed() ? a.ld() : 1;
    int aCs = a.isTransposed() ? 1 : a.ld();
    int bRs = b.isTransposed() ? b.ld() : 1;
    int bCs = b.isTransposed() ? 1 : b.ld();
    for (int jc = 0; jc < n; jc += ncMax) {
      int nc = Math.min(ncMax, n - jc);
      for (int pc = 0; pc < kk; pc += kcMax) {
        int kc = Math.min(kcMax, kk - pc);
        packB(b.data(), b.offset() + pc * bRs + jc * bCs, bRs, bCs, kc, nc, nr, bp);
        for (int ic = 0; ic < m; ic += mcMax) {
          int mc = Math.min(mcMax, m - ic);
          packA(a.data(), a.offset() + ic * aRs + pc * aCs, aRs, aCs, mc, kc, alpha, mr, ap);
          for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            for (int ir = 0; ir < mc; ir += mr) {
              int rows = Math.min(mr, mc - ir);
              int cOff = c.offset() + ic + ir + (jc + jr) * ldc;
              if (rows == mr && cols == nr) {
                k.gemmMicroKernel(kc, ap, ir * kc, bp, jr * kc, cd, cOff, ldc);
              } else {
                // Edge tile: the kernel writes a zeroed mr x nr scratch tile, and only its valid part reaches C.
                Arrays.fill(tile, 0, mr * nr, 0f);
                k.gemmMicroKernel(kc, ap, ir * kc, bp, jr * kc, tile, 0, mr);
                for (int j = 0; j < cols; j++) {
                  for (int i = 0; i < rows; i++) {
                    cd[cOff + i + j * ldc] += tile[i + j * mr];
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /** C := beta C on a plain column-major block; beta = 0 stores zeros (BLAS convention). */
  static void scale(float beta, float[] c, int off, int ld, int m, int n) {
    if (beta == 1f) {
      return;
    }
    for (int j = 0; j < n; j++) {
      int col = off + j * ld;
      if (beta == 0f) {
        Arrays.fill(c, col, col + m, 0f);
      } else {
        for (int i = 0; i < m; i++) {
          c[col + i] *= beta;
        }
      }
    }
  }

  /**
   * Packs {@code alpha * A[0..mc, 0..kc]} (element (i, p) at {@code src[off + i rs + p cs]}) into micro-panels of
   * mr rows: panel q holds column p of its rows at {@code dst[q mr kc + p mr ..]}, rows past mc are zero. The loop
   * order follows whichever of rows or columns is contiguous in the source.
   */
  private static void packA(float[] src, int off, int rs, int cs, int mc, int kc, float alpha, int mr,
      float[] dst) {
    for (int ir = 0; ir < mc; ir += mr) {
      int rows = Math.min(mr, mc - ir);
      int base = ir * kc;
      int s0 = off + ir * rs;
      if (rs == 1) {
        for (int p = 0; p < kc; p++) {
          int s = s0 + p * cs;
          int d = base + p * mr;
          for (int i = 0; i < rows; i++) {
            dst[d + i] = alpha * src[s + i];
          }
          if (rows < mr) {
            Arrays.fill(dst, d + rows, d + mr, 0f);
          }
        }
      } else {
        // See the float64 twin.
        for (int p0 = 0; p0 < kc; p0 += PACK_STRIP) {
          int pe = Math.min(kc, p0 + PACK_STRIP);
          for (int i = 0; i < rows; i++) {
            int s = s0 + i * rs;
            for (int p = p0; p < pe; p++) {
              dst[base + p * mr + i] = alpha * src[s + p * cs];
            }
          }
        }
        for (int i = rows; i < mr; i++) {
          for (int p = 0; p < kc; p++) {
            dst[base + p * mr + i] = 0f;
          }
        }
      }
    }
  }

  /**
   * Packs {@code B[0..kc, 0..nc]} (element (p, j) at {@code src[off + p rs + j cs]}) into micro-panels of nr
   * columns: panel q holds row p of its columns at {@code dst[q nr kc + p nr ..]}, columns past nc are zero.
   */
  private static void packB(float[] src, int off, int rs, int cs, int kc, int nc, int nr, float[] dst) {
    for (int jr = 0; jr < nc; jr += nr) {
      int cols = Math.min(nr, nc - jr);
      int base = jr * kc;
      int s0 = off + jr * cs;
      if (cs == 1) {
        for (int p = 0; p < kc; p++) {
          int s = s0 + p * rs;
          int d = base + p * nr;
          for (int j = 0; j < cols; j++) {
            dst[d + j] = src[s + j];
          }
          if (cols < nr) {
            Arrays.fill(dst, d + cols, d + nr, 0f);
          }
        }
      } else {
        for (int j = 0; j < cols; j++) {
          int s = s0 + j * cs;
          for (int p = 0; p < kc; p++) {
            dst[base + p * nr + j] = src[s + p * rs];
          }
        }
        for (int j = cols; j < nr; j++) {
          for (int p = 0; p < kc; p++) {
            dst[base + p * nr + j] = 0f;
          }
        }
      }
    }
  }

  /** Per-thread packing buffers, reused between calls and grown only when a call needs more. */
  private static final class FloatWorkspace {
    float[] a = new float[0];
    float[] b = new float[0];
    float[] tile = new float[0];

    FloatWorkspace ensure(int aLen, int bLen, int tileLen) {
      if (a.length < aLen) {
        a = new float[aLen];
      }
      if (b.length < bLen) {
        b = new float[bLen];
      }
      if (tile.length < tileLen) {
        tile = new float[tileLen];
      }
      return this;
    }
  }

  private static int roundUp(int x, int q) {
    return (x + q - 1) / q * q;
  }

  static void requireNonNull(Object a, Object b) {
    if (a == null) {
      throw new IllegalArgumentException("gemm: A is null");
    }
    if (b == null) {
      throw new IllegalArgumentException("gemm: B is null");
    }
  }

  static void requireNonNull(Object a, Object b, Object c) {
    requireNonNull(a, b);
    if (c == null) {
      throw new IllegalArgumentException("gemm: C is null");
    }
  }

  static void checkShapes(int ar, int ac, int br, int bc, int cr, int cc) {
    if (ac != br || ar != cr || bc != cc) {
      throw new IllegalArgumentException(
          "gemm shapes do not match: A is " + ar + "x" + ac + ", B is " + br + "x" + bc + ", C is " + cr + "x"
              + cc + " (need A m x k, B k x n, C m x n)");
    }
  }
}
