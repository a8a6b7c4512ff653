package dev.cartan.kernels;

import java.util.Arrays;

/**
 * {@code C := alpha A^T B + beta C} for two tall column-major operands with a long common depth m: A holds
 * {@code k} columns (the reflectors of a block, {@code k = 128} in the QR's trailing update) and B is the trailing
 * matrix ({@code m x n}), so C is {@code k x n}. {@link Gemm} computes {@code W = B^T A} by packing both operands
 * (B^T in 192-row blocks, A in 12-column panels, 128 = 10 x 12 + 8 with a two-thirds-empty edge panel), and
 * {@link NarrowGemm} writes each tile of C through a scratch tile, transposed. Here the small {@code alpha A^T}
 * is packed into panels of {@link DoubleKernels#gemmWideMr()} rows (depth blocks of {@link #DEPTH_F64}, float32
 * {@link #DEPTH_F32}), B is read in place six columns at a time by the wide micro-kernel
 * ({@link DoubleKernels#gemmMicroKernelWide}: six contiguous column streams, 24 FMAs per ten loads), and each full
 * {@code mr x 6} tile is added straight into C, which is column-major with the reflector index running down a
 * column, exactly the kernel's output layout. Providers without a wide tile (the scalar one) use
 * {@link NarrowGemm}. Same result as {@link Gemm} up to the summation order (docs/design-notes.md, "Trailing
 * update: V^T C without packing C"). One thread; buffers are per thread.
 */
public final class TallGemm {
  /** Depth block (float64); docs/design-notes.md, "Trailing update: V^T C without packing C". */
  static final int DEPTH_F64 = 256;
  /** Depth block (float32): the same bytes. */
  static final int DEPTH_F32 = 512;

  private static final ThreadLocal<DoubleWork> F64_WORK = ThreadLocal.withInitial(DoubleWork::new);
  private static final ThreadLocal<FloatWork> F32_WORK = ThreadLocal.withInitial(FloatWork::new);

  private TallGemm() {}

  /**
   * {@code C := alpha A^T B + beta C} in float64 for plain (not transposed) column-major A ({@code m x k}),
   * B ({@code m x n}) and C ({@code k x n}): the product {@code V^T C} of a block reflector's trailing update (see the
   * class documentation). {@code beta = 0} overwrites C; C must not share elements with A or B.
   *
   * @throws IllegalArgumentException if a matrix is null or a transposed view, or the shapes do not match
   */
  public static void atb(double alpha, DMatrix a, DMatrix b, double beta, DMatrix c) {
    atb(KernelProvider.get().f64(), alpha, a, b, beta, c);
  }

  /** {@link #atb(double, DMatrix, DMatrix, double, DMatrix)} on the given primitives (tests drive each provider). */
  static void atb(DoubleKernels k, double alpha, DMatrix a, DMatrix b, double beta, DMatrix c) {
    Gemm.requireNonNull(a, b, c);
    requirePlain(a.isTransposed(), b.isTransposed(), c.isTransposed());
    requireShapes(a.rows(), a.cols(), b.rows(), b.cols(), c.rows(), c.cols());
    int mr = k.gemmWideMr();
    // Columns of B per wide tile.
    int nr = k.gemmWideNr();
    if (mr == 0) {
      // No wide tile (the scalar provider): the general narrow driver computes the same product.
      NarrowGemm.gemm(k, alpha, a.transpose(), b, beta, c);
      return;
    }
    int m = a.rows();
    int kk = a.cols();
    int n = b.cols();
    if (kk == 0 || n == 0) {
      return;
    }
    Gemm.scale(beta, c.data(), c.offset(), c.ld(), kk, n);
    if (m == 0 || alpha == 0.0) {
      return;
    }
    int panels = (kk + mr - 1) / mr;
    int depth = Math.min(DEPTH_F64, m);
    DoubleWork ws = F64_WORK.get().ensure(panels * mr * depth, nr * depth, mr * nr);
    double[] ap = ws.packed;
    double[] tile = ws.tile;
    double[] bd = b.data();
    double[] cd = c.data();
    int ldb = b.ld();
    int ldc = c.ld();
    for (int pc = 0; pc < m; pc += depth) {
      int kc = Math.min(depth, m - pc);
      pack(a, pc, kc, alpha, mr, ap);
      for (int jr = 0; jr < n; jr += nr) {
        int cols = Math.min(nr, n - jr);
        double[] src = bd;
        int off = b.offset() + pc + jr * ldb;
        int cs = ldb;
        if (cols < nr) {
          // Last columns of B: copied into a zero-padded kc x nr block so the kernel reads nothing outside B.
          src = ws.edge;
          for (int j = 0; j < nr; j++) {
            if (j < cols) {
              System.arraycopy(bd, off + j * ldb, src, j * kc, kc);
            } else {
              Arrays.fill(src, j * kc, (j + 1) * kc, 0.0);
            }
          }
          off = 0;
          cs = kc;
        }
        for (int q = 0; q < panels; q++) {
          int rows = Math.min(mr, kk - q * mr);
          int cOff = c.offset() + q * mr + jr * ldc;
          if (rows == mr && cols == nr) {
            k.gemmMicroKernelWide(kc, ap, q * mr * kc, src, off, 1, cs, cd, cOff, ldc);
          } else {
            // Edge tile: a zeroed scratch tile, of which only the valid part reaches C.
            Arrays.fill(tile, 0, mr * nr, 0.0);
            k.gemmMicroKernelWide(kc, ap, q * mr * kc, src, off, 1, cs, tile, 0, mr);
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

  /**
   * Packs {@code alpha A(pc .. pc+kc, 0 .. k)^T} into {@code ceil(k / mr)} panels of mr rows, panel q holding row
   * p of its block at {@code dst[q mr kc + p mr ..]} (the wide kernel's A layout); rows past k are zero.
   */
  private static void pack(DMatrix a, int pc, int kc, double alpha, int mr, double[] dst) {
    double[] ad = a.data();
    int kk = a.cols();
    int panels = (kk + mr - 1) / mr;
    for (int q = 0; q < panels; q++) {
      int base = q * mr * kc;
      for (int i = 0; i < mr; i++) {
        int col = q * mr + i;
        if (col >= kk) {
          for (int p = 0; p < kc; p++) {
            dst[base + p * mr + i] = 0.0;
          }
          continue;
        }
        int s = a.offset() + pc + col * a.ld();
        for (int p = 0; p < kc; p++) {
          dst[base + p * mr + i] = alpha * ad[s + p];
        }
      }
    }
  }

  /** Per-thread buffers (packed A^T, the edge block, the edge tile), reused and grown only when needed. */
  private static final class DoubleWork {
    double[] packed = new double[0];
    double[] edge = new double[0];
    double[] tile = new double[0];

    DoubleWork ensure(int packedLen, int edgeLen, int tileLen) {
      if (packed.length < packedLen) {
        packed = new double[packedLen];
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
   * {@code C := alpha A^T B + beta C} in float32 for plain (not transposed) column-major A ({@code m x k}),
   * B ({@code m x n}) and C ({@code k x n}): the product {@code V^T C} of a block reflector's trailing update (see the
   * class documentation). {@code beta = 0} overwrites C; C must not share elements with A or B.
   *
   * @throws IllegalArgumentException if a matrix is null or a transposed view, or the shapes do not match
   */
  public static void atb(float alpha, FMatrix a, FMatrix b, float beta, FMatrix c) {
    atb(KernelProvider.get().f32(), alpha, a, b, beta, c);
  }

  /** {@link #atb(double, FMatrix, FMatrix, double, FMatrix)} on the given primitives (tests drive each provider). */
  static void atb(FloatKernels k, float alpha, FMatrix a, FMatrix b, float beta, FMatrix c) {
    Gemm.requireNonNull(a, b, c);
    requirePlain(a.isTransposed(), b.isTransposed(), c.isTransposed());
    requireShapes(a.rows(), a.cols(), b.rows(), b.cols(), c.rows(), c.cols());
    int mr = k.gemmWideMr();
    // Columns of B per wide tile.
    int nr = k.gemmWideNr();
    if (mr == 0) {
      // No wide tile (the scalar provider): the general narrow driver computes the same product.
      NarrowGemm.gemm(k, alpha, a.transpose(), b, beta, c);
      return;
    }
    int m = a.rows();
    int kk = a.cols();
    int n = b.cols();
    if (kk == 0 || n == 0) {
      return;
    }
    Gemm.scale(beta, c.data(), c.offset(), c.ld(), kk, n);
    if (m == 0 || alpha == 0f) {
      return;
    }
    int panels = (kk + mr - 1) / mr;
    int depth = Math.min(DEPTH_F32, m);
    FloatWork ws = F32_WORK.get().ensure(panels * mr * depth, nr * depth, mr * nr);
    float[] ap = ws.packed;
    float[] tile = ws.tile;
    float[] bd = b.data();
    float[] cd = c.data();
    int ldb = b.ld();
    int ldc = c.ld();
    for (int pc = 0; pc < m; pc += depth) {
      int kc = Math.min(depth, m - pc);
      pack(a, pc, kc, alpha, mr, ap);
      for (int jr = 0; jr < n; jr += nr) {
        int cols = Math.min(nr, n - jr);
        float[] src = bd;
        int off = b.offset() + pc + jr * ldb;
        int cs = ldb;
        if (cols < nr) {
          // Last columns of B: copied into a zero-padded kc x nr block so the kernel reads nothing outside B.
          src = ws.edge;
          for (int j = 0; j < nr; j++) {
            if (j < cols) {
              System.arraycopy(bd, off + j * ldb, src, j * kc, kc);
            } else {
              Arrays.fill(src, j * kc, (j + 1) * kc, 0f);
            }
          }
          off = 0;
          cs = kc;
        }
        for (int q = 0; q < panels; q++) {
          int rows = Math.min(mr, kk - q * mr);
          int cOff = c.offset() + q * mr + jr * ldc;
          if (rows == mr && cols == nr) {
            k.gemmMicroKernelWide(kc, ap, q * mr * kc, src, off, 1, cs, cd, cOff, ldc);
          } else {
            // Edge tile: a zeroed scratch tile, of which only the valid part reaches C.
            Arrays.fill(tile, 0, mr * nr, 0f);
            k.gemmMicroKernelWide(kc, ap, q * mr * kc, src, off, 1, cs, tile, 0, mr);
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

  /**
   * Packs {@code alpha A(pc .. pc+kc, 0 .. k)^T} into {@code ceil(k / mr)} panels of mr rows, panel q holding row
   * p of its block at {@code dst[q mr kc + p mr ..]} (the wide kernel's A layout); rows past k are zero.
   */
  private static void pack(FMatrix a, int pc, int kc, float alpha, int mr, float[] dst) {
    float[] ad = a.data();
    int kk = a.cols();
    int panels = (kk + mr - 1) / mr;
    for (int q = 0; q < panels; q++) {
      int base = q * mr * kc;
      for (int i = 0; i < mr; i++) {
        int col = q * mr + i;
        if (col >= kk) {
          for (int p = 0; p < kc; p++) {
            dst[base + p * mr + i] = 0f;
          }
          continue;
        }
        int s = a.offset() + pc + col * a.ld();
        for (int p = 0; p < kc; p++) {
          dst[base + p * mr + i] = alpha * ad[s + p];
        }
      }
    }
  }

  /** Per-thread buffers (packed A^T, the edge block, the edge tile), reused and grown only when needed. */
  private static final class FloatWork {
    float[] packed = new float[0];
    float[] edge = new float[0];
    float[] tile = new float[0];

    FloatWork ensure(int packedLen, int edgeLen, int tileLen) {
      if (packed.length < packedLen) {
        packed = new float[packedLen];
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

  private static void requirePlain(boolean at, boolean bt, boolean ct) {
    if (at || bt || ct) {
      throw new IllegalArgumentException("A^T B needs plain column-major A, B and C; got a transposed view of "
          + (at ? "A" : bt ? "B" : "C"));
    }
  }

  private static void requireShapes(int am, int ak, int bm, int bn, int ck, int cn) {
    if (am != bm || ck != ak || cn != bn) {
      throw new IllegalArgumentException("A^T B shapes do not match: A is " + am + "x" + ak + ", B " + bm + "x"
          + bn + ", C " + ck + "x" + cn + " (need A m x k, B m x n, C k x n)");
    }
  }
}
