package dev.cartan.kernels.simd;

import dev.cartan.kernels.ScalarFloatKernels;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 primitives on the Vector API; every loop ends in the scalar twin's tail helper, so both providers share
 * one definition of every edge case, and inputs shorter than {@link #MIN_LENGTH} take the scalar path outright.
 *
 * <p>The species must be a JIT-time constant for the Vector API to compile to vector instructions, so each width
 * is a subclass whose {@link #sp()} returns a static final species from {@link PanamaConstants}; the loops call
 * {@code sp()}, which the JIT inlines as long as one width is used per call site (the normal case: one provider
 * per JVM). Tests that mix widths in one JVM stay correct, only slower.
 *
 * <p>Results agree with {@link ScalarFloatKernels} up to rounding: the sums are split across lanes and
 * accumulators in a different order, and FMA (when the CPU has it, {@link PanamaConstants#FMA}) rounds once
 * where the scalar loops round twice.
 */
abstract class PanamaFloatKernels extends ScalarFloatKernels {
  /**
   * Below this many elements (rows, for the matrix primitives) the scalar loops are as fast or faster: the vector
   * setup and the final {@code reduceLanes} cost about as much as 16 scalar multiply-adds. Measured with
   * PrimitivesBench at n = 8, 16, 32 (docs/design-notes.md, "SIMD thresholds").
   */
  static final int MIN_LENGTH = 16;

  private final VectorSpecies<Float> species;
  private final boolean fma;

  PanamaFloatKernels(VectorSpecies<Float> species, boolean fma) {
    this.species = species;
    this.fma = fma;
  }

  /** The kernels for {@code species}, specialised to its width when it is 128, 256 or 512 bits. */
  static PanamaFloatKernels create(VectorSpecies<Float> species, boolean fma) {
    switch (species.vectorBitSize()) {
      case 128:
        return new W128(fma);
      case 256:
        return new W256(fma);
      case 512:
        return new W512(fma);
      default:
        return new AnyWidth(species, fma);
    }
  }

  /** The species, returned from a static final constant by each width's subclass (see the class comment). */
  abstract VectorSpecies<Float> sp();

  /** float64 species of the same width as {@link #sp()}, for sums accumulated in float64. */
  abstract VectorSpecies<Double> wide();

  /** {@code a * b + acc}: one rounding with FMA hardware; without it {@code Vector.fma} is emulated and slow. */
  private static FloatVector madd(FloatVector a, FloatVector b, FloatVector acc) {
    return PanamaConstants.FMA ? a.fma(b, acc) : a.mul(b).add(acc);
  }

  @Override
  public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
    if (n < MIN_LENGTH) {
      return dotTail(0, n, x, xOff, y, yOff);
    }
    VectorSpecies<Float> s = sp();
    int l = s.length();
    int bound = s.loopBound(n);
    FloatVector a0 = FloatVector.zero(s);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    int i = 0;
    // Four independent accumulators: an FMA has 4 cycles of latency and two issue per cycle, so a single chain
    // would wait on itself; with four, the two loads per FMA become the limit instead.
    for (; i <= bound - 4 * l; i += 4 * l) {
      a0 = madd(FloatVector.fromArray(s, x, xOff + i), FloatVector.fromArray(s, y, yOff + i), a0);
      a1 = madd(FloatVector.fromArray(s, x, xOff + i + l), FloatVector.fromArray(s, y, yOff + i + l), a1);
      a2 = madd(FloatVector.fromArray(s, x, xOff + i + 2 * l), FloatVector.fromArray(s, y, yOff + i + 2 * l),
          a2);
      a3 = madd(FloatVector.fromArray(s, x, xOff + i + 3 * l), FloatVector.fromArray(s, y, yOff + i + 3 * l),
          a3);
    }
    for (; i < bound; i += l) {
      a0 = madd(FloatVector.fromArray(s, x, xOff + i), FloatVector.fromArray(s, y, yOff + i), a0);
    }
    float sum = Lanes.sum(a0.add(a1).add(a2.add(a3)));
    return sum + dotTail(i, n, x, xOff, y, yOff);
  }

  // axpy and scal: inherited. C2's auto-vectoriser already turns the scalar loops into 512-bit code with a
  // pre-loop that aligns the stores, which the Vector API cannot do (it has no view of array addresses); explicit
  // SIMD versions, plain and unrolled four times, were slower in PrimitivesBench at n = 1021 and 1024 (scal
  // 0.4-0.7x, axpy 0.5-1.25x, docs/design-notes.md "axpy and scal").

  @Override
  public float amax(int n, float[] x, int xOff) {
    if (n < MIN_LENGTH) {
      return amaxTail(0, n, x, xOff, 0f);
    }
    VectorSpecies<Float> s = sp();
    int l = s.length();
    int bound = s.loopBound(n);
    FloatVector m0 = FloatVector.zero(s);
    FloatVector m1 = m0;
    int i = 0;
    // Two chains hide the max latency; lanewise MAX follows Math.max, so a NaN lane stays NaN to the end.
    for (; i <= bound - 2 * l; i += 2 * l) {
      m0 = m0.max(FloatVector.fromArray(s, x, xOff + i).abs());
      m1 = m1.max(FloatVector.fromArray(s, x, xOff + i + l).abs());
    }
    for (; i < bound; i += l) {
      m0 = m0.max(FloatVector.fromArray(s, x, xOff + i).abs());
    }
    float m = m0.max(m1).reduceLanes(VectorOperators.MAX);
    return amaxTail(i, n, x, xOff, m);
  }

  /**
   * Squares accumulate in float64 lanes, as in the scalar class: each float32 is widened exactly, so its square
   * neither overflows nor underflows, and the sum carries float64 rounding. (float32 lanes would be twice as wide
   * but overflow above 1.8e19 and lose n * 6e-8 relatively, which the Jacobi convergence tests cannot afford.)
   * Each load reads a full-width float vector and widens its lower half (part 0: one conversion, no shuffle), so the
   * loop stops one half early and the tail is scalar. Not a half-width species: loading through one makes the JIT's
   * type profiles of the shared {@code FloatVector} methods see two vector classes, after which the float32 GEMM
   * micro-kernel compiled later runs at half speed (docs/design-notes.md, "float32 GEMM and the half-width
   * species").
   */
  @Override
  public double sumSquares(int n, float[] x, int xOff) {
    VectorSpecies<Float> f = sp();
    if (n < Math.max(MIN_LENGTH, f.length())) {
      return sumSquaresTail(0, n, x, xOff);
    }
    VectorSpecies<Double> d = wide();
    int l = d.length();
    // Loads at i read f.length() = 2 l floats: i + 2 l <= n holds for every i below loopBound(n - l).
    int bound = d.loopBound(n - l);
    DoubleVector a0 = DoubleVector.zero(d);
    DoubleVector a1 = a0;
    DoubleVector a2 = a0;
    DoubleVector a3 = a0;
    int i = 0;
    // Four accumulators: one load and one conversion per FMA, so the FMA latency would otherwise dominate.
    for (; i <= bound - 4 * l; i += 4 * l) {
      DoubleVector v0 = widen(f, d, x, xOff + i);
      DoubleVector v1 = widen(f, d, x, xOff + i + l);
      DoubleVector v2 = widen(f, d, x, xOff + i + 2 * l);
      DoubleVector v3 = widen(f, d, x, xOff + i + 3 * l);
      a0 = wmadd(v0, v0, a0);
      a1 = wmadd(v1, v1, a1);
      a2 = wmadd(v2, v2, a2);
      a3 = wmadd(v3, v3, a3);
    }
    for (; i < bound; i += l) {
      DoubleVector v = widen(f, d, x, xOff + i);
      a0 = wmadd(v, v, a0);
    }
    double sum = Lanes.sum(a0.add(a1).add(a2.add(a3)));
    return sum + sumSquaresTail(i, n, x, xOff);
  }

  // nrm2: inherited, sqrt(sumSquares) with this class's sumSquares; exact squares in float64 need no scaling.

  /**
   * The rotation runs in float32 (as the scalar class) on full-width vectors; each rotated vector is widened exactly,
   * its lower half (part 0) and upper half (part 1) separately, into the float64 accumulators of
   * {@code |x'|^2, |y'|^2, x'.y'}. Not through a half-width species, for the reason given at {@link #sumSquares}: a
   * half-width {@code FloatVector} stored or loaded here, even once (the warm-up calls this), left the float32 GEMM
   * micro-kernels compiled afterwards on the JDK's non-intrinsic store and the float32 fast SVD 1.3-1.7x slower
   * (docs/design-notes.md, "float32 GEMM and the half-width species").
   */
  @Override
  public void rotate(int n, float[] x, int xOff, float[] y, int yOff, float c, float s, double[] out) {
    out[0] = 0;
    out[1] = 0;
    out[2] = 0;
    VectorSpecies<Float> f = sp();
    int i = 0;
    if (n >= Math.max(MIN_LENGTH, f.length())) {
      VectorSpecies<Double> d = wide();
      int l = f.length();
      int bound = f.loopBound(n);
      FloatVector vc = FloatVector.broadcast(f, c);
      FloatVector vs = FloatVector.broadcast(f, s);
      FloatVector vns = FloatVector.broadcast(f, -s);
      DoubleVector xx0 = DoubleVector.zero(d);
      DoubleVector yy0 = xx0;
      DoubleVector xy0 = xx0;
      DoubleVector xx1 = xx0;
      DoubleVector yy1 = xx0;
      DoubleVector xy1 = xx0;
      // Six accumulator chains (lower and upper halves) cover the FMA latency; the two stores per step are the limit.
      for (; i < bound; i += l) {
        FloatVector a = FloatVector.fromArray(f, x, xOff + i);
        FloatVector b = FloatVector.fromArray(f, y, yOff + i);
        FloatVector u = madd(a, vc, b.mul(vns));
        FloatVector v = madd(a, vs, b.mul(vc));
        u.intoArray(x, xOff + i);
        v.intoArray(y, yOff + i);
        DoubleVector wu = (DoubleVector) u.convertShape(VectorOperators.F2D, d, 0);
        DoubleVector wv = (DoubleVector) v.convertShape(VectorOperators.F2D, d, 0);
        xx0 = wmadd(wu, wu, xx0);
        yy0 = wmadd(wv, wv, yy0);
        xy0 = wmadd(wu, wv, xy0);
        wu = (DoubleVector) u.convertShape(VectorOperators.F2D, d, 1);
        wv = (DoubleVector) v.convertShape(VectorOperators.F2D, d, 1);
        xx1 = wmadd(wu, wu, xx1);
        yy1 = wmadd(wv, wv, yy1);
        xy1 = wmadd(wu, wv, xy1);
      }
      out[0] = Lanes.sum(xx0.add(xx1));
      out[1] = Lanes.sum(yy0.add(yy1));
      out[2] = Lanes.sum(xy0.add(xy1));
    }
    rotateTail(i, n, x, xOff, y, yOff, c, s, out);
  }

  /**
   * Loads a vector of species f ({@code 2 d.length()} floats) and widens its lower {@code d.length()} floats exactly
   * into float64 lanes.
   */
  private static DoubleVector widen(VectorSpecies<Float> f, VectorSpecies<Double> d, float[] x, int off) {
    return (DoubleVector) FloatVector.fromArray(f, x, off).convertShape(VectorOperators.F2D, d, 0);
  }

  /** float64 twin of {@link #madd}. */
  private static DoubleVector wmadd(DoubleVector a, DoubleVector b, DoubleVector acc) {
    return PanamaConstants.FMA ? a.fma(b, acc) : a.mul(b).add(acc);
  }

  // householder: the inherited slarfg gets its norm from this class's nrm2; its O(n) scaling stays scalar
  // because it multiplies in float64 before rounding, which float32 lanes would not reproduce.

  /**
   * Blocks of four columns: the four dots {@code w_j = v . C[:, j]} share each load of v, and the rank-1 update
   * of the same four columns follows while they are still in L1 (per block, 4 m floats).
   */
  @Override
  public void applyHouseholderLeft(int m, int n, float[] v, int vOff, float tau, float[] c, int cOff,
      int ldc, float[] work) {
    if (m - 1 < MIN_LENGTH) {
      super.applyHouseholderLeft(m, n, v, vOff, tau, c, cOff, ldc, work);
      return;
    }
    if (tau == 0f) {
      return;
    }
    for (int j0 = 0; j0 < n; j0 += 4) {
      int nb = Math.min(4, n - j0);
      int block = cOff + j0 * ldc;
      columnDots(m - 1, nb, 1f, c, block + 1, ldc, v, vOff + 1, 0f, work, j0);
      for (int j = j0; j < j0 + nb; j++) {
        int col = cOff + j * ldc;
        // v[0] = 1 is implicit: row 0 of C joins the dot and takes the update by hand.
        work[j] += c[col];
        c[col] += -tau * work[j];
      }
      addToColumns(m - 1, nb, -tau, v, vOff + 1, work, j0, c, block + 1, ldc);
    }
  }

  /** {@code w = C v} with four columns per pass over w, then {@code C -= tau w v^T} with four per pass over w. */
  @Override
  public void applyHouseholderRight(int m, int n, float[] v, int vOff, float tau, float[] c, int cOff,
      int ldc, float[] work) {
    if (m < MIN_LENGTH) {
      super.applyHouseholderRight(m, n, v, vOff, tau, c, cOff, ldc, work);
      return;
    }
    if (tau == 0f || n == 0) {
      return;
    }
    System.arraycopy(c, cOff, work, 0, m);
    combineColumns(m, n - 1, 1f, c, cOff + ldc, ldc, v, vOff + 1, work, 0);
    axpy(m, -tau, work, 0, c, cOff);
    addToColumns(m, n - 1, -tau, work, 0, v, vOff + 1, c, cOff + ldc, ldc);
  }

  @Override
  public void gemv(int m, int n, float alpha, float[] a, int aOff, int lda, float[] x, int xOff,
      float beta, float[] y, int yOff) {
    if (m < MIN_LENGTH) {
      super.gemv(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
      return;
    }
    scaleY(m, beta, y, yOff);
    combineColumns(m, n, alpha, a, aOff, lda, x, xOff, y, yOff);
  }

  @Override
  public void gemvTransposed(int m, int n, float alpha, float[] a, int aOff, int lda, float[] x, int xOff,
      float beta, float[] y, int yOff) {
    if (m < MIN_LENGTH) {
      super.gemvTransposed(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
      return;
    }
    columnDots(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
  }

  /**
   * {@code y += sum_j (alpha coef[coefOff + j]) A[:, j]} for the {@code m x n} block A (gemv without beta).
   * Four columns per pass, so y is loaded and stored once per four columns instead of once per column.
   */
  private void combineColumns(int m, int n, float alpha, float[] a, int aOff, int lda, float[] coef,
      int coefOff, float[] y, int yOff) {
    VectorSpecies<Float> s = sp();
    int l = s.length();
    int bound = s.loopBound(m);
    int j = 0;
    for (; j + 3 < n; j += 4) {
      float t0 = alpha * coef[coefOff + j];
      float t1 = alpha * coef[coefOff + j + 1];
      float t2 = alpha * coef[coefOff + j + 2];
      float t3 = alpha * coef[coefOff + j + 3];
      FloatVector v0 = FloatVector.broadcast(s, t0);
      FloatVector v1 = FloatVector.broadcast(s, t1);
      FloatVector v2 = FloatVector.broadcast(s, t2);
      FloatVector v3 = FloatVector.broadcast(s, t3);
      int c0 = aOff + j * lda;
      int c1 = c0 + lda;
      int c2 = c1 + lda;
      int c3 = c2 + lda;
      int i = 0;
      for (; i < bound; i += l) {
        FloatVector acc = FloatVector.fromArray(s, y, yOff + i);
        acc = madd(FloatVector.fromArray(s, a, c0 + i), v0, acc);
        acc = madd(FloatVector.fromArray(s, a, c1 + i), v1, acc);
        acc = madd(FloatVector.fromArray(s, a, c2 + i), v2, acc);
        acc = madd(FloatVector.fromArray(s, a, c3 + i), v3, acc);
        acc.intoArray(y, yOff + i);
      }
      axpyTail(i, m, t0, a, c0, y, yOff);
      axpyTail(i, m, t1, a, c1, y, yOff);
      axpyTail(i, m, t2, a, c2, y, yOff);
      axpyTail(i, m, t3, a, c3, y, yOff);
    }
    for (; j < n; j++) {
      axpy(m, alpha * coef[coefOff + j], a, aOff + j * lda, y, yOff);
    }
  }

  /**
   * {@code A[:, j] += (alpha coef[coefOff + j]) x} for the {@code m x n} block A (a rank-1 update). Four columns
   * per pass share each load of x.
   */
  private void addToColumns(int m, int n, float alpha, float[] x, int xOff, float[] coef, int coefOff,
      float[] a, int aOff, int lda) {
    VectorSpecies<Float> s = sp();
    int l = s.length();
    int bound = s.loopBound(m);
    int j = 0;
    for (; j + 3 < n; j += 4) {
      float t0 = alpha * coef[coefOff + j];
      float t1 = alpha * coef[coefOff + j + 1];
      float t2 = alpha * coef[coefOff + j + 2];
      float t3 = alpha * coef[coefOff + j + 3];
      FloatVector v0 = FloatVector.broadcast(s, t0);
      FloatVector v1 = FloatVector.broadcast(s, t1);
      FloatVector v2 = FloatVector.broadcast(s, t2);
      FloatVector v3 = FloatVector.broadcast(s, t3);
      int c0 = aOff + j * lda;
      int c1 = c0 + lda;
      int c2 = c1 + lda;
      int c3 = c2 + lda;
      int i = 0;
      for (; i < bound; i += l) {
        FloatVector vx = FloatVector.fromArray(s, x, xOff + i);
        madd(vx, v0, FloatVector.fromArray(s, a, c0 + i)).intoArray(a, c0 + i);
        madd(vx, v1, FloatVector.fromArray(s, a, c1 + i)).intoArray(a, c1 + i);
        madd(vx, v2, FloatVector.fromArray(s, a, c2 + i)).intoArray(a, c2 + i);
        madd(vx, v3, FloatVector.fromArray(s, a, c3 + i)).intoArray(a, c3 + i);
      }
      axpyTail(i, m, t0, x, xOff, a, c0);
      axpyTail(i, m, t1, x, xOff, a, c1);
      axpyTail(i, m, t2, x, xOff, a, c2);
      axpyTail(i, m, t3, x, xOff, a, c3);
    }
    for (; j < n; j++) {
      axpy(m, alpha * coef[coefOff + j], x, xOff, a, aOff + j * lda);
    }
  }

  /**
   * {@code y[yOff + j] = (beta == 0 ? 0 : beta y[yOff + j]) + alpha (A[:, j] . x)} for the {@code m x n} block A
   * (gemv of the transpose). Four columns per pass share each load of x; their four accumulators are independent
   * chains, which also covers the FMA latency.
   */
  private void columnDots(int m, int n, float alpha, float[] a, int aOff, int lda, float[] x, int xOff,
      float beta, float[] y, int yOff) {
    VectorSpecies<Float> s = sp();
    int l = s.length();
    int bound = s.loopBound(m);
    int j = 0;
    for (; j + 3 < n; j += 4) {
      int c0 = aOff + j * lda;
      int c1 = c0 + lda;
      int c2 = c1 + lda;
      int c3 = c2 + lda;
      FloatVector a0 = FloatVector.zero(s);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      int i = 0;
      for (; i < bound; i += l) {
        FloatVector vx = FloatVector.fromArray(s, x, xOff + i);
        a0 = madd(FloatVector.fromArray(s, a, c0 + i), vx, a0);
        a1 = madd(FloatVector.fromArray(s, a, c1 + i), vx, a1);
        a2 = madd(FloatVector.fromArray(s, a, c2 + i), vx, a2);
        a3 = madd(FloatVector.fromArray(s, a, c3 + i), vx, a3);
      }
      store(y, yOff + j, alpha, beta, Lanes.sum(a0) + dotTail(i, m, a, c0, x, xOff));
      store(y, yOff + j + 1, alpha, beta, Lanes.sum(a1) + dotTail(i, m, a, c1, x, xOff));
      store(y, yOff + j + 2, alpha, beta, Lanes.sum(a2) + dotTail(i, m, a, c2, x, xOff));
      store(y, yOff + j + 3, alpha, beta, Lanes.sum(a3) + dotTail(i, m, a, c3, x, xOff));
    }
    for (; j < n; j++) {
      store(y, yOff + j, alpha, beta, dot(m, a, aOff + j * lda, x, xOff));
    }
  }

  /** {@code y[k] = (beta == 0 ? 0 : beta y[k]) + alpha d}, the scalar class's gemvTransposed formula. */
  private static void store(float[] y, int k, float alpha, float beta, float d) {
    y[k] = (beta == 0f ? 0f : beta * y[k]) + alpha * d;
  }

  /** 128-bit vectors (4 lanes; 2 for the float64 sums). */
  static final class W128 extends PanamaFloatKernels {
    W128(boolean fma) {
      super(PanamaConstants.F128, fma);
    }

    @Override
    VectorSpecies<Float> sp() {
      return PanamaConstants.F128;
    }

    @Override
    VectorSpecies<Double> wide() {
      return PanamaConstants.D128;
    }
  }

  /** 256-bit vectors (8 lanes; 4 for the float64 sums). */
  static final class W256 extends PanamaFloatKernels {
    W256(boolean fma) {
      super(PanamaConstants.F256, fma);
    }

    @Override
    VectorSpecies<Float> sp() {
      return PanamaConstants.F256;
    }

    @Override
    VectorSpecies<Double> wide() {
      return PanamaConstants.D256;
    }
  }

  /** 512-bit vectors (16 lanes; 8 for the float64 sums). */
  static final class W512 extends PanamaFloatKernels {
    W512(boolean fma) {
      super(PanamaConstants.F512, fma);
    }

    @Override
    VectorSpecies<Float> sp() {
      return PanamaConstants.F512;
    }

    @Override
    VectorSpecies<Double> wide() {
      return PanamaConstants.D512;
    }
  }

  /** Any other width (e.g. SVE beyond 512 bits): correct, but the species is not a JIT constant, so slow. */
  static final class AnyWidth extends PanamaFloatKernels {
    private final VectorSpecies<Float> any;
    private final VectorSpecies<Double> anyWide;

    AnyWidth(VectorSpecies<Float> species, boolean fma) {
      super(species, fma);
      this.any = species;
      int bits = species.vectorBitSize();
      this.anyWide = VectorSpecies.of(double.class, VectorShape.forBitSize(bits));
    }

    @Override
    VectorSpecies<Float> sp() {
      return any;
    }

    @Override
    VectorSpecies<Double> wide() {
      return anyWide;
    }
  }

  // GEMM micro-kernel: see PanamaFloatGemm.
  @Override
  public int gemmMr() {
    return PanamaFloatGemm.MR;
  }

  @Override
  public int gemmNr() {
    return PanamaFloatGemm.NR;
  }

  @Override
  public void gemmMicroKernel(int kc, float[] pa, int paOff, float[] pb, int pbOff, float[] c, int cOff, int ldc) {
    if (PanamaFloatGemm.WIDE_FILE) {
      PanamaFloatGemm.kernel(kc, pa, paOff, pb, pbOff, c, cOff, ldc);
    } else if (PanamaFloatGemm.NR == 5) {
      PanamaFloatGemm.kernelRows5(kc, pa, paOff, pb, pbOff, 5, c, cOff, ldc);
    } else {
      PanamaFloatGemm.kernelRows6(kc, pa, paOff, pb, pbOff, 6, c, cOff, ldc);
    }
  }
  @Override
  public void gemmMicroKernelStrided(int kc, float[] pa, int paOff, float[] pb, int pbOff, int rs, int cs, float[] c,
      int cOff, int ldc) {
    if (!PanamaFloatGemm.WIDE_FILE) {
      // The wide tile is the 16-register tile with B read in place.
      if (PanamaFloatGemm.NR == 5) {
        if (cs == 1) {
          PanamaFloatGemm.kernelRows5(kc, pa, paOff, pb, pbOff, rs, c, cOff, ldc);
        } else if (rs == 1 && PanamaConstants.COLUMN_BASES) {
          PanamaFloatGemm.kernelColumns5(kc, pa, paOff, pb, pbOff, cs, c, cOff, ldc);
        } else {
          PanamaFloatGemm.kernelStrided5(kc, pa, paOff, pb, pbOff, rs, cs, c, cOff, ldc);
        }
      } else if (cs == 1) {
        PanamaFloatGemm.kernelRows6(kc, pa, paOff, pb, pbOff, rs, c, cOff, ldc);
      } else {
        PanamaFloatGemm.kernelWide(kc, pa, paOff, pb, pbOff, rs, cs, c, cOff, ldc);
      }
    } else if (cs == 1) {
      PanamaFloatGemm.kernelRows(kc, pa, paOff, pb, pbOff, rs, c, cOff, ldc);
    } else {
      PanamaFloatGemm.kernelStrided(kc, pa, paOff, pb, pbOff, rs, cs, c, cOff, ldc);
    }
  }
  @Override
  public int gemmWideMr() {
    return PanamaFloatGemm.WIDE_MR;
  }

  @Override
  public int gemmWideNr() {
    return PanamaFloatGemm.WIDE_FILE ? 6 : PanamaFloatGemm.NR;
  }

  @Override
  public void gemmMicroKernelWide(int kc, float[] pa, int paOff, float[] pb, int pbOff, int rs, int cs,
      float[] c, int cOff, int ldc) {
    if (PanamaFloatGemm.WIDE_FILE) {
      PanamaFloatGemm.kernelWide(kc, pa, paOff, pb, pbOff, rs, cs, c, cOff, ldc);
    } else {
      // With 16 registers the wide tile is the strided tile (gemmWideMr() == gemmMr(), gemmWideNr() == gemmNr()).
      gemmMicroKernelStrided(kc, pa, paOff, pb, pbOff, rs, cs, c, cOff, ldc);
    }
  }


}
