package dev.cartan.kernels.simd;

import dev.cartan.kernels.ScalarDoubleKernels;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * float64 primitives on the Vector API; every loop ends in the scalar twin's tail helper, so both providers share
 * one definition of every edge case, and inputs shorter than {@link #MIN_LENGTH} take the scalar path outright.
 *
 * <p>The species must be a JIT-time constant for the Vector API to compile to vector instructions, so each width
 * is a subclass whose {@link #sp()} returns a static final species from {@link PanamaConstants}; the loops call
 * {@code sp()}, which the JIT inlines as long as one width is used per call site (the normal case: one provider
 * per JVM). Tests that mix widths in one JVM stay correct, only slower.
 *
 * <p>Results agree with {@link ScalarDoubleKernels} up to rounding: the sums are split across lanes and
 * accumulators in a different order, and FMA (when the CPU has it, {@link PanamaConstants#FMA}) rounds once
 * where the scalar loops round twice.
 */
abstract class PanamaDoubleKernels extends ScalarDoubleKernels {
  /**
   * Below this many elements (rows, for the matrix primitives) the scalar loops are as fast or faster: the vector
   * setup and the final {@code reduceLanes} cost about as much as 16 scalar multiply-adds. Measured with
   * PrimitivesBench at n = 8, 16, 32 (docs/design-notes.md, "SIMD thresholds").
   */
  static final int MIN_LENGTH = 16;

  private final VectorSpecies<Double> species;
  private final boolean fma;

  PanamaDoubleKernels(VectorSpecies<Double> species, boolean fma) {
    this.species = species;
    this.fma = fma;
  }

  /** The kernels for {@code species}, specialised to its width when it is 128, 256 or 512 bits. */
  static PanamaDoubleKernels create(VectorSpecies<Double> species, boolean fma) {
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
  abstract VectorSpecies<Double> sp();

  /** {@code a * b + acc}: one rounding with FMA hardware; without it {@code Vector.fma} is emulated and slow. */
  private static DoubleVector madd(DoubleVector a, DoubleVector b, DoubleVector acc) {
    return PanamaConstants.FMA ? a.fma(b, acc) : a.mul(b).add(acc);
  }

  @Override
  public double dot(int n, double[] x, int xOff, double[] y, int yOff) {
    if (n < MIN_LENGTH) {
      return dotTail(0, n, x, xOff, y, yOff);
    }
    VectorSpecies<Double> s = sp();
    int l = s.length();
    int bound = s.loopBound(n);
    DoubleVector a0 = DoubleVector.zero(s);
    DoubleVector a1 = a0;
    DoubleVector a2 = a0;
    DoubleVector a3 = a0;
    int i = 0;
    // Four independent accumulators: an FMA has 4 cycles of latency and two issue per cycle, so a single chain
    // would wait on itself; with four, the two loads per FMA become the limit instead.
    for (; i <= bound - 4 * l; i += 4 * l) {
      a0 = madd(DoubleVector.fromArray(s, x, xOff + i), DoubleVector.fromArray(s, y, yOff + i), a0);
      a1 = madd(DoubleVector.fromArray(s, x, xOff + i + l), DoubleVector.fromArray(s, y, yOff + i + l), a1);
      a2 = madd(DoubleVector.fromArray(s, x, xOff + i + 2 * l), DoubleVector.fromArray(s, y, yOff + i + 2 * l),
          a2);
      a3 = madd(DoubleVector.fromArray(s, x, xOff + i + 3 * l), DoubleVector.fromArray(s, y, yOff + i + 3 * l),
          a3);
    }
    for (; i < bound; i += l) {
      a0 = madd(DoubleVector.fromArray(s, x, xOff + i), DoubleVector.fromArray(s, y, yOff + i), a0);
    }
    double sum = Lanes.sum(a0.add(a1).add(a2.add(a3)));
    return sum + dotTail(i, n, x, xOff, y, yOff);
  }

  // axpy and scal: inherited. C2's auto-vectoriser already turns the scalar loops into 512-bit code with a
  // pre-loop that aligns the stores, which the Vector API cannot do (it has no view of array addresses); explicit
  // SIMD versions, plain and unrolled four times, were slower in PrimitivesBench at n = 1021 and 1024 (scal
  // 0.4-0.7x, axpy 0.5-1.25x, docs/design-notes.md "axpy and scal").

  @Override
  public double amax(int n, double[] x, int xOff) {
    if (n < MIN_LENGTH) {
      return amaxTail(0, n, x, xOff, 0.0);
    }
    VectorSpecies<Double> s = sp();
    int l = s.length();
    int bound = s.loopBound(n);
    DoubleVector m0 = DoubleVector.zero(s);
    DoubleVector m1 = m0;
    int i = 0;
    // Two chains hide the max latency; lanewise MAX follows Math.max, so a NaN lane stays NaN to the end.
    for (; i <= bound - 2 * l; i += 2 * l) {
      m0 = m0.max(DoubleVector.fromArray(s, x, xOff + i).abs());
      m1 = m1.max(DoubleVector.fromArray(s, x, xOff + i + l).abs());
    }
    for (; i < bound; i += l) {
      m0 = m0.max(DoubleVector.fromArray(s, x, xOff + i).abs());
    }
    double m = m0.max(m1).reduceLanes(VectorOperators.MAX);
    return amaxTail(i, n, x, xOff, m);
  }

  @Override
  public double sumSquares(int n, double[] x, int xOff) {
    if (n < MIN_LENGTH) {
      return dotTail(0, n, x, xOff, x, xOff);
    }
    VectorSpecies<Double> s = sp();
    int l = s.length();
    int bound = s.loopBound(n);
    DoubleVector a0 = DoubleVector.zero(s);
    DoubleVector a1 = a0;
    DoubleVector a2 = a0;
    DoubleVector a3 = a0;
    int i = 0;
    // Four accumulators as in dot; one load per FMA here, so latency matters even more.
    for (; i <= bound - 4 * l; i += 4 * l) {
      DoubleVector v0 = DoubleVector.fromArray(s, x, xOff + i);
      DoubleVector v1 = DoubleVector.fromArray(s, x, xOff + i + l);
      DoubleVector v2 = DoubleVector.fromArray(s, x, xOff + i + 2 * l);
      DoubleVector v3 = DoubleVector.fromArray(s, x, xOff + i + 3 * l);
      a0 = madd(v0, v0, a0);
      a1 = madd(v1, v1, a1);
      a2 = madd(v2, v2, a2);
      a3 = madd(v3, v3, a3);
    }
    for (; i < bound; i += l) {
      DoubleVector v = DoubleVector.fromArray(s, x, xOff + i);
      a0 = madd(v, v, a0);
    }
    double sum = Lanes.sum(a0.add(a1).add(a2.add(a3)));
    return sum + dotTail(i, n, x, xOff, x, xOff);
  }

  // nrm2: inherited. It takes one unscaled pass through this class's sumSquares and only when that sum left
  // [SSQ_SAFE_MIN, SSQ_SAFE_MAX] (entries near overflow or underflow) the scaled second pass, which uses this
  // class's amax.

  @Override
  public void rotate(int n, double[] x, int xOff, double[] y, int yOff, double c, double s, double[] out) {
    out[0] = 0;
    out[1] = 0;
    out[2] = 0;
    int i = 0;
    if (n >= MIN_LENGTH) {
      VectorSpecies<Double> sp = sp();
      int l = sp.length();
      int bound = sp.loopBound(n);
      DoubleVector vc = DoubleVector.broadcast(sp, c);
      DoubleVector vs = DoubleVector.broadcast(sp, s);
      DoubleVector vns = DoubleVector.broadcast(sp, -s);
      DoubleVector xx0 = DoubleVector.zero(sp);
      DoubleVector yy0 = xx0;
      DoubleVector xy0 = xx0;
      DoubleVector xx1 = xx0;
      DoubleVector yy1 = xx0;
      DoubleVector xy1 = xx0;
      // Unrolled twice: six accumulator chains cover the FMA latency; the two stores per step are the limit.
      for (; i <= bound - 2 * l; i += 2 * l) {
        DoubleVector a = DoubleVector.fromArray(sp, x, xOff + i);
        DoubleVector b = DoubleVector.fromArray(sp, y, yOff + i);
        DoubleVector u = madd(a, vc, b.mul(vns));
        DoubleVector v = madd(a, vs, b.mul(vc));
        u.intoArray(x, xOff + i);
        v.intoArray(y, yOff + i);
        xx0 = madd(u, u, xx0);
        yy0 = madd(v, v, yy0);
        xy0 = madd(u, v, xy0);
        a = DoubleVector.fromArray(sp, x, xOff + i + l);
        b = DoubleVector.fromArray(sp, y, yOff + i + l);
        u = madd(a, vc, b.mul(vns));
        v = madd(a, vs, b.mul(vc));
        u.intoArray(x, xOff + i + l);
        v.intoArray(y, yOff + i + l);
        xx1 = madd(u, u, xx1);
        yy1 = madd(v, v, yy1);
        xy1 = madd(u, v, xy1);
      }
      for (; i < bound; i += l) {
        DoubleVector a = DoubleVector.fromArray(sp, x, xOff + i);
        DoubleVector b = DoubleVector.fromArray(sp, y, yOff + i);
        DoubleVector u = madd(a, vc, b.mul(vns));
        DoubleVector v = madd(a, vs, b.mul(vc));
        u.intoArray(x, xOff + i);
        v.intoArray(y, yOff + i);
        xx0 = madd(u, u, xx0);
        yy0 = madd(v, v, yy0);
        xy0 = madd(u, v, xy0);
      }
      out[0] = Lanes.sum(xx0.add(xx1));
      out[1] = Lanes.sum(yy0.add(yy1));
      out[2] = Lanes.sum(xy0.add(xy1));
    }
    rotateTail(i, n, x, xOff, y, yOff, c, s, out);
  }

  @Override
  public void rot(int n, double[] x, int xOff, double[] y, int yOff, double c, double s) {
    int i = 0;
    if (n >= MIN_LENGTH) {
      VectorSpecies<Double> sp = sp();
      DoubleVector vc = DoubleVector.broadcast(sp, c);
      DoubleVector vs = DoubleVector.broadcast(sp, s);
      DoubleVector vns = vs.neg();
      // rotate's arithmetic without its three norm chains: two loads, two stores and four multiply(-add)s per
      // step, so the stores are the limit and there is no latency chain to unroll for.
      for (int bound = sp.loopBound(n), l = sp.length(); i < bound; i += l) {
        DoubleVector a = DoubleVector.fromArray(sp, x, xOff + i);
        DoubleVector b = DoubleVector.fromArray(sp, y, yOff + i);
        madd(a, vc, b.mul(vns)).intoArray(x, xOff + i);
        madd(a, vs, b.mul(vc)).intoArray(y, yOff + i);
      }
    }
    rotTail(i, n, x, xOff, y, yOff, c, s);
  }

  // householder: the inherited dlarfg calls this class's nrm2 and scal, which carry all of its O(n) work.

  /**
   * Blocks of four columns: the four dots {@code w_j = v . C[:, j]} share each load of v, and the rank-1 update
   * of the same four columns follows while they are still in L1 (per block, 4 m doubles).
   */
  @Override
  public void applyHouseholderLeft(int m, int n, double[] v, int vOff, double tau, double[] c, int cOff,
      int ldc, double[] work) {
    if (m - 1 < MIN_LENGTH) {
      super.applyHouseholderLeft(m, n, v, vOff, tau, c, cOff, ldc, work);
      return;
    }
    if (tau == 0.0) {
      return;
    }
    for (int j0 = 0; j0 < n; j0 += 4) {
      int nb = Math.min(4, n - j0);
      int block = cOff + j0 * ldc;
      columnDots(m - 1, nb, 1.0, c, block + 1, ldc, v, vOff + 1, 0.0, work, j0);
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
  public void applyHouseholderRight(int m, int n, double[] v, int vOff, double tau, double[] c, int cOff,
      int ldc, double[] work) {
    if (m < MIN_LENGTH) {
      super.applyHouseholderRight(m, n, v, vOff, tau, c, cOff, ldc, work);
      return;
    }
    if (tau == 0.0 || n == 0) {
      return;
    }
    System.arraycopy(c, cOff, work, 0, m);
    combineColumns(m, n - 1, 1.0, c, cOff + ldc, ldc, v, vOff + 1, work, 0);
    axpy(m, -tau, work, 0, c, cOff);
    addToColumns(m, n - 1, -tau, work, 0, v, vOff + 1, c, cOff + ldc, ldc);
  }

  /** {@code w = C^T v} four columns per pass, then {@code C -= tau v w^T} four columns per pass over v. */
  @Override
  public void reflectLeft(int m, int n, double[] v, int vOff, double tau, double[] c, int cOff, int ldc,
      double[] work) {
    if (m < MIN_LENGTH) {
      super.reflectLeft(m, n, v, vOff, tau, c, cOff, ldc, work);
      return;
    }
    if (tau == 0.0 || n == 0) {
      return;
    }
    columnDots(m, n, 1.0, c, cOff, ldc, v, vOff, 0.0, work, 0);
    addToColumns(m, n, -tau, v, vOff, work, 0, c, cOff, ldc);
  }

  /** {@code w = C v} four columns per pass over w, then {@code C -= tau w v^T} four per pass. */
  @Override
  public void reflectRight(int m, int n, double[] v, int vOff, double tau, double[] c, int cOff, int ldc,
      double[] work) {
    if (m < MIN_LENGTH) {
      super.reflectRight(m, n, v, vOff, tau, c, cOff, ldc, work);
      return;
    }
    if (tau == 0.0 || n == 0) {
      return;
    }
    java.util.Arrays.fill(work, 0, m, 0.0);
    combineColumns(m, n, 1.0, c, cOff, ldc, v, vOff, work, 0);
    addToColumns(m, n, -tau, work, 0, v, vOff, c, cOff, ldc);
  }

  @Override
  public void gemv(int m, int n, double alpha, double[] a, int aOff, int lda, double[] x, int xOff,
      double beta, double[] y, int yOff) {
    if (m < MIN_LENGTH) {
      super.gemv(m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
      return;
    }
    scaleY(m, beta, y, yOff);
    combineColumns(m, n, alpha, a, aOff, lda, x, xOff, y, yOff);
  }

  @Override
  public void gemvTransposed(int m, int n, double alpha, double[] a, int aOff, int lda, double[] x, int xOff,
      double beta, double[] y, int yOff) {
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
  private void combineColumns(int m, int n, double alpha, double[] a, int aOff, int lda, double[] coef,
      int coefOff, double[] y, int yOff) {
    VectorSpecies<Double> s = sp();
    int l = s.length();
    int bound = s.loopBound(m);
    int j = 0;
    for (; j + 3 < n; j += 4) {
      double t0 = alpha * coef[coefOff + j];
      double t1 = alpha * coef[coefOff + j + 1];
      double t2 = alpha * coef[coefOff + j + 2];
      double t3 = alpha * coef[coefOff + j + 3];
      DoubleVector v0 = DoubleVector.broadcast(s, t0);
      DoubleVector v1 = DoubleVector.broadcast(s, t1);
      DoubleVector v2 = DoubleVector.broadcast(s, t2);
      DoubleVector v3 = DoubleVector.broadcast(s, t3);
      int c0 = aOff + j * lda;
      int c1 = c0 + lda;
      int c2 = c1 + lda;
      int c3 = c2 + lda;
      int i = 0;
      for (; i < bound; i += l) {
        DoubleVector acc = DoubleVector.fromArray(s, y, yOff + i);
        acc = madd(DoubleVector.fromArray(s, a, c0 + i), v0, acc);
        acc = madd(DoubleVector.fromArray(s, a, c1 + i), v1, acc);
        acc = madd(DoubleVector.fromArray(s, a, c2 + i), v2, acc);
        acc = madd(DoubleVector.fromArray(s, a, c3 + i), v3, acc);
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
  private void addToColumns(int m, int n, double alpha, double[] x, int xOff, double[] coef, int coefOff,
      double[] a, int aOff, int lda) {
    VectorSpecies<Double> s = sp();
    int l = s.length();
    int bound = s.loopBound(m);
    int j = 0;
    for (; j + 3 < n; j += 4) {
      double t0 = alpha * coef[coefOff + j];
      double t1 = alpha * coef[coefOff + j + 1];
      double t2 = alpha * coef[coefOff + j + 2];
      double t3 = alpha * coef[coefOff + j + 3];
      DoubleVector v0 = DoubleVector.broadcast(s, t0);
      DoubleVector v1 = DoubleVector.broadcast(s, t1);
      DoubleVector v2 = DoubleVector.broadcast(s, t2);
      DoubleVector v3 = DoubleVector.broadcast(s, t3);
      int c0 = aOff + j * lda;
      int c1 = c0 + lda;
      int c2 = c1 + lda;
      int c3 = c2 + lda;
      int i = 0;
      for (; i < bound; i += l) {
        DoubleVector vx = DoubleVector.fromArray(s, x, xOff + i);
        madd(vx, v0, DoubleVector.fromArray(s, a, c0 + i)).intoArray(a, c0 + i);
        madd(vx, v1, DoubleVector.fromArray(s, a, c1 + i)).intoArray(a, c1 + i);
        madd(vx, v2, DoubleVector.fromArray(s, a, c2 + i)).intoArray(a, c2 + i);
        madd(vx, v3, DoubleVector.fromArray(s, a, c3 + i)).intoArray(a, c3 + i);
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
  private void columnDots(int m, int n, double alpha, double[] a, int aOff, int lda, double[] x, int xOff,
      double beta, double[] y, int yOff) {
    VectorSpecies<Double> s = sp();
    int l = s.length();
    int bound = s.loopBound(m);
    int j = 0;
    for (; j + 3 < n; j += 4) {
      int c0 = aOff + j * lda;
      int c1 = c0 + lda;
      int c2 = c1 + lda;
      int c3 = c2 + lda;
      DoubleVector a0 = DoubleVector.zero(s);
      DoubleVector a1 = a0;
      DoubleVector a2 = a0;
      DoubleVector a3 = a0;
      int i = 0;
      for (; i < bound; i += l) {
        DoubleVector vx = DoubleVector.fromArray(s, x, xOff + i);
        a0 = madd(DoubleVector.fromArray(s, a, c0 + i), vx, a0);
        a1 = madd(DoubleVector.fromArray(s, a, c1 + i), vx, a1);
        a2 = madd(DoubleVector.fromArray(s, a, c2 + i), vx, a2);
        a3 = madd(DoubleVector.fromArray(s, a, c3 + i), vx, a3);
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
  private static void store(double[] y, int k, double alpha, double beta, double d) {
    y[k] = (beta == 0.0 ? 0.0 : beta * y[k]) + alpha * d;
  }

  /** 128-bit vectors (2 lanes). */
  static final class W128 extends PanamaDoubleKernels {
    W128(boolean fma) {
      super(PanamaConstants.D128, fma);
    }

    @Override
    VectorSpecies<Double> sp() {
      return PanamaConstants.D128;
    }
  }

  /** 256-bit vectors (4 lanes). */
  static final class W256 extends PanamaDoubleKernels {
    W256(boolean fma) {
      super(PanamaConstants.D256, fma);
    }

    @Override
    VectorSpecies<Double> sp() {
      return PanamaConstants.D256;
    }
  }

  /** 512-bit vectors (8 lanes). */
  static final class W512 extends PanamaDoubleKernels {
    W512(boolean fma) {
      super(PanamaConstants.D512, fma);
    }

    @Override
    VectorSpecies<Double> sp() {
      return PanamaConstants.D512;
    }
  }

  /** Any other width (e.g. SVE beyond 512 bits): correct, but the species is not a JIT constant, so slow. */
  static final class AnyWidth extends PanamaDoubleKernels {
    private final VectorSpecies<Double> any;

    AnyWidth(VectorSpecies<Double> species, boolean fma) {
      super(species, fma);
      this.any = species;
    }

    @Override
    VectorSpecies<Double> sp() {
      return any;
    }
  }

  // GEMM micro-kernel: see PanamaDoubleGemm.
  @Override
  public int gemmMr() {
    return PanamaDoubleGemm.MR;
  }

  @Override
  public int gemmNr() {
    return PanamaDoubleGemm.NR;
  }

  @Override
  public void gemmMicroKernel(int kc, double[] pa, int paOff, double[] pb, int pbOff, double[] c, int cOff, int ldc) {
    if (PanamaDoubleGemm.WIDE_FILE) {
      PanamaDoubleGemm.kernel(kc, pa, paOff, pb, pbOff, c, cOff, ldc);
    } else if (PanamaDoubleGemm.NR == 5) {
      PanamaDoubleGemm.kernelRows5(kc, pa, paOff, pb, pbOff, 5, c, cOff, ldc);
    } else {
      PanamaDoubleGemm.kernelRows6(kc, pa, paOff, pb, pbOff, 6, c, cOff, ldc);
    }
  }
  @Override
  public void gemmMicroKernelStrided(int kc, double[] pa, int paOff, double[] pb, int pbOff, int rs, int cs, double[] c,
      int cOff, int ldc) {
    if (!PanamaDoubleGemm.WIDE_FILE) {
      if (PanamaDoubleGemm.NR == 5) {
        if (cs == 1) {
          PanamaDoubleGemm.kernelRows5(kc, pa, paOff, pb, pbOff, rs, c, cOff, ldc);
        } else if (rs == 1 && PanamaConstants.COLUMN_BASES) {
          PanamaDoubleGemm.kernelColumns5(kc, pa, paOff, pb, pbOff, cs, c, cOff, ldc);
        } else {
          PanamaDoubleGemm.kernelStrided5(kc, pa, paOff, pb, pbOff, rs, cs, c, cOff, ldc);
        }
      } else if (cs == 1) {
        PanamaDoubleGemm.kernelRows6(kc, pa, paOff, pb, pbOff, rs, c, cOff, ldc);
      } else {
        PanamaDoubleGemm.kernelStrided6(kc, pa, paOff, pb, pbOff, rs, cs, c, cOff, ldc);
      }
    } else if (cs == 1) {
      PanamaDoubleGemm.kernelRows(kc, pa, paOff, pb, pbOff, rs, c, cOff, ldc);
    } else {
      PanamaDoubleGemm.kernelStrided(kc, pa, paOff, pb, pbOff, rs, cs, c, cOff, ldc);
    }
  }
  @Override
  public int gemmWideMr() {
    return PanamaDoubleGemm.WIDE_MR;
  }

  @Override
  public int gemmWideNr() {
    return PanamaDoubleGemm.WIDE_FILE ? 6 : PanamaDoubleGemm.NR;
  }

  @Override
  public void gemmMicroKernelWide(int kc, double[] pa, int paOff, double[] pb, int pbOff, int rs, int cs,
      double[] c, int cOff, int ldc) {
    if (PanamaDoubleGemm.WIDE_FILE) {
      PanamaDoubleGemm.kernelWide(kc, pa, paOff, pb, pbOff, rs, cs, c, cOff, ldc);
    } else {
      // With 16 registers the wide tile is the strided tile (gemmWideMr() == gemmMr(), gemmWideNr() == gemmNr()).
      gemmMicroKernelStrided(kc, pa, paOff, pb, pbOff, rs, cs, c, cOff, ldc);
    }
  }


}
