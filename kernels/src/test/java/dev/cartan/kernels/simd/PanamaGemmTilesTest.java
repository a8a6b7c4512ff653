package dev.cartan.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Both families of GEMM micro-tiles, whatever this machine's register file: the 32-register tiles
 * ({@code mr x 12}, and the float64 wide {@code 4 lanes x 6}) and the 16-register ones ({@code mr x 6}). Only one
 * family runs in a given JVM ({@link PanamaDoubleGemm#WIDE_FILE}), so the provider-level tests in GemmTest see only
 * that one; here each kernel is called directly on integer-valued panels, whose products are exact in any order.
 */
class PanamaGemmTilesTest {
  @BeforeEach
  void needsTheVectorModule() {
    Assumptions.assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
        "jdk.incubator.vector is not in this run");
  }

  /** A kernel under test: {@code C += Apanel * B} with B element (p, j) at {@code pbOff + p rs + j cs}. */
  private interface DoubleTile {
    void run(int kc, double[] pa, int paOff, double[] pb, int pbOff, int rs, int cs, double[] c, int cOff, int ldc);
  }

  private interface FloatTile {
    void run(int kc, float[] pa, int paOff, float[] pb, int pbOff, int rs, int cs, float[] c, int cOff, int ldc);
  }

  @Test
  void float64TilesOfBothRegisterFilesMatchTheExactProduct() {
    int l = PanamaConstants.DOUBLE_GEMM_SPECIES.length();
    checkDouble("kernel (12 columns, packed)", 2 * l, 12, 1,
        (kc, pa, pao, pb, pbo, rs, cs, c, co, ldc) -> PanamaDoubleGemm.kernel(kc, pa, pao, pb, pbo, c, co, ldc));
    checkDouble("kernelRows (12 columns)", 2 * l, 12, 2,
        (kc, pa, pao, pb, pbo, rs, cs, c, co, ldc) -> PanamaDoubleGemm.kernelRows(kc, pa, pao, pb, pbo, rs, c, co,
            ldc));
    checkDouble("kernelStrided (12 columns)", 2 * l, 12, 3, PanamaDoubleGemm::kernelStrided);
    checkDouble("kernelWide (4 lanes x 6)", 4 * l, 6, 3, PanamaDoubleGemm::kernelWide);
    checkDouble("kernelRows6 (6 columns)", 2 * l, 6, 2,
        (kc, pa, pao, pb, pbo, rs, cs, c, co, ldc) -> PanamaDoubleGemm.kernelRows6(kc, pa, pao, pb, pbo, rs, c, co,
            ldc));
    checkDouble("kernelStrided6 (6 columns)", 2 * l, 6, 3, PanamaDoubleGemm::kernelStrided6);
    checkDouble("kernelRows5 (5 columns)", 2 * l, 5, 2,
        (kc, pa, pao, pb, pbo, rs, cs, c, co, ldc) -> PanamaDoubleGemm.kernelRows5(kc, pa, pao, pb, pbo, rs, c, co,
            ldc));
    checkDouble("kernelStrided5 (5 columns)", 2 * l, 5, 3, PanamaDoubleGemm::kernelStrided5);
    // kernelColumns5 takes only columns in place (rs = 1, the third layout); the other two go to kernelStrided5.
    checkDouble("kernelColumns5 (5 columns in place)", 2 * l, 5, 3, (kc, pa, pao, pb, pbo, rs, cs, c, co, ldc) -> {
      if (rs == 1) {
        PanamaDoubleGemm.kernelColumns5(kc, pa, pao, pb, pbo, cs, c, co, ldc);
      } else {
        PanamaDoubleGemm.kernelStrided5(kc, pa, pao, pb, pbo, rs, cs, c, co, ldc);
      }
    });
  }

  @Test
  void float32TilesOfBothRegisterFilesMatchTheExactProduct() {
    int l = PanamaConstants.FLOAT_GEMM_SPECIES.length();
    checkFloat("kernel (12 columns, packed)", 2 * l, 12, 1,
        (kc, pa, pao, pb, pbo, rs, cs, c, co, ldc) -> PanamaFloatGemm.kernel(kc, pa, pao, pb, pbo, c, co, ldc));
    checkFloat("kernelRows (12 columns)", 2 * l, 12, 2,
        (kc, pa, pao, pb, pbo, rs, cs, c, co, ldc) -> PanamaFloatGemm.kernelRows(kc, pa, pao, pb, pbo, rs, c, co,
            ldc));
    checkFloat("kernelStrided (12 columns)", 2 * l, 12, 3, PanamaFloatGemm::kernelStrided);
    checkFloat("kernelWide (6 columns, strided)", 2 * l, 6, 3, PanamaFloatGemm::kernelWide);
    checkFloat("kernelRows6 (6 columns)", 2 * l, 6, 2,
        (kc, pa, pao, pb, pbo, rs, cs, c, co, ldc) -> PanamaFloatGemm.kernelRows6(kc, pa, pao, pb, pbo, rs, c, co,
            ldc));
    checkFloat("kernelRows5 (5 columns)", 2 * l, 5, 2,
        (kc, pa, pao, pb, pbo, rs, cs, c, co, ldc) -> PanamaFloatGemm.kernelRows5(kc, pa, pao, pb, pbo, rs, c, co,
            ldc));
    checkFloat("kernelStrided5 (5 columns)", 2 * l, 5, 3, PanamaFloatGemm::kernelStrided5);
    checkFloat("kernelColumns5 (5 columns in place)", 2 * l, 5, 3, (kc, pa, pao, pb, pbo, rs, cs, c, co, ldc) -> {
      if (rs == 1) {
        PanamaFloatGemm.kernelColumns5(kc, pa, pao, pb, pbo, cs, c, co, ldc);
      } else {
        PanamaFloatGemm.kernelStrided5(kc, pa, pao, pb, pbo, rs, cs, c, co, ldc);
      }
    });
  }

  @Test
  void theTileFollowsTheRegisterFile() {
    boolean wide = PanamaConstants.VECTOR_REGISTERS >= 32;
    // 16 registers: -Dcartan.gemmColumns if set (the gemm-columns-* runs), else 6 on JDK 17 and 5 after it.
    String forced = System.getProperty("cartan.gemmColumns");
    int narrow = forced != null ? Integer.parseInt(forced) : Runtime.version().feature() <= 17 ? 6 : 5;
    assertEquals(wide ? 12 : narrow, PanamaDoubleGemm.NR);
    assertEquals(wide ? 12 : narrow, PanamaFloatGemm.NR);
    assertEquals((wide ? 4 : 2) * PanamaConstants.DOUBLE_GEMM_SPECIES.length(), PanamaDoubleGemm.WIDE_MR);
  }

  /**
   * Runs the tile on an A panel of {@code mr}-element columns at offset 1 and a B of nr columns at offset 2, with the
   * first {@code strideKinds} of these layouts of B: packed (row stride nr), rows of a transposed view (row stride
   * {@code nr + 3}, column stride 1), columns read in place (row stride 1, column stride {@code kc + 2}); into C
   * with {@code ldc = mr + 3} at offset 1, and checks every element of C, the untouched padding included.
   */
  private static void checkDouble(String name, int mr, int nr, int strideKinds, DoubleTile tile) {
    int kc = 37;
    double[] pa = new double[1 + kc * mr];
    for (int i = 0; i < pa.length; i++) {
      pa[i] = (i % 7) - 3;
    }
    int[][] strides = {{nr, 1}, {nr + 3, 1}, {1, kc + 2}};
    for (int[] st : java.util.Arrays.copyOf(strides, strideKinds)) {
      int rs = st[0];
      int cs = st[1];
      double[] pb = new double[2 + (kc - 1) * rs + (nr - 1) * cs + 1];
      for (int i = 0; i < pb.length; i++) {
        pb[i] = (i % 5) - 2;
      }
      int ldc = mr + 3;
      double[] c = new double[1 + ldc * nr + 3];
      java.util.Arrays.fill(c, 1.0);
      tile.run(kc, pa, 1, pb, 2, rs, cs, c, 1, ldc);
      for (int j = 0; j < nr; j++) {
        for (int i = 0; i < ldc; i++) {
          double expect = 1.0;
          if (i < mr) {
            for (int p = 0; p < kc; p++) {
              expect += pa[1 + p * mr + i] * pb[2 + p * rs + j * cs];
            }
          }
          assertEquals(expect, c[1 + i + j * ldc], 0.0, name + " rs=" + rs + " cs=" + cs + " (" + i + ", " + j + ")");
        }
      }
      assertEquals(1.0, c[0], 0.0, name);
    }
  }

  /**
   * {@link #checkDouble} on a float32 tile: the same integer-valued panels, converted to float (every value, product
   * and sum involved is an integer well below 2^24, so exact in float32 too), and C converted back.
   */
  private static void checkFloat(String name, int mr, int nr, int strideKinds, FloatTile tile) {
    checkDouble(name, mr, nr, strideKinds, (kc, pa, pao, pb, pbo, rs, cs, c, co, ldc) -> {
      float[] fc = toFloat(c);
      tile.run(kc, toFloat(pa), pao, toFloat(pb), pbo, rs, cs, fc, co, ldc);
      for (int i = 0; i < c.length; i++) {
        c[i] = fc[i];
      }
    });
  }

  private static float[] toFloat(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }
}
