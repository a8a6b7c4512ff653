package dev.cartan.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float GEMM micro-kernel on the Vector API: {@code C += A_panel B_panel} for an {@code mr x nr} tile with
 * {@code mr = 2 * lanes} and {@code nr = 12} (32 x 12 for float32 at 512 bits), the register-blocked kernel of
 * Goto and van de Geijn, "Anatomy of high-performance matrix multiplication", ACM TOMS 34(3), 2008, section 5.
 *
 * <p>Each step k loads the mr-element column k of the packed A panel as two vectors, broadcasts each of the nr
 * elements of row k of the packed B panel, and issues {@code 2 nr = 24} independent FMAs into accumulators that stay
 * in registers for the whole {@code kc} loop: 24 accumulators cover FMA latency x throughput (4 cycles x 2 pipes =
 * 8 in flight) three times over, and with the two A vectors and one broadcast they fit the 32 vector registers of
 * AVX-512 (docs/design-notes.md, "GEMM blocking", has the measurement against 24 x 8, 32 x 6 and 16 x 14).
 *
 * <p>The species is the hardware's preferred one, held in a static final field: the Vector API compiles to
 * registers only when the species is a compile-time constant (with the species in an instance field the same
 * kernel ran at under 1 GFLOP/s instead of 40-100). So {@code cartan.vectorBits} does not narrow this kernel;
 * the tile adapts to whatever the preferred width is (128, 256 or 512 bits).
 *
 * <p>Where the ISA has 16 vector registers (x86-64 below AVX-512), the 24 accumulators would spill, so
 * {@link #WIDE_FILE} selects {@code mr x 6} tiles instead ({@link #kernelRows6}: 12 accumulators), and
 * {@link #NR} is 6 (docs/design-notes.md, "GEMM tiles for 16 registers"), or {@code mr x 5} ({@link #kernelRows5})
 * on JITs that spill the six-column tile.
 */
final class PanamaFloatGemm {
  private PanamaFloatGemm() {}

  private static final VectorSpecies<Float> S = PanamaConstants.FLOAT_GEMM_SPECIES;

  /** Rows of the micro-tile: two vectors. */
  static final int MR = 2 * S.length();

  /**
   * Whether the 32-register tiles run ({@code mr x 12}, {@link #kernel}); else the 16-register ones
   * ({@code mr x 6}, {@link #kernelRows6}). See {@link PanamaConstants#VECTOR_REGISTERS}.
   */
  static final boolean WIDE_FILE = PanamaConstants.VECTOR_REGISTERS >= 32;

  /**
   * Columns of the micro-tile: 12 with 32 vector registers; with 16, 6 or 5
   * ({@link dev.cartan.kernels.KernelProvider#gemmColumns()}).
   */
  static final int NR = WIDE_FILE ? 12 : PanamaConstants.NARROW_FILE_COLUMNS;

  /**
   * Fused multiply-add only where the hardware has it: {@code Vector.fma} without it falls back to a slow exact
   * emulation, so then the kernel multiplies and adds (a constant, so the JIT keeps one branch).
   */
  private static final boolean FMA = PanamaConstants.hardwareFma();

  /**
   * {@code C[0..mr, 0..12] += Apanel * Bpanel} on packed panels (layout in {@link dev.cartan.kernels.FloatKernels#gemmMicroKernel}).
   */
  static void kernel(int kc, float[] pa, int paOff, float[] pb, int pbOff, float[] c, int cOff, int ldc) {
    final int l = S.length();
    final int mr = 2 * l;
    // 24 accumulators + 2 A vectors + 1 broadcast B stay in registers (32 on AVX-512).
    FloatVector c00 = FloatVector.zero(S), c10 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c02 = FloatVector.zero(S), c12 = FloatVector.zero(S);
    FloatVector c03 = FloatVector.zero(S), c13 = FloatVector.zero(S);
    FloatVector c04 = FloatVector.zero(S), c14 = FloatVector.zero(S);
    FloatVector c05 = FloatVector.zero(S), c15 = FloatVector.zero(S);
    FloatVector c06 = FloatVector.zero(S), c16 = FloatVector.zero(S);
    FloatVector c07 = FloatVector.zero(S), c17 = FloatVector.zero(S);
    FloatVector c08 = FloatVector.zero(S), c18 = FloatVector.zero(S);
    FloatVector c09 = FloatVector.zero(S), c19 = FloatVector.zero(S);
    FloatVector c0a = FloatVector.zero(S), c1a = FloatVector.zero(S);
    FloatVector c0b = FloatVector.zero(S), c1b = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      int ao = paOff + p * mr;
      int bo = pbOff + p * 12;
      FloatVector a0 = FloatVector.fromArray(S, pa, ao + 0 * l);
      FloatVector a1 = FloatVector.fromArray(S, pa, ao + 1 * l);
      FloatVector b;
      b = FloatVector.broadcast(S, pb[bo + 0]);
      c00 = FMA ? a0.fma(b, c00) : a0.mul(b).add(c00); c10 = FMA ? a1.fma(b, c10) : a1.mul(b).add(c10);
      b = FloatVector.broadcast(S, pb[bo + 1]);
      c01 = FMA ? a0.fma(b, c01) : a0.mul(b).add(c01); c11 = FMA ? a1.fma(b, c11) : a1.mul(b).add(c11);
      b = FloatVector.broadcast(S, pb[bo + 2]);
      c02 = FMA ? a0.fma(b, c02) : a0.mul(b).add(c02); c12 = FMA ? a1.fma(b, c12) : a1.mul(b).add(c12);
      b = FloatVector.broadcast(S, pb[bo + 3]);
      c03 = FMA ? a0.fma(b, c03) : a0.mul(b).add(c03); c13 = FMA ? a1.fma(b, c13) : a1.mul(b).add(c13);
      b = FloatVector.broadcast(S, pb[bo + 4]);
      c04 = FMA ? a0.fma(b, c04) : a0.mul(b).add(c04); c14 = FMA ? a1.fma(b, c14) : a1.mul(b).add(c14);
      b = FloatVector.broadcast(S, pb[bo + 5]);
      c05 = FMA ? a0.fma(b, c05) : a0.mul(b).add(c05); c15 = FMA ? a1.fma(b, c15) : a1.mul(b).add(c15);
      b = FloatVector.broadcast(S, pb[bo + 6]);
      c06 = FMA ? a0.fma(b, c06) : a0.mul(b).add(c06); c16 = FMA ? a1.fma(b, c16) : a1.mul(b).add(c16);
      b = FloatVector.broadcast(S, pb[bo + 7]);
      c07 = FMA ? a0.fma(b, c07) : a0.mul(b).add(c07); c17 = FMA ? a1.fma(b, c17) : a1.mul(b).add(c17);
      b = FloatVector.broadcast(S, pb[bo + 8]);
      c08 = FMA ? a0.fma(b, c08) : a0.mul(b).add(c08); c18 = FMA ? a1.fma(b, c18) : a1.mul(b).add(c18);
      b = FloatVector.broadcast(S, pb[bo + 9]);
      c09 = FMA ? a0.fma(b, c09) : a0.mul(b).add(c09); c19 = FMA ? a1.fma(b, c19) : a1.mul(b).add(c19);
      b = FloatVector.broadcast(S, pb[bo + 10]);
      c0a = FMA ? a0.fma(b, c0a) : a0.mul(b).add(c0a); c1a = FMA ? a1.fma(b, c1a) : a1.mul(b).add(c1a);
      b = FloatVector.broadcast(S, pb[bo + 11]);
      c0b = FMA ? a0.fma(b, c0b) : a0.mul(b).add(c0b); c1b = FMA ? a1.fma(b, c1b) : a1.mul(b).add(c1b);
    }
    // Written out, not a helper taking vectors: a call that is not inlined would box every accumulator.
    int o0 = cOff + 0 * ldc;
    FloatVector.fromArray(S, c, o0).add(c00).intoArray(c, o0);
    FloatVector.fromArray(S, c, o0 + 1 * l).add(c10).intoArray(c, o0 + 1 * l);
    int o1 = cOff + 1 * ldc;
    FloatVector.fromArray(S, c, o1).add(c01).intoArray(c, o1);
    FloatVector.fromArray(S, c, o1 + 1 * l).add(c11).intoArray(c, o1 + 1 * l);
    int o2 = cOff + 2 * ldc;
    FloatVector.fromArray(S, c, o2).add(c02).intoArray(c, o2);
    FloatVector.fromArray(S, c, o2 + 1 * l).add(c12).intoArray(c, o2 + 1 * l);
    int o3 = cOff + 3 * ldc;
    FloatVector.fromArray(S, c, o3).add(c03).intoArray(c, o3);
    FloatVector.fromArray(S, c, o3 + 1 * l).add(c13).intoArray(c, o3 + 1 * l);
    int o4 = cOff + 4 * ldc;
    FloatVector.fromArray(S, c, o4).add(c04).intoArray(c, o4);
    FloatVector.fromArray(S, c, o4 + 1 * l).add(c14).intoArray(c, o4 + 1 * l);
    int o5 = cOff + 5 * ldc;
    FloatVector.fromArray(S, c, o5).add(c05).intoArray(c, o5);
    FloatVector.fromArray(S, c, o5 + 1 * l).add(c15).intoArray(c, o5 + 1 * l);
    int o6 = cOff + 6 * ldc;
    FloatVector.fromArray(S, c, o6).add(c06).intoArray(c, o6);
    FloatVector.fromArray(S, c, o6 + 1 * l).add(c16).intoArray(c, o6 + 1 * l);
    int o7 = cOff + 7 * ldc;
    FloatVector.fromArray(S, c, o7).add(c07).intoArray(c, o7);
    FloatVector.fromArray(S, c, o7 + 1 * l).add(c17).intoArray(c, o7 + 1 * l);
    int o8 = cOff + 8 * ldc;
    FloatVector.fromArray(S, c, o8).add(c08).intoArray(c, o8);
    FloatVector.fromArray(S, c, o8 + 1 * l).add(c18).intoArray(c, o8 + 1 * l);
    int o9 = cOff + 9 * ldc;
    FloatVector.fromArray(S, c, o9).add(c09).intoArray(c, o9);
    FloatVector.fromArray(S, c, o9 + 1 * l).add(c19).intoArray(c, o9 + 1 * l);
    int oa = cOff + 10 * ldc;
    FloatVector.fromArray(S, c, oa).add(c0a).intoArray(c, oa);
    FloatVector.fromArray(S, c, oa + 1 * l).add(c1a).intoArray(c, oa + 1 * l);
    int ob = cOff + 11 * ldc;
    FloatVector.fromArray(S, c, ob).add(c0b).intoArray(c, ob);
    FloatVector.fromArray(S, c, ob + 1 * l).add(c1b).intoArray(c, ob + 1 * l);
  }

  /**
   * {@code C[0..mr, 0..12] += Apanel * B} on a packed A panel (layout in
   * {@link dev.cartan.kernels.FloatKernels#gemmMicroKernel}) and B with its twelve columns contiguous and row p at
   * {@code pbOff + p rs}: the rows of a transposed view read in place ({@link dev.cartan.kernels.NarrowGemm}).
   * A copy of {@link #kernel}, whose row stride stays the constant 12 (with a variable stride the packed GEMM measured
   * a few per cent slower). The column offsets are constants in the instruction stream; in {@link #kernelStrided}
   * they are twelve loop-invariant registers, which cost about a fifth of the rate.
   */
  static void kernelRows(int kc, float[] pa, int paOff, float[] pb, int pbOff, int rs, float[] c, int cOff,
      int ldc) {
    final int l = S.length();
    final int mr = 2 * l;
    // 24 accumulators + 2 A vectors + 1 broadcast B stay in registers (32 on AVX-512).
    FloatVector c00 = FloatVector.zero(S), c10 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c02 = FloatVector.zero(S), c12 = FloatVector.zero(S);
    FloatVector c03 = FloatVector.zero(S), c13 = FloatVector.zero(S);
    FloatVector c04 = FloatVector.zero(S), c14 = FloatVector.zero(S);
    FloatVector c05 = FloatVector.zero(S), c15 = FloatVector.zero(S);
    FloatVector c06 = FloatVector.zero(S), c16 = FloatVector.zero(S);
    FloatVector c07 = FloatVector.zero(S), c17 = FloatVector.zero(S);
    FloatVector c08 = FloatVector.zero(S), c18 = FloatVector.zero(S);
    FloatVector c09 = FloatVector.zero(S), c19 = FloatVector.zero(S);
    FloatVector c0a = FloatVector.zero(S), c1a = FloatVector.zero(S);
    FloatVector c0b = FloatVector.zero(S), c1b = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      int ao = paOff + p * mr;
      int bo = pbOff + p * rs;
      FloatVector a0 = FloatVector.fromArray(S, pa, ao + 0 * l);
      FloatVector a1 = FloatVector.fromArray(S, pa, ao + 1 * l);
      FloatVector b;
      b = FloatVector.broadcast(S, pb[bo + 0]);
      c00 = FMA ? a0.fma(b, c00) : a0.mul(b).add(c00); c10 = FMA ? a1.fma(b, c10) : a1.mul(b).add(c10);
      b = FloatVector.broadcast(S, pb[bo + 1]);
      c01 = FMA ? a0.fma(b, c01) : a0.mul(b).add(c01); c11 = FMA ? a1.fma(b, c11) : a1.mul(b).add(c11);
      b = FloatVector.broadcast(S, pb[bo + 2]);
      c02 = FMA ? a0.fma(b, c02) : a0.mul(b).add(c02); c12 = FMA ? a1.fma(b, c12) : a1.mul(b).add(c12);
      b = FloatVector.broadcast(S, pb[bo + 3]);
      c03 = FMA ? a0.fma(b, c03) : a0.mul(b).add(c03); c13 = FMA ? a1.fma(b, c13) : a1.mul(b).add(c13);
      b = FloatVector.broadcast(S, pb[bo + 4]);
      c04 = FMA ? a0.fma(b, c04) : a0.mul(b).add(c04); c14 = FMA ? a1.fma(b, c14) : a1.mul(b).add(c14);
      b = FloatVector.broadcast(S, pb[bo + 5]);
      c05 = FMA ? a0.fma(b, c05) : a0.mul(b).add(c05); c15 = FMA ? a1.fma(b, c15) : a1.mul(b).add(c15);
      b = FloatVector.broadcast(S, pb[bo + 6]);
      c06 = FMA ? a0.fma(b, c06) : a0.mul(b).add(c06); c16 = FMA ? a1.fma(b, c16) : a1.mul(b).add(c16);
      b = FloatVector.broadcast(S, pb[bo + 7]);
      c07 = FMA ? a0.fma(b, c07) : a0.mul(b).add(c07); c17 = FMA ? a1.fma(b, c17) : a1.mul(b).add(c17);
      b = FloatVector.broadcast(S, pb[bo + 8]);
      c08 = FMA ? a0.fma(b, c08) : a0.mul(b).add(c08); c18 = FMA ? a1.fma(b, c18) : a1.mul(b).add(c18);
      b = FloatVector.broadcast(S, pb[bo + 9]);
      c09 = FMA ? a0.fma(b, c09) : a0.mul(b).add(c09); c19 = FMA ? a1.fma(b, c19) : a1.mul(b).add(c19);
      b = FloatVector.broadcast(S, pb[bo + 10]);
      c0a = FMA ? a0.fma(b, c0a) : a0.mul(b).add(c0a); c1a = FMA ? a1.fma(b, c1a) : a1.mul(b).add(c1a);
      b = FloatVector.broadcast(S, pb[bo + 11]);
      c0b = FMA ? a0.fma(b, c0b) : a0.mul(b).add(c0b); c1b = FMA ? a1.fma(b, c1b) : a1.mul(b).add(c1b);
    }
    // Written out, not a helper taking vectors: a call that is not inlined would box every accumulator.
    int o0 = cOff + 0 * ldc;
    FloatVector.fromArray(S, c, o0).add(c00).intoArray(c, o0);
    FloatVector.fromArray(S, c, o0 + 1 * l).add(c10).intoArray(c, o0 + 1 * l);
    int o1 = cOff + 1 * ldc;
    FloatVector.fromArray(S, c, o1).add(c01).intoArray(c, o1);
    FloatVector.fromArray(S, c, o1 + 1 * l).add(c11).intoArray(c, o1 + 1 * l);
    int o2 = cOff + 2 * ldc;
    FloatVector.fromArray(S, c, o2).add(c02).intoArray(c, o2);
    FloatVector.fromArray(S, c, o2 + 1 * l).add(c12).intoArray(c, o2 + 1 * l);
    int o3 = cOff + 3 * ldc;
    FloatVector.fromArray(S, c, o3).add(c03).intoArray(c, o3);
    FloatVector.fromArray(S, c, o3 + 1 * l).add(c13).intoArray(c, o3 + 1 * l);
    int o4 = cOff + 4 * ldc;
    FloatVector.fromArray(S, c, o4).add(c04).intoArray(c, o4);
    FloatVector.fromArray(S, c, o4 + 1 * l).add(c14).intoArray(c, o4 + 1 * l);
    int o5 = cOff + 5 * ldc;
    FloatVector.fromArray(S, c, o5).add(c05).intoArray(c, o5);
    FloatVector.fromArray(S, c, o5 + 1 * l).add(c15).intoArray(c, o5 + 1 * l);
    int o6 = cOff + 6 * ldc;
    FloatVector.fromArray(S, c, o6).add(c06).intoArray(c, o6);
    FloatVector.fromArray(S, c, o6 + 1 * l).add(c16).intoArray(c, o6 + 1 * l);
    int o7 = cOff + 7 * ldc;
    FloatVector.fromArray(S, c, o7).add(c07).intoArray(c, o7);
    FloatVector.fromArray(S, c, o7 + 1 * l).add(c17).intoArray(c, o7 + 1 * l);
    int o8 = cOff + 8 * ldc;
    FloatVector.fromArray(S, c, o8).add(c08).intoArray(c, o8);
    FloatVector.fromArray(S, c, o8 + 1 * l).add(c18).intoArray(c, o8 + 1 * l);
    int o9 = cOff + 9 * ldc;
    FloatVector.fromArray(S, c, o9).add(c09).intoArray(c, o9);
    FloatVector.fromArray(S, c, o9 + 1 * l).add(c19).intoArray(c, o9 + 1 * l);
    int oa = cOff + 10 * ldc;
    FloatVector.fromArray(S, c, oa).add(c0a).intoArray(c, oa);
    FloatVector.fromArray(S, c, oa + 1 * l).add(c1a).intoArray(c, oa + 1 * l);
    int ob = cOff + 11 * ldc;
    FloatVector.fromArray(S, c, ob).add(c0b).intoArray(c, ob);
    FloatVector.fromArray(S, c, ob + 1 * l).add(c1b).intoArray(c, ob + 1 * l);
  }

  /**
   * {@code C[0..mr, 0..12] += Apanel * B} with B read in place (layout in
   * {@link dev.cartan.kernels.FloatKernels#gemmMicroKernelStrided}): the same tile and accumulators as
   * {@link #kernel}, the twelve broadcasts taken at {@code pbOff + p rs + j cs} for any column stride (twelve columns
   * read in place).
   */
  static void kernelStrided(int kc, float[] pa, int paOff, float[] pb, int pbOff, int rs, int cs, float[] c,
      int cOff, int ldc) {
    final int l = S.length();
    final int mr = 2 * l;
    // 24 accumulators + 2 A vectors + 1 broadcast B stay in registers (32 on AVX-512).
    FloatVector c00 = FloatVector.zero(S), c10 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c02 = FloatVector.zero(S), c12 = FloatVector.zero(S);
    FloatVector c03 = FloatVector.zero(S), c13 = FloatVector.zero(S);
    FloatVector c04 = FloatVector.zero(S), c14 = FloatVector.zero(S);
    FloatVector c05 = FloatVector.zero(S), c15 = FloatVector.zero(S);
    FloatVector c06 = FloatVector.zero(S), c16 = FloatVector.zero(S);
    FloatVector c07 = FloatVector.zero(S), c17 = FloatVector.zero(S);
    FloatVector c08 = FloatVector.zero(S), c18 = FloatVector.zero(S);
    FloatVector c09 = FloatVector.zero(S), c19 = FloatVector.zero(S);
    FloatVector c0a = FloatVector.zero(S), c1a = FloatVector.zero(S);
    FloatVector c0b = FloatVector.zero(S), c1b = FloatVector.zero(S);
    // Column offsets of B, loop-invariant.
    final int j1 = cs, j2 = 2 * cs, j3 = 3 * cs, j4 = 4 * cs, j5 = 5 * cs, j6 = 6 * cs;
    final int j7 = 7 * cs, j8 = 8 * cs, j9 = 9 * cs, ja = 10 * cs, jb = 11 * cs;
    for (int p = 0; p < kc; p++) {
      int ao = paOff + p * mr;
      int bo = pbOff + p * rs;
      FloatVector a0 = FloatVector.fromArray(S, pa, ao + 0 * l);
      FloatVector a1 = FloatVector.fromArray(S, pa, ao + 1 * l);
      FloatVector b;
      b = FloatVector.broadcast(S, pb[bo + 0]);
      c00 = FMA ? a0.fma(b, c00) : a0.mul(b).add(c00); c10 = FMA ? a1.fma(b, c10) : a1.mul(b).add(c10);
      b = FloatVector.broadcast(S, pb[bo + j1]);
      c01 = FMA ? a0.fma(b, c01) : a0.mul(b).add(c01); c11 = FMA ? a1.fma(b, c11) : a1.mul(b).add(c11);
      b = FloatVector.broadcast(S, pb[bo + j2]);
      c02 = FMA ? a0.fma(b, c02) : a0.mul(b).add(c02); c12 = FMA ? a1.fma(b, c12) : a1.mul(b).add(c12);
      b = FloatVector.broadcast(S, pb[bo + j3]);
      c03 = FMA ? a0.fma(b, c03) : a0.mul(b).add(c03); c13 = FMA ? a1.fma(b, c13) : a1.mul(b).add(c13);
      b = FloatVector.broadcast(S, pb[bo + j4]);
      c04 = FMA ? a0.fma(b, c04) : a0.mul(b).add(c04); c14 = FMA ? a1.fma(b, c14) : a1.mul(b).add(c14);
      b = FloatVector.broadcast(S, pb[bo + j5]);
      c05 = FMA ? a0.fma(b, c05) : a0.mul(b).add(c05); c15 = FMA ? a1.fma(b, c15) : a1.mul(b).add(c15);
      b = FloatVector.broadcast(S, pb[bo + j6]);
      c06 = FMA ? a0.fma(b, c06) : a0.mul(b).add(c06); c16 = FMA ? a1.fma(b, c16) : a1.mul(b).add(c16);
      b = FloatVector.broadcast(S, pb[bo + j7]);
      c07 = FMA ? a0.fma(b, c07) : a0.mul(b).add(c07); c17 = FMA ? a1.fma(b, c17) : a1.mul(b).add(c17);
      b = FloatVector.broadcast(S, pb[bo + j8]);
      c08 = FMA ? a0.fma(b, c08) : a0.mul(b).add(c08); c18 = FMA ? a1.fma(b, c18) : a1.mul(b).add(c18);
      b = FloatVector.broadcast(S, pb[bo + j9]);
      c09 = FMA ? a0.fma(b, c09) : a0.mul(b).add(c09); c19 = FMA ? a1.fma(b, c19) : a1.mul(b).add(c19);
      b = FloatVector.broadcast(S, pb[bo + ja]);
      c0a = FMA ? a0.fma(b, c0a) : a0.mul(b).add(c0a); c1a = FMA ? a1.fma(b, c1a) : a1.mul(b).add(c1a);
      b = FloatVector.broadcast(S, pb[bo + jb]);
      c0b = FMA ? a0.fma(b, c0b) : a0.mul(b).add(c0b); c1b = FMA ? a1.fma(b, c1b) : a1.mul(b).add(c1b);
    }
    // Written out, not a helper taking vectors: a call that is not inlined would box every accumulator.
    int o0 = cOff + 0 * ldc;
    FloatVector.fromArray(S, c, o0).add(c00).intoArray(c, o0);
    FloatVector.fromArray(S, c, o0 + 1 * l).add(c10).intoArray(c, o0 + 1 * l);
    int o1 = cOff + 1 * ldc;
    FloatVector.fromArray(S, c, o1).add(c01).intoArray(c, o1);
    FloatVector.fromArray(S, c, o1 + 1 * l).add(c11).intoArray(c, o1 + 1 * l);
    int o2 = cOff + 2 * ldc;
    FloatVector.fromArray(S, c, o2).add(c02).intoArray(c, o2);
    FloatVector.fromArray(S, c, o2 + 1 * l).add(c12).intoArray(c, o2 + 1 * l);
    int o3 = cOff + 3 * ldc;
    FloatVector.fromArray(S, c, o3).add(c03).intoArray(c, o3);
    FloatVector.fromArray(S, c, o3 + 1 * l).add(c13).intoArray(c, o3 + 1 * l);
    int o4 = cOff + 4 * ldc;
    FloatVector.fromArray(S, c, o4).add(c04).intoArray(c, o4);
    FloatVector.fromArray(S, c, o4 + 1 * l).add(c14).intoArray(c, o4 + 1 * l);
    int o5 = cOff + 5 * ldc;
    FloatVector.fromArray(S, c, o5).add(c05).intoArray(c, o5);
    FloatVector.fromArray(S, c, o5 + 1 * l).add(c15).intoArray(c, o5 + 1 * l);
    int o6 = cOff + 6 * ldc;
    FloatVector.fromArray(S, c, o6).add(c06).intoArray(c, o6);
    FloatVector.fromArray(S, c, o6 + 1 * l).add(c16).intoArray(c, o6 + 1 * l);
    int o7 = cOff + 7 * ldc;
    FloatVector.fromArray(S, c, o7).add(c07).intoArray(c, o7);
    FloatVector.fromArray(S, c, o7 + 1 * l).add(c17).intoArray(c, o7 + 1 * l);
    int o8 = cOff + 8 * ldc;
    FloatVector.fromArray(S, c, o8).add(c08).intoArray(c, o8);
    FloatVector.fromArray(S, c, o8 + 1 * l).add(c18).intoArray(c, o8 + 1 * l);
    int o9 = cOff + 9 * ldc;
    FloatVector.fromArray(S, c, o9).add(c09).intoArray(c, o9);
    FloatVector.fromArray(S, c, o9 + 1 * l).add(c19).intoArray(c, o9 + 1 * l);
    int oa = cOff + 10 * ldc;
    FloatVector.fromArray(S, c, oa).add(c0a).intoArray(c, oa);
    FloatVector.fromArray(S, c, oa + 1 * l).add(c1a).intoArray(c, oa + 1 * l);
    int ob = cOff + 11 * ldc;
    FloatVector.fromArray(S, c, ob).add(c0b).intoArray(c, ob);
    FloatVector.fromArray(S, c, ob + 1 * l).add(c1b).intoArray(c, ob + 1 * l);
  }

  /** Rows of the wide micro-tile: two vectors (32 at 512 bits, the reflectors of a band-32 panel at once). */
  static final int WIDE_MR = 2 * S.length();

  /**
   * {@code C[0..2 lanes, 0..6] += Apanel * B}, B read in place at {@code pbOff + p rs + j cs} (layout in
   * {@link dev.cartan.kernels.FloatKernels#gemmMicroKernelWide}): the float32 twin of the float64 wide tile, two A
   * vectors and six broadcasts into 12 accumulators (enough for the FMA latency), with five column offsets in
   * registers where {@link #kernelStrided} holds eleven.
   */
  static void kernelWide(int kc, float[] pa, int paOff, float[] pb, int pbOff, int rs, int cs, float[] c,
      int cOff, int ldc) {
    final int l = S.length();
    final int mr = 2 * l;
    FloatVector c00 = FloatVector.zero(S), c10 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c02 = FloatVector.zero(S), c12 = FloatVector.zero(S);
    FloatVector c03 = FloatVector.zero(S), c13 = FloatVector.zero(S);
    FloatVector c04 = FloatVector.zero(S), c14 = FloatVector.zero(S);
    FloatVector c05 = FloatVector.zero(S), c15 = FloatVector.zero(S);
    final int j1 = cs, j2 = 2 * cs, j3 = 3 * cs, j4 = 4 * cs, j5 = 5 * cs;
    for (int p = 0; p < kc; p++) {
      int ao = paOff + p * mr;
      int bo = pbOff + p * rs;
      FloatVector a0 = FloatVector.fromArray(S, pa, ao);
      FloatVector a1 = FloatVector.fromArray(S, pa, ao + l);
      FloatVector b;
      b = FloatVector.broadcast(S, pb[bo + 0]);
      c00 = FMA ? a0.fma(b, c00) : a0.mul(b).add(c00); c10 = FMA ? a1.fma(b, c10) : a1.mul(b).add(c10);
      b = FloatVector.broadcast(S, pb[bo + j1]);
      c01 = FMA ? a0.fma(b, c01) : a0.mul(b).add(c01); c11 = FMA ? a1.fma(b, c11) : a1.mul(b).add(c11);
      b = FloatVector.broadcast(S, pb[bo + j2]);
      c02 = FMA ? a0.fma(b, c02) : a0.mul(b).add(c02); c12 = FMA ? a1.fma(b, c12) : a1.mul(b).add(c12);
      b = FloatVector.broadcast(S, pb[bo + j3]);
      c03 = FMA ? a0.fma(b, c03) : a0.mul(b).add(c03); c13 = FMA ? a1.fma(b, c13) : a1.mul(b).add(c13);
      b = FloatVector.broadcast(S, pb[bo + j4]);
      c04 = FMA ? a0.fma(b, c04) : a0.mul(b).add(c04); c14 = FMA ? a1.fma(b, c14) : a1.mul(b).add(c14);
      b = FloatVector.broadcast(S, pb[bo + j5]);
      c05 = FMA ? a0.fma(b, c05) : a0.mul(b).add(c05); c15 = FMA ? a1.fma(b, c15) : a1.mul(b).add(c15);
    }
    int o0 = cOff + 0 * ldc;
    FloatVector.fromArray(S, c, o0 + 0 * l).add(c00).intoArray(c, o0 + 0 * l);
    FloatVector.fromArray(S, c, o0 + 1 * l).add(c10).intoArray(c, o0 + 1 * l);
    int o1 = cOff + 1 * ldc;
    FloatVector.fromArray(S, c, o1 + 0 * l).add(c01).intoArray(c, o1 + 0 * l);
    FloatVector.fromArray(S, c, o1 + 1 * l).add(c11).intoArray(c, o1 + 1 * l);
    int o2 = cOff + 2 * ldc;
    FloatVector.fromArray(S, c, o2 + 0 * l).add(c02).intoArray(c, o2 + 0 * l);
    FloatVector.fromArray(S, c, o2 + 1 * l).add(c12).intoArray(c, o2 + 1 * l);
    int o3 = cOff + 3 * ldc;
    FloatVector.fromArray(S, c, o3 + 0 * l).add(c03).intoArray(c, o3 + 0 * l);
    FloatVector.fromArray(S, c, o3 + 1 * l).add(c13).intoArray(c, o3 + 1 * l);
    int o4 = cOff + 4 * ldc;
    FloatVector.fromArray(S, c, o4 + 0 * l).add(c04).intoArray(c, o4 + 0 * l);
    FloatVector.fromArray(S, c, o4 + 1 * l).add(c14).intoArray(c, o4 + 1 * l);
    int o5 = cOff + 5 * ldc;
    FloatVector.fromArray(S, c, o5 + 0 * l).add(c05).intoArray(c, o5 + 0 * l);
    FloatVector.fromArray(S, c, o5 + 1 * l).add(c15).intoArray(c, o5 + 1 * l);
  }

  /**
   * The 16-register tile ({@link #WIDE_FILE} false): {@code C[0..2 lanes, 0..6] += Apanel * B} with row p of B's six
   * contiguous columns at {@code pbOff + p rs} ({@code rs = 6} for a packed panel), two A vectors and six broadcasts
   * into 12 accumulators, which cover the FMA latency (4 cycles x 2 pipes) and leave the 16 AVX2 registers unspilled.
   * A copy of {@link #kernelWide} with the column offsets as constants: called with column stride 1, that
   * kernel ran at 38-72 GF/s against 51-96 for this one (Zen 3, kc = 256, twelve alternated rounds), so
   * the packed and row-contiguous B keep their own loop.
   */
  static void kernelRows6(int kc, float[] pa, int paOff, float[] pb, int pbOff, int rs, float[] c, int cOff,
      int ldc) {
    final int l = S.length();
    final int mr = 2 * l;
    // 12 accumulators + 2 A vectors + 1 broadcast B: 15 of the 16 AVX2 registers.
    FloatVector c00 = FloatVector.zero(S), c10 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c02 = FloatVector.zero(S), c12 = FloatVector.zero(S);
    FloatVector c03 = FloatVector.zero(S), c13 = FloatVector.zero(S);
    FloatVector c04 = FloatVector.zero(S), c14 = FloatVector.zero(S);
    FloatVector c05 = FloatVector.zero(S), c15 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      int ao = paOff + p * mr;
      int bo = pbOff + p * rs;
      FloatVector a0 = FloatVector.fromArray(S, pa, ao);
      FloatVector a1 = FloatVector.fromArray(S, pa, ao + l);
      FloatVector b;
      b = FloatVector.broadcast(S, pb[bo + 0]);
      c00 = FMA ? a0.fma(b, c00) : a0.mul(b).add(c00); c10 = FMA ? a1.fma(b, c10) : a1.mul(b).add(c10);
      b = FloatVector.broadcast(S, pb[bo + 1]);
      c01 = FMA ? a0.fma(b, c01) : a0.mul(b).add(c01); c11 = FMA ? a1.fma(b, c11) : a1.mul(b).add(c11);
      b = FloatVector.broadcast(S, pb[bo + 2]);
      c02 = FMA ? a0.fma(b, c02) : a0.mul(b).add(c02); c12 = FMA ? a1.fma(b, c12) : a1.mul(b).add(c12);
      b = FloatVector.broadcast(S, pb[bo + 3]);
      c03 = FMA ? a0.fma(b, c03) : a0.mul(b).add(c03); c13 = FMA ? a1.fma(b, c13) : a1.mul(b).add(c13);
      b = FloatVector.broadcast(S, pb[bo + 4]);
      c04 = FMA ? a0.fma(b, c04) : a0.mul(b).add(c04); c14 = FMA ? a1.fma(b, c14) : a1.mul(b).add(c14);
      b = FloatVector.broadcast(S, pb[bo + 5]);
      c05 = FMA ? a0.fma(b, c05) : a0.mul(b).add(c05); c15 = FMA ? a1.fma(b, c15) : a1.mul(b).add(c15);
    }
    int o0 = cOff + 0 * ldc;
    FloatVector.fromArray(S, c, o0).add(c00).intoArray(c, o0);
    FloatVector.fromArray(S, c, o0 + l).add(c10).intoArray(c, o0 + l);
    int o1 = cOff + 1 * ldc;
    FloatVector.fromArray(S, c, o1).add(c01).intoArray(c, o1);
    FloatVector.fromArray(S, c, o1 + l).add(c11).intoArray(c, o1 + l);
    int o2 = cOff + 2 * ldc;
    FloatVector.fromArray(S, c, o2).add(c02).intoArray(c, o2);
    FloatVector.fromArray(S, c, o2 + l).add(c12).intoArray(c, o2 + l);
    int o3 = cOff + 3 * ldc;
    FloatVector.fromArray(S, c, o3).add(c03).intoArray(c, o3);
    FloatVector.fromArray(S, c, o3 + l).add(c13).intoArray(c, o3 + l);
    int o4 = cOff + 4 * ldc;
    FloatVector.fromArray(S, c, o4).add(c04).intoArray(c, o4);
    FloatVector.fromArray(S, c, o4 + l).add(c14).intoArray(c, o4 + l);
    int o5 = cOff + 5 * ldc;
    FloatVector.fromArray(S, c, o5).add(c05).intoArray(c, o5);
    FloatVector.fromArray(S, c, o5 + l).add(c15).intoArray(c, o5 + l);
  }

  /**
   * {@link #kernelRows6} with five columns: 10 accumulators, for JITs that would spill the six-column tile
   * ({@link PanamaConstants#NARROW_FILE_COLUMNS}; docs/design-notes.md, "GEMM tiles and the JDK's scheduler").
   * Each element of C takes the same FMAs in the same order as in the six-column tile.
   */
  static void kernelRows5(int kc, float[] pa, int paOff, float[] pb, int pbOff, int rs, float[] c, int cOff,
      int ldc) {
    final int l = S.length();
    final int mr = 2 * l;
    // 10 accumulators + 2 A vectors + broadcasts of B.
    FloatVector c00 = FloatVector.zero(S), c10 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c02 = FloatVector.zero(S), c12 = FloatVector.zero(S);
    FloatVector c03 = FloatVector.zero(S), c13 = FloatVector.zero(S);
    FloatVector c04 = FloatVector.zero(S), c14 = FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      int ao = paOff + p * mr;
      int bo = pbOff + p * rs;
      FloatVector a0 = FloatVector.fromArray(S, pa, ao);
      FloatVector a1 = FloatVector.fromArray(S, pa, ao + l);
      FloatVector b;
      b = FloatVector.broadcast(S, pb[bo + 0]);
      c00 = FMA ? a0.fma(b, c00) : a0.mul(b).add(c00); c10 = FMA ? a1.fma(b, c10) : a1.mul(b).add(c10);
      b = FloatVector.broadcast(S, pb[bo + 1]);
      c01 = FMA ? a0.fma(b, c01) : a0.mul(b).add(c01); c11 = FMA ? a1.fma(b, c11) : a1.mul(b).add(c11);
      b = FloatVector.broadcast(S, pb[bo + 2]);
      c02 = FMA ? a0.fma(b, c02) : a0.mul(b).add(c02); c12 = FMA ? a1.fma(b, c12) : a1.mul(b).add(c12);
      b = FloatVector.broadcast(S, pb[bo + 3]);
      c03 = FMA ? a0.fma(b, c03) : a0.mul(b).add(c03); c13 = FMA ? a1.fma(b, c13) : a1.mul(b).add(c13);
      b = FloatVector.broadcast(S, pb[bo + 4]);
      c04 = FMA ? a0.fma(b, c04) : a0.mul(b).add(c04); c14 = FMA ? a1.fma(b, c14) : a1.mul(b).add(c14);
    }
    int o0 = cOff + 0 * ldc;
    FloatVector.fromArray(S, c, o0).add(c00).intoArray(c, o0);
    FloatVector.fromArray(S, c, o0 + l).add(c10).intoArray(c, o0 + l);
    int o1 = cOff + 1 * ldc;
    FloatVector.fromArray(S, c, o1).add(c01).intoArray(c, o1);
    FloatVector.fromArray(S, c, o1 + l).add(c11).intoArray(c, o1 + l);
    int o2 = cOff + 2 * ldc;
    FloatVector.fromArray(S, c, o2).add(c02).intoArray(c, o2);
    FloatVector.fromArray(S, c, o2 + l).add(c12).intoArray(c, o2 + l);
    int o3 = cOff + 3 * ldc;
    FloatVector.fromArray(S, c, o3).add(c03).intoArray(c, o3);
    FloatVector.fromArray(S, c, o3 + l).add(c13).intoArray(c, o3 + l);
    int o4 = cOff + 4 * ldc;
    FloatVector.fromArray(S, c, o4).add(c04).intoArray(c, o4);
    FloatVector.fromArray(S, c, o4 + l).add(c14).intoArray(c, o4 + l);
  }

  /** {@link #kernelRows5} with B read in place at {@code pbOff + p rs + j cs} for any column stride. */
  static void kernelStrided5(int kc, float[] pa, int paOff, float[] pb, int pbOff, int rs, int cs, float[] c,
      int cOff, int ldc) {
    final int l = S.length();
    final int mr = 2 * l;
    // 10 accumulators + 2 A vectors + broadcasts of B.
    FloatVector c00 = FloatVector.zero(S), c10 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c02 = FloatVector.zero(S), c12 = FloatVector.zero(S);
    FloatVector c03 = FloatVector.zero(S), c13 = FloatVector.zero(S);
    FloatVector c04 = FloatVector.zero(S), c14 = FloatVector.zero(S);
    final int j1 = 1 * cs, j2 = 2 * cs, j3 = 3 * cs, j4 = 4 * cs;
    for (int p = 0; p < kc; p++) {
      int ao = paOff + p * mr;
      int bo = pbOff + p * rs;
      FloatVector a0 = FloatVector.fromArray(S, pa, ao);
      FloatVector a1 = FloatVector.fromArray(S, pa, ao + l);
      FloatVector b;
      b = FloatVector.broadcast(S, pb[bo + 0]);
      c00 = FMA ? a0.fma(b, c00) : a0.mul(b).add(c00); c10 = FMA ? a1.fma(b, c10) : a1.mul(b).add(c10);
      b = FloatVector.broadcast(S, pb[bo + j1]);
      c01 = FMA ? a0.fma(b, c01) : a0.mul(b).add(c01); c11 = FMA ? a1.fma(b, c11) : a1.mul(b).add(c11);
      b = FloatVector.broadcast(S, pb[bo + j2]);
      c02 = FMA ? a0.fma(b, c02) : a0.mul(b).add(c02); c12 = FMA ? a1.fma(b, c12) : a1.mul(b).add(c12);
      b = FloatVector.broadcast(S, pb[bo + j3]);
      c03 = FMA ? a0.fma(b, c03) : a0.mul(b).add(c03); c13 = FMA ? a1.fma(b, c13) : a1.mul(b).add(c13);
      b = FloatVector.broadcast(S, pb[bo + j4]);
      c04 = FMA ? a0.fma(b, c04) : a0.mul(b).add(c04); c14 = FMA ? a1.fma(b, c14) : a1.mul(b).add(c14);
    }
    int o0 = cOff + 0 * ldc;
    FloatVector.fromArray(S, c, o0).add(c00).intoArray(c, o0);
    FloatVector.fromArray(S, c, o0 + l).add(c10).intoArray(c, o0 + l);
    int o1 = cOff + 1 * ldc;
    FloatVector.fromArray(S, c, o1).add(c01).intoArray(c, o1);
    FloatVector.fromArray(S, c, o1 + l).add(c11).intoArray(c, o1 + l);
    int o2 = cOff + 2 * ldc;
    FloatVector.fromArray(S, c, o2).add(c02).intoArray(c, o2);
    FloatVector.fromArray(S, c, o2 + l).add(c12).intoArray(c, o2 + l);
    int o3 = cOff + 3 * ldc;
    FloatVector.fromArray(S, c, o3).add(c03).intoArray(c, o3);
    FloatVector.fromArray(S, c, o3 + l).add(c13).intoArray(c, o3 + l);
    int o4 = cOff + 4 * ldc;
    FloatVector.fromArray(S, c, o4).add(c04).intoArray(c, o4);
    FloatVector.fromArray(S, c, o4 + l).add(c14).intoArray(c, o4 + l);
  }

  /**
   * The float32 {@link PanamaDoubleGemm#kernelColumns5}: {@link #kernelStrided5} with {@code rs = 1}, one base per
   * column.
   */
  static void kernelColumns5(int kc, float[] pa, int paOff, float[] pb, int pbOff, int cs, float[] c,
      int cOff, int ldc) {
    final int l = S.length();
    final int mr = 2 * l;
    // 10 accumulators + 2 A vectors + broadcasts of B.
    FloatVector c00 = FloatVector.zero(S), c10 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S), c11 = FloatVector.zero(S);
    FloatVector c02 = FloatVector.zero(S), c12 = FloatVector.zero(S);
    FloatVector c03 = FloatVector.zero(S), c13 = FloatVector.zero(S);
    FloatVector c04 = FloatVector.zero(S), c14 = FloatVector.zero(S);
    final int b0 = pbOff, b1 = pbOff + cs, b2 = pbOff + 2 * cs, b3 = pbOff + 3 * cs, b4 = pbOff + 4 * cs;
    for (int p = 0; p < kc; p++) {
      int ao = paOff + p * mr;
      FloatVector a0 = FloatVector.fromArray(S, pa, ao);
      FloatVector a1 = FloatVector.fromArray(S, pa, ao + l);
      FloatVector b;
      b = FloatVector.broadcast(S, pb[b0 + p]);
      c00 = FMA ? a0.fma(b, c00) : a0.mul(b).add(c00); c10 = FMA ? a1.fma(b, c10) : a1.mul(b).add(c10);
      b = FloatVector.broadcast(S, pb[b1 + p]);
      c01 = FMA ? a0.fma(b, c01) : a0.mul(b).add(c01); c11 = FMA ? a1.fma(b, c11) : a1.mul(b).add(c11);
      b = FloatVector.broadcast(S, pb[b2 + p]);
      c02 = FMA ? a0.fma(b, c02) : a0.mul(b).add(c02); c12 = FMA ? a1.fma(b, c12) : a1.mul(b).add(c12);
      b = FloatVector.broadcast(S, pb[b3 + p]);
      c03 = FMA ? a0.fma(b, c03) : a0.mul(b).add(c03); c13 = FMA ? a1.fma(b, c13) : a1.mul(b).add(c13);
      b = FloatVector.broadcast(S, pb[b4 + p]);
      c04 = FMA ? a0.fma(b, c04) : a0.mul(b).add(c04); c14 = FMA ? a1.fma(b, c14) : a1.mul(b).add(c14);
    }
    int o0 = cOff + 0 * ldc;
    FloatVector.fromArray(S, c, o0).add(c00).intoArray(c, o0);
    FloatVector.fromArray(S, c, o0 + l).add(c10).intoArray(c, o0 + l);
    int o1 = cOff + 1 * ldc;
    FloatVector.fromArray(S, c, o1).add(c01).intoArray(c, o1);
    FloatVector.fromArray(S, c, o1 + l).add(c11).intoArray(c, o1 + l);
    int o2 = cOff + 2 * ldc;
    FloatVector.fromArray(S, c, o2).add(c02).intoArray(c, o2);
    FloatVector.fromArray(S, c, o2 + l).add(c12).intoArray(c, o2 + l);
    int o3 = cOff + 3 * ldc;
    FloatVector.fromArray(S, c, o3).add(c03).intoArray(c, o3);
    FloatVector.fromArray(S, c, o3 + l).add(c13).intoArray(c, o3 + l);
    int o4 = cOff + 4 * ldc;
    FloatVector.fromArray(S, c, o4).add(c04).intoArray(c, o4);
    FloatVector.fromArray(S, c, o4 + l).add(c14).intoArray(c, o4 + l);
  }

}
