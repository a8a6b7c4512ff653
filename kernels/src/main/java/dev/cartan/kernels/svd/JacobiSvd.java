package dev.cartan.kernels.svd;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.DoubleKernels;
import dev.cartan.kernels.Gemm;
import dev.cartan.kernels.KernelProvider;
import dev.cartan.kernels.linalg.BlockReflectors;

/**
 * Preconditioned one-sided (Hestenes) Jacobi SVD in float64: the accurate SVD of Drmač and Veselić.
 *
 * <p>For an {@code m x n} matrix A (the tall orientation is used: A itself if {@code m >= n}, else
 * {@code A^T}) the driver runs these named steps:
 *
 * <ol>
 *   <li><b>setup</b>: copy the tall orientation and scale it by a power of two (exact) so that the largest
 *       column norm sits near {@code 2^480 / sqrt(n)}; every column whose norm is above {@code 2^-480} then
 *       has a sum of squares that neither overflows nor underflows, so entries anywhere from 1e-300 to 1e+300
 *       are handled. Columns outside that window take a slower path that rescales the pair before its dot
 *       product.
 *   <li><b>reduce</b>: Householder QR with column pivoting, {@code A P = Q R} (LAPACK dgeqp3's level-2 kernel
 *       dlaqp2, with its norm-downdating safeguard: a partial norm is recomputed when cancellation would make
 *       the downdate inaccurate). Pivoting makes the rows of R graded, which is what makes the next step fast
 *       (Drmač and Veselić, "New fast and accurate Jacobi SVD algorithm I", SIAM J. Matrix Anal. Appl. 29(4),
 *       2008, sections 3 and 4; the values-only path of dgejsv).
 *   <li><b>iterate</b>: one-sided Jacobi on the columns of {@code X = R^T}: for every pair of columns with
 *       {@code |cos| = |x_p . x_q| / (|x_p| |x_q|) > tol}, {@code tol = sqrt(n) * eps} (dgesvj's criterion),
 *       a plane rotation makes them orthogonal (Rutishauser's formula for the tangent), applied by
 *       {@link DoubleKernels#rot}; the two new column norms are updated from the dot product (dgesvj), recomputed
 *       from the column when the update cancels, and at the start of every sweep. Sweeps are row-cyclic over
 *       cache-sized blocks of columns with de Rijk's pivoting (the column of largest norm is moved forward
 *       before its pairs are processed). A sweep without any rotation or swap proves every pair orthogonal to
 *       {@code tol}: that is the convergence test. At most {@link #MAX_SWEEPS} sweeps; when the cap is hit the
 *       result says {@code converged = false}.
 *   <li><b>fast start</b> ({@code n >= 128}, X not graded): X is replaced by {@code X Z}, Z the fast SVD's right
 *       singular vectors of X re-orthogonalized by one Newton-Schulz step, and the sweeps become passes that read
 *       every pair's cosine from one Gram GEMM and rotate only the pairs above tol ({@code refine}); 3 to 5 passes
 *       instead of 10 to 12 sweeps on a Gaussian. Taken only when {@code s_1 / s_n <= 64 kappa} (kappa the scaled
 *       condition estimate of {@code R^T}), so the GEMM's absolute error {@code eps s_1} stays within the
 *       relative bound below up to that factor; graded matrices keep the plain sweeps. See docs/svd.md.
 *   <li><b>vectors</b> (optional), without accumulating rotations: {@code X J = U_x S} for the (implicit)
 *       product J of the rotations gives {@code A P = (Q J) S U_x^T}. {@code U_x} is the final X with unit
 *       columns (exactly zero columns completed to an orthonormal basis), re-orthogonalized by a Householder QR;
 *       {@code V = P U_x}. Then {@code R U_x = J S}, so the Householder QR of {@code W = R U_x} yields J to working
 *       precision and {@code U = Q J} (after the fast start, J stands for {@code Z J}). See docs/svd.md, step 4.
 *   <li><b>sort</b> the values descending, <b>undo the scaling</b> and <b>undo the transpose</b>.
 * </ol>
 *
 * <p>Accuracy (Demmel and Veselić, "Jacobi's method is more accurate than QR", SIAM J. Matrix Anal. Appl.
 * 13(4), 1992, theorem 4.1; Drmač and Veselić 2008, theorem 3.2): if the tall orientation is {@code B D} with D
 * diagonal and B of full column rank, every computed singular value satisfies
 * {@code |s_i' - s_i| <= p(m, n) eps cond(B_c) s_i}, where {@code B_c} is B with unit columns. So small values of
 * a badly scaled but "well-conditioned up to scaling" matrix are computed to nearly full relative precision;
 * a bidiagonal SVD only guarantees {@code eps s_1} absolute error.
 *
 * <p>An instance holds reusable work arrays and is not thread-safe; use one instance per thread.
 */
public final class JacobiSvd {
  /** Sweep cap (LAPACK dgesvj uses 30; preconditioned runs need 3 to 8). */
  public static final int MAX_SWEEPS = 30;

  /** Unit roundoff of float64, {@code 2^-53}. */
  static final double EPS = 0x1p-53;

  /** Column norms inside {@code [2^-LOG_SAFE, 2^LOG_SAFE]} have sums of squares safely inside the range. */
  private static final int LOG_SAFE = 480;

  private static final double NORM_LO = 0x1p-480;
  private static final double NORM_HI = 0x1p480;
  private static final double SSQ_LO = 0x1p-960;
  private static final double SSQ_HI = 0x1p960;

  /** Block size used when none was set: see docs/design-notes.md ("Jacobi rotation blocking"). */
  static final int BLOCK_BYTES = 128 * 1024;

  /**
   * Smallest factor {@code |x'|^2 / |x|^2} taken from the norm update in {@link #pair}; below it the update has
   * cancelled more than 10 bits and the norm is recomputed from the column.
   */
  private static final double NORM_UPDATE_MIN = 0x1p-10;

  /** Reflectors per compact WY block in the vectors step's QR factorizations (see docs/design-notes.md). */
  static final int QR_BLOCK = 32;

  /** Rotations with {@code |tan| < SMALL_T} are applied unnormalized with a booked scale (see {@link #pair}). */
  private static final double SMALL_T = 0x1p-10;

  /**
   * Smallest {@code min(m, n)} whose sweeps start from a fast SVD's right singular vectors ({@link
   * #preconditionMin(int)}); below it the plain sweeps are cheap.
   */
  static final int DEFAULT_PRECONDITION_MIN = 128;

  /**
   * The fast preconditioner is used only when the fast SVD's {@code s_1 / s_n} is at most this multiple of the
   * scaled condition estimate of {@code R^T}: the matrix is then not graded, and the fast route's absolute error
   * {@code eps s_1} is within this factor of the Jacobi bound {@code eps cond(B_c) s_i}.
   */
  static final double PRECONDITION_GAIN = 64.0;

  /** Largest {@code s_1 / s_n} for which the fast SVD's small singular vectors still carry information. */
  static final double PRECONDITION_MAX_COND = 0x1p26;

  /** Columns per GEMM when {@code refine} forms the lower triangle of the Gram matrix. */
  static final int GRAM_BLOCK = 128;

  /** Pass cap of the Gram-driven sweeps after preconditioning ({@link #refine}); they take 2 to 4. */
  static final int MAX_REFINE_PASSES = 8;

  /**
   * A Gram pass that finds a pair with {@code |cos|} above this hands X back to the ordinary sweeps: the
   * preconditioner missed, and sorted de Rijk sweeps do better than passes over scattered pairs.
   */
  static final double REFINE_MAX_COS = 0x1p-10;

  private final KernelProvider provider;
  private final DoubleKernels k;
  private BidiagonalSvd fast;
  private int preconditionMin = DEFAULT_PRECONDITION_MIN;
  /** Whether the last {@link #decompose} ran the preconditioned passes to convergence (for tests). */
  private boolean lastPreconditioned;
  /** Per column, log of the factor by which the stored column exceeds the true one (see {@link #pair}). */
  private double[] defect = new double[0];
  private int blockCols;

  private double[] w = new double[0];
  private double[] x = new double[0];
  private double[] buf1 = new double[0];
  private double[] buf2 = new double[0];
  private double[] rowBuf = new double[0];
  private double[] gram = new double[0];
  /** Reciprocals of the column norms at the last Gram pass of {@code refine}. */
  private double[] ginv = new double[0];
  private final BlockReflectors reflectors = new BlockReflectors();

  /** A Jacobi SVD on the JVM's provider ({@link KernelProvider#get()}). */
  public JacobiSvd() {
    this(KernelProvider.get());
  }

  /** A Jacobi SVD on the given provider's primitives. */
  public JacobiSvd(KernelProvider provider) {
    if (provider == null) {
      throw new IllegalArgumentException("provider is null");
    }
    this.provider = provider;
    this.k = provider.f64();
  }

  /**
   * Sets the smallest {@code min(m, n)} at which the sweeps start from a fast SVD's right singular vectors (0 =
   * never). For tuning and tests: the preconditioner changes the number of sweeps, not the accuracy class.
   */
  public JacobiSvd preconditionMin(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("precondition minimum must be >= 0, not " + n);
    }
    this.preconditionMin = n;
    return this;
  }

  /**
   * Sets the number of columns per rotation block (0 = automatic: {@value #BLOCK_BYTES} bytes of column data per
   * block). For tuning and tests; any value gives the same mathematics, only the memory traffic changes.
   */
  public JacobiSvd blockColumns(int cols) {
    if (cols < 0) {
      throw new IllegalArgumentException("block columns must be >= 0, not " + cols);
    }
    this.blockCols = cols;
    return this;
  }

  /**
   * The SVD {@code A = U diag(s) V^T}: singular values descending, and when {@code wantVectors} the thin
   * factors U ({@code m x k}) and V ({@code n x k}), {@code k = min(m, n)}. The input is not modified.
   *
   * @param a any finite matrix, including views, transposed views, empty and 1 x n shapes
   * @throws IllegalArgumentException if {@code a} has a NaN or infinite element, or if {@code s_1} exceeds
   *     the float64 range
   */
  public SvdResult decompose(DMatrix a, boolean wantVectors) {
    if (a == null) {
      throw new IllegalArgumentException("matrix A is null");
    }
    a.requireFinite("matrix A");
    int m = a.rows();
    int n = a.cols();
    boolean tall = m >= n;
    int rows = Math.max(m, n);
    int cols = Math.min(m, n);
    if (cols == 0) {
      return new SvdResult(new double[0], wantVectors ? DMatrix.zeros(m, 0) : null,
          wantVectors ? DMatrix.zeros(n, 0) : null, "jacobi", 0, 0.0, true, new double[0]);
    }
    // setup: compact copy of the tall orientation
    w = grow(w, rows * cols);
    DMatrix wm = DMatrix.wrap(w, 0, rows, cols, rows);
    (tall ? a : a.transpose()).copyInto(wm);
    double maxNorm = 0;
    for (int j = 0; j < cols; j++) {
      maxNorm = Math.max(maxNorm, k.nrm2(rows, w, j * rows));
    }
    if (maxNorm == 0.0) {
      return zeroResult(m, n, wantVectors);
    }
    // Rotations keep every column norm below the Frobenius norm <= sqrt(cols) * maxNorm.
    int headroom = 1 + (33 - Integer.numberOfLeadingZeros(cols)) / 2;
    int exp = LOG_SAFE - headroom - Math.getExponent(maxNorm) - 1;
    if (exp != 0) {
      for (int j = 0; j < cols; j++) {
        scalePow2(rows, w, j * rows, exp);
      }
    }
    // Rows in decreasing order of their largest element (dgejsv's row pivoting): Householder QR is then row-wise
    // backward stable too, which extends the relative accuracy from B D to D1 B D2 (Drmac-Veselic 2008, 4.1).
    int[] rowPerm = sortRowsByMax(rows, cols, w);
    // reduce
    double[] tau = new double[cols];
    int[] perm = new int[cols];
    pivotedQr(rows, cols, w, rows, tau, perm);
    // iterate on X = R^T (lower triangular, cols x cols)
    x = grow(x, cols * cols);
    for (int j = 0; j < cols; j++) {
      for (int i = 0; i < j; i++) {
        x[i + j * cols] = 0.0;
      }
      for (int i = j; i < cols; i++) {
        x[i + j * cols] = w[j + i * rows];
      }
    }
    double kappa = scaledConditionEstimate(cols, x);
    boolean pre = preconditionMin > 0 && cols >= preconditionMin && kappa < PRECONDITION_MAX_COND
        && precondition(cols, x, kappa);
    double[] sva = new double[cols];
    for (int j = 0; j < cols; j++) {
      sva[j] = k.nrm2(cols, x, j * cols);
    }
    Sweeps sw = pre ? refine(cols, x, sva) : null;
    lastPreconditioned = sw != null;
    if (sw == null) {
      sw = jacobi(cols, x, cols, sva);
    }

    // sort descending (de Rijk leaves them nearly sorted; insertion sort on an index array)
    Integer[] order = new Integer[cols];
    for (int j = 0; j < cols; j++) {
      order[j] = j;
    }
    java.util.Arrays.sort(order, (p, q) -> Double.compare(sva[q], sva[p]));
    double[] values = new double[cols];
    for (int j = 0; j < cols; j++) {
      values[j] = Math.scalb(sva[order[j]], -exp);
      if (Double.isInfinite(values[j])) {
        throw new IllegalArgumentException(
            "matrix A has singular values beyond the float64 range (largest column norm " + Math.scalb(maxNorm, 0)
                + ")");
      }
    }
    double[] relErr = errorEstimates(values, sw.maxCos, pre ? Double.POSITIVE_INFINITY : kappa, cols);
    if (!wantVectors) {
      return new SvdResult(values, null, null, "jacobi", sw.sweeps, sw.maxCos, sw.converged, relErr);
    }
    // vectors. V_x: the final columns of X divided by their norms (orthogonal to the Jacobi tolerance), then
    // re-orthogonalized by a Householder QR (V_x = Q_v R_v, R_v = I + O(tol)). U from A P V_x = Q (R V_x) =
    // U S: W = R V_x has orthogonal columns of norms s_i up to absolute errors eps |R|, and its Householder QR
    // W = Q_w R_w gives U = Q Q_w, orthogonal to working precision, with U S V_x^T = A P up to eps |A|.
    // No rotation is accumulated, so the sweeps cost the same with and without vectors.
    double[] vx = new double[cols * cols];
    boolean[] missing = new boolean[cols];
    boolean anyMissing = false;
    for (int j = 0; j < cols; j++) {
      int src = order[j];
      double nrm = sva[src];
      if (nrm == 0.0) {
        missing[j] = true;
        anyMissing = true;
        continue;
      }
      // Divide by the norm in two steps (power of two, then a factor near 1) so tiny norms do not overflow 1/nrm.
      int e = Math.getExponent(nrm);
      double f = 1.0 / Math.scalb(nrm, -e);
      for (int r = 0; r < cols; r++) {
        vx[r + j * cols] = Math.scalb(x[r + src * cols], -e) * f;
      }
    }
    if (anyMissing) {
      completeOrthonormal(cols, cols, vx, missing);
    }
    double[] qv = orthonormalFactor(cols, vx);
    // W = R Q_v (one GEMM; R is the upper triangle of w, copied with explicit zeros below)
    DMatrix rr = DMatrix.zeros(cols, cols);
    for (int j = 0; j < cols; j++) {
      System.arraycopy(w, j * rows, rr.data(), j * cols, j + 1);
    }
    DMatrix wq = DMatrix.zeros(cols, cols);
    Gemm.gemm(1.0, rr, DMatrix.wrap(qv, 0, cols, cols, cols), 0.0, wq);
    double[] qw = orthonormalFactor(cols, wq.data());
    DMatrix ut = DMatrix.zeros(rows, cols);
    double[] u = ut.data();
    for (int j = 0; j < cols; j++) {
      System.arraycopy(qw, j * cols, u, j * rows, cols);
    }
    // U = Q [Q_w; 0]: the pivoted QR's reflectors, last block first, as compact WY blocks by GEMM
    applyQ(DMatrix.wrap(w, 0, rows, cols, rows), tau, ut, false);
    DMatrix vt = DMatrix.zeros(cols, cols);
    double[] v = vt.data();
    for (int j = 0; j < cols; j++) {
      for (int r = 0; r < cols; r++) {
        v[perm[r] + j * cols] = qv[r + j * cols];
      }
    }
    if (rowPerm != null) {
      DMatrix unsorted = DMatrix.zeros(rows, cols);
      for (int j = 0; j < cols; j++) {
        for (int i = 0; i < rows; i++) {
          unsorted.data()[rowPerm[i] + j * rows] = u[i + j * rows];
        }
      }
      ut = unsorted;
    }
    DMatrix uOut = tall ? ut : vt;
    DMatrix vOut = tall ? vt : ut;
    return new SvdResult(values, uOut, vOut, "jacobi", sw.sweeps, sw.maxCos, sw.converged, relErr);
  }

  /** Whether the last decomposition converged in the preconditioned passes (package-private, for tests). */
  boolean lastPreconditioned() {
    return lastPreconditioned;
  }

  /**
   * Replaces X (n x n, in {@code xa}) by {@code X Z}, Z an orthogonal approximation of X's right singular vectors
   * from the fast SVD, when X is not graded (see {@link #PRECONDITION_GAIN}); returns whether it did. The columns
   * of {@code X Z} are then orthogonal up to the fast SVD's errors, and the sweeps converge in two or three.
   */
  private boolean precondition(int n, double[] xa, double kappa) {
    double limit = Math.min(PRECONDITION_MAX_COND, PRECONDITION_GAIN * kappa);
    // the diagonal of a triangular matrix bounds its condition number from below: skip the fast SVD when even
    // that bound rules the preconditioner out
    double dmax = 0;
    double dmin = Double.POSITIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      double djj = Math.abs(xa[j + j * n]);
      dmax = Math.max(dmax, djj);
      dmin = Math.min(dmin, djj);
    }
    if (!(dmax <= limit * dmin)) {
      return false;
    }
    if (fast == null) {
      fast = new BidiagonalSvd(provider, BidiagonalSvd.DEFAULT_PANEL, BidiagonalSvd.DEFAULT_CROSSOVER,
          BidiagonalSvd.DEFAULT_QR_RATIO_SIXTHS, 0);
    }
    DMatrix xm = DMatrix.wrap(xa, 0, n, n, n);
    SvdResult f = fast.valuesAndRight(xm);
    double[] s = f.values();
    double cond = s[0] / s[n - 1];
    if (!(cond <= limit)) {
      return false;
    }
    DMatrix z = f.v();
    DMatrix work = DMatrix.zeros(n, n);
    reorthogonalize(z, work);
    Gemm.gemm(1.0, xm, z, 0.0, work);
    System.arraycopy(work.data(), 0, xa, 0, n * n);
    return true;
  }

  /**
   * {@code Z := Z (I - E / 2)} with {@code E = Z^T Z - I}: one Newton-Schulz step toward the orthogonal polar factor
   * of the {@code n x n} Z, by two GEMMs. The step's own error is {@code O(|E|^2)}; the fast SVD's V has
   * {@code |E|_2} of 5e-15 to 1e-14 at n = 128 to 1024, which would otherwise perturb every singular value of
   * {@code X Z} by up to half that, relatively. {@code work} is an {@code n x n} scratch matrix.
   */
  static void reorthogonalize(DMatrix z, DMatrix work) {
    int n = z.cols();
    Gemm.gemm(1.0, z.transpose(), z, 0.0, work);
    for (int i = 0; i < n; i++) {
      work.set(i, i, work.get(i, i) - 1.0);
    }
    DMatrix z0 = z.copy();
    Gemm.gemm(-0.5, z0, work, 1.0, z);
  }

  /**
   * The sweeps for a preconditioned X ({@code n x n} in {@code a}, columns orthogonal up to the fast SVD's
   * errors, so few pairs still need a rotation). Each pass forms the Gram matrix {@code G = X^T X} by one GEMM,
   * reads every pair's {@code |cos| = |g_pq| / sqrt(g_pp g_qq)} from it and passes, in row-cyclic order, only the
   * pairs above tol to {@link #pair}, which checks them again from the columns and rotates those still above tol.
   * A pass without a rotation proves convergence as a sweep without rotations does: every pair is at or below tol
   * by its Gram entry or by its own dot product (both carry the same {@code O(n eps |x_p| |x_q|)} error bound).
   * After a pass that rotated at most {@code n / 8} columns the next pass skips the GEMM: only pairs with a
   * rotated column can have changed, and those are checked from their columns. Returns null, leaving X rotated
   * but valid, when a Gram pass finds a pair above {@link #REFINE_MAX_COS} or {@link #MAX_REFINE_PASSES} passes do
   * not converge: the caller then runs the ordinary sweeps.
   */
  private Sweeps refine(int n, double[] a, double[] sva) {
    double tol = Math.sqrt(n) * EPS;
    DMatrix am = DMatrix.wrap(a, 0, n, n, n);
    gram = grow(gram, n * n);
    ginv = grow(ginv, n);
    DMatrix gm = DMatrix.wrap(gram, 0, n, n, n);
    defect = grow(defect, n);
    java.util.Arrays.fill(defect, 0, n, 0.0);
    boolean[] changed = new boolean[n];
    boolean[] rotated = new boolean[n];
    int nChanged = n;
    Sweeps res = new Sweeps();
    double maxCos = 0;
    for (int pass = 1; pass <= MAX_REFINE_PASSES; pass++) {
      res.sweeps = pass;
      // A Gram pass reads every pair from G; after a pass that rotated few columns, only the pairs with a rotated
      // column can have moved, and they are checked from their columns directly.
      boolean gramPass = nChanged > n / 8;
      if (gramPass) {
        foldDefects(n, n, a, n);
        // the lower triangle of G (the scans read g_qp, q > p), by column blocks
        for (int p0 = 0; p0 < n; p0 += GRAM_BLOCK) {
          int w = Math.min(GRAM_BLOCK, n - p0);
          Gemm.gemm(1.0, am.view(0, p0, n, n - p0).transpose(), am.view(0, p0, n, w), 0.0,
              gm.view(p0, p0, n - p0, w));
        }
        for (int j = 0; j < n; j++) {
          sva[j] = Math.sqrt(gram[j + j * n]);
          ginv[j] = 1.0 / sva[j]; // the reciprocal: the scans below multiply (norms are in the safe window)
        }
        double worst = 0;
        for (int p = 0; p < n - 1; p++) {
          double ip = ginv[p];
          int po = p * n;
          for (int q = p + 1; q < n; q++) {
            worst = Math.max(worst, Math.abs(gram[q + po]) * ip * ginv[q]);
          }
        }
        if (worst > REFINE_MAX_COS) {
          break;
        }
        maxCos = 0;
      }
      long rotations = 0;
      java.util.Arrays.fill(rotated, false);
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          double c;
          if (gramPass) {
            c = Math.abs(gram[q + p * n]) * ginv[p] * ginv[q];
            if (c > tol) {
              c = pair(n, a, n, sva, p, q, tol);
            }
          } else if (changed[p] || changed[q]) {
            c = pair(n, a, n, sva, p, q, tol);
          } else {
            continue;
          }
          if (c > tol) {
            rotations++;
            rotated[p] = true;
            rotated[q] = true;
          } else {
            maxCos = Math.max(maxCos, c);
          }
        }
      }
      if (rotations == 0) {
        res.converged = true;
        break;
      }
      nChanged = 0;
      for (int j = 0; j < n; j++) {
        changed[j] = rotated[j];
        nChanged += rotated[j] ? 1 : 0;
      }
    }
    res.maxCos = maxCos;
    foldDefects(n, n, a, n);
    if (!res.converged) {
      return null;
    }
    for (int j = 0; j < n; j++) {
      sva[j] = freshNorm(n, a, j * n);
    }
    return res;
  }

  /**
   * Scales every column of the {@code rows x n} matrix in {@code a} (leading dimension {@code lda}) that has a booked
   * defect to its true size; the defects become zero.
   */
  private void foldDefects(int rows, int n, double[] a, int lda) {
    for (int j = 0; j < n; j++) {
      if (defect[j] != 0.0) {
        k.scal(rows, Math.exp(-defect[j]), a, j * lda);
        defect[j] = 0.0;
      }
    }
  }

  /**
   * Sorts the rows of the {@code rows x cols} matrix in {@code a} by decreasing max-norm, in place; returns
   * {@code perm} with {@code perm[i]} = original index of row i, or null when the rows were already in order.
   */
  private int[] sortRowsByMax(int rows, int cols, double[] a) {
    double[] mx = new double[rows];
    for (int j = 0; j < cols; j++) {
      int o = j * rows;
      for (int i = 0; i < rows; i++) {
        mx[i] = Math.max(mx[i], Math.abs(a[o + i]));
      }
    }
    boolean sorted = true;
    for (int i = 1; i < rows && sorted; i++) {
      sorted = mx[i] <= mx[i - 1];
    }
    if (sorted) {
      return null;
    }
    Integer[] idx = new Integer[rows];
    for (int i = 0; i < rows; i++) {
      idx[i] = i;
    }
    java.util.Arrays.sort(idx, (p, q) -> Double.compare(mx[q], mx[p]));
    int[] perm = new int[rows];
    rowBuf = grow(rowBuf, rows);
    for (int j = 0; j < cols; j++) {
      int o = j * rows;
      for (int i = 0; i < rows; i++) {
        rowBuf[i] = a[o + idx[i]];
      }
      System.arraycopy(rowBuf, 0, a, o, rows);
    }
    for (int i = 0; i < rows; i++) {
      perm[i] = idx[i];
    }
    return perm;
  }

  /**
   * The orthogonal factor of the Householder QR of the {@code n x n} matrix in {@code a} (overwritten), with
   * column signs chosen so that R has a non-negative diagonal: for a matrix whose columns are already nearly
   * orthogonal this is the nearest orthonormal matrix up to second-order terms (LAPACK dgeqr2 + dorg2r).
   */
  private double[] orthonormalFactor(int n, double[] a) {
    double[] tau = new double[n];
    double[] work = new double[n];
    double[] sign = new double[n];
    DMatrix am = DMatrix.wrap(a, 0, n, n, n);
    // dgeqrf: each panel of QR_BLOCK columns by reflectors one at a time, the rest of the matrix by its WY block
    for (int j0 = 0; j0 < n; j0 += QR_BLOCK) {
      int je = Math.min(n, j0 + QR_BLOCK);
      for (int i = j0; i < je; i++) {
        int d = i + i * n;
        tau[i] = i < n - 1 ? k.householder(n - i, a, d) : 0.0;
        if (i < je - 1) {
          k.applyHouseholderLeft(n - i, je - i - 1, a, d, tau[i], a, d + n, n, work);
        }
        sign[i] = a[d] < 0 ? -1.0 : 1.0;
      }
      if (je < n) {
        reflectors.load(am.view(j0, j0, n - j0, je - j0), tau, j0);
        reflectors.applyLeft(am.view(j0, je, n - j0, n - je), true);
      }
    }
    DMatrix qm = DMatrix.identity(n);
    double[] q = qm.data();
    applyQ(am, tau, qm, true);
    for (int j = 0; j < n; j++) {
      if (sign[j] < 0) {
        k.scal(n, -1.0, q, j * n);
      }
    }
    return q;
  }

  /**
   * {@code C := H_0 H_1 ... H_{k-1} C} for the k reflectors stored below the diagonal of the {@code m x k} matrix
   * {@code f} (as a Householder QR leaves them) with scalars {@code tau}; C has m rows. Blocks of
   * {@link #QR_BLOCK} reflectors, last block first (dorgqr/dormqr order), each touching rows {@code j0..m-1}
   * of C by {@link BlockReflectors}. With {@code identity} C is the identity and each block needs only columns
   * {@code j0..} (the earlier columns are still zero in those rows).
   */
  private void applyQ(DMatrix f, double[] tau, DMatrix c, boolean identity) {
    int m = f.rows();
    int kk = f.cols();
    for (int j0 = (kk - 1) / QR_BLOCK * QR_BLOCK; j0 >= 0; j0 -= QR_BLOCK) {
      int kb = Math.min(QR_BLOCK, kk - j0);
      int c0 = identity ? j0 : 0;
      reflectors.load(f.view(j0, j0, m - j0, kb), tau, j0);
      reflectors.applyLeft(c.view(j0, c0, m - j0, c.cols() - c0), false);
    }
  }

  /** Outcome of the sweeps. */
  private static final class Sweeps {
    int sweeps;
    double maxCos;
    boolean converged;
  }

  /**
   * One-sided Jacobi on the {@code rows x n} matrix in {@code a} (leading dimension {@code lda}) with column
   * norms {@code sva} (kept in step with the de Rijk swaps).
   */
  private Sweeps jacobi(int n, double[] a, int lda, double[] sva) {
    int rows = lda;
    double tol = Math.sqrt(rows) * EPS;
    int b = blockCols > 0 ? blockCols : Math.max(4, BLOCK_BYTES / (16 * rows));
    b = Math.min(b, n);
    Sweeps res = new Sweeps();
    defect = grow(defect, n);
    java.util.Arrays.fill(defect, 0, n, 0.0);
    for (int sweep = 1; sweep <= MAX_SWEEPS; sweep++) {
      double maxCos = 0;
      long rotations = 0;
      int swaps = 0;
      // the updated norms drift by a few ulps per rotation: every sweep starts from the columns' own
      for (int j = 0; j < n; j++) {
        sva[j] = freshNorm(rows, a, j * lda) * expNeg(defect[j]);
      }
      for (int bp = 0; bp < n; bp += b) {
        int pe = Math.min(n, bp + b);
        for (int p = bp; p < pe; p++) {
          // de Rijk: bring the largest remaining column forward
          int q = p;
          for (int t = p + 1; t < n; t++) {
            if (sva[t] > sva[q]) {
              q = t;
            }
          }
          if (q != p) {
            swapColumns(rows, a, lda, p, q);
            double t = sva[p];
            sva[p] = sva[q];
            sva[q] = t;
            t = defect[p];
            defect[p] = defect[q];
            defect[q] = t;
            swaps++;
          }
          for (int r = p + 1; r < pe; r++) {
            double c = pair(rows, a, lda, sva, p, r, tol);
            if (c > tol) {
              rotations++;
            }
            maxCos = Math.max(maxCos, c);
          }
        }
        for (int bq = pe; bq < n; bq += b) {
          int qe = Math.min(n, bq + b);
          for (int p = bp; p < pe; p++) {
            for (int q = bq; q < qe; q++) {
              double c = pair(rows, a, lda, sva, p, q, tol);
              if (c > tol) {
                rotations++;
              }
              maxCos = Math.max(maxCos, c);
            }
          }
        }
      }
      res.sweeps = sweep;
      res.maxCos = maxCos;
      if (rotations == 0 && swaps == 0) {
        res.converged = true;
        break;
      }
    }
    foldDefects(rows, n, a, lda);
    for (int j = 0; j < n; j++) {
      // the values are these norms: from the columns, not from a chain of updates
      sva[j] = freshNorm(rows, a, j * lda);
    }
    return res;
  }

  /**
   * Checks the pair (p, q) and rotates it when {@code |cos| > tol}; returns {@code |cos|} before the rotation.
   */
  private double pair(int rows, double[] a, int lda, double[] sva, int p, int q, double tol) {
    double ap = sva[p];
    double aq = sva[q];
    if (ap == 0.0 || aq == 0.0) {
      return 0.0;
    }
    int po = p * lda;
    int qo = q * lda;
    boolean safe = ap >= NORM_LO && ap <= NORM_HI && aq >= NORM_LO && aq <= NORM_HI;
    double cos;
    if (safe) {
      cos = k.dot(rows, a, po, a, qo) * expNeg(defect[p] + defect[q]) / ap / aq;
    } else {
      cos = scaledCos(rows, a, po, qo, ap, aq) * expNeg(defect[p] + defect[q]);
    }
    double abs = Math.abs(cos);
    if (!(abs > tol)) {
      return abs;
    }
    // Rutishauser: zeta = (|x_q|^2 - |x_p|^2) / (2 x_p.x_q), written with norm ratios so nothing overflows.
    double zeta = (aq / ap - ap / aq) / (2.0 * cos);
    double t;
    if (Math.abs(zeta) > 0x1p500) {
      t = 0.5 / zeta;
    } else {
      t = Math.copySign(1.0, zeta) / (Math.abs(zeta) + Math.sqrt(1.0 + zeta * zeta));
    }
    double tt = t * t;
    double dp = defect[p];
    double dq = defect[q];
    if (Math.abs(t) < SMALL_T) {
      // For small angles c = 1/sqrt(1 + t^2) is within a few ulps of 1 and its rounding is biased upwards
      // (c^2 + s^2 - 1 averages +0.55 ulp at t ~ 1e-8, +0.013 at 1e-4): over thousands of rotations per column
      // that inflated every value by ~150 eps on 300 x 300 Gaussians. So rotate by the exact (1, t) and book
      // log(1/c) = log1p(t^2)/2 per column; the booked factor is folded into the column (one rounding, by
      // scal) once it reaches an ulp, or into the next large rotation (below).
      // log1p(tt) / 2 by its series: tt < 2^-20 here, so the first omitted term tt^4 / 8 is below 2^-83.
      double h = 0.5 * tt * (1.0 - tt * (0.5 - tt * (1.0 / 3.0)));
      k.rot(rows, a, po, a, qo, 1.0, t);
      dp += h;
      dq += h;
    } else {
      double c = 1.0 / Math.sqrt(1.0 + tt);
      if (dp == dq) {
        // equal booked defects (zero, mostly) fold into the rotation's coefficients: no scal pass
        c *= expNeg(dp);
        dp = 0.0;
        dq = 0.0;
      }
      if (dp != 0.0) {
        k.scal(rows, expNeg(dp), a, po);
        dp = 0.0;
      }
      if (dq != 0.0) {
        k.scal(rows, expNeg(dq), a, qo);
        dq = 0.0;
      }
      k.rot(rows, a, po, a, qo, c, c * t);
    }
    // dgesvj's norm update: the rotation that zeroes g = x_p . x_q moves t g from |x_p|^2 to |x_q|^2 (true norms,
    // whether or not the scale is booked). When most of a norm cancels the update has lost digits, and the
    // norm is taken from the column instead. Every sweep starts from fresh norms (see jacobi).
    double fp = 1.0 - t * cos * (aq / ap);
    double fq = 1.0 + t * cos * (ap / aq);
    sva[p] = fp >= NORM_UPDATE_MIN ? ap * Math.sqrt(fp) : freshNorm(rows, a, po) * expNeg(dp);
    sva[q] = fq >= NORM_UPDATE_MIN ? aq * Math.sqrt(fq) : freshNorm(rows, a, qo) * expNeg(dq);
    defect[p] = foldDefect(rows, a, po, dp);
    defect[q] = foldDefect(rows, a, qo, dq);
    return abs;
  }

  /** The Euclidean norm of a stored column: one unscaled pass when its square is inside the safe range. */
  private double freshNorm(int rows, double[] a, int off) {
    double ss = k.dot(rows, a, off, a, off);
    return ss >= SSQ_LO && ss <= SSQ_HI ? Math.sqrt(ss) : k.nrm2(rows, a, off);
  }

  /** Folds a booked defect into the column once it is worth an ulp; returns the defect still booked. */
  private double foldDefect(int rows, double[] a, int off, double d) {
    if (d < 0x1p-53) {
      return d;
    }
    k.scal(rows, expNeg(d), a, off);
    return 0.0;
  }

  /**
   * {@code exp(-d)} for a booked defect {@code d >= 0}: below {@code 2^-20} the series {@code 1 - d + d^2/2}, whose
   * error {@code d^3/6 < 2^-62} is far below an ulp (the defects are almost always that small, and Math.exp cost as
   * much as a 64-element dot product per call), else Math.exp.
   */
  private static double expNeg(double d) {
    return d < 0x1p-20 ? 1.0 - d * (1.0 - 0.5 * d) : Math.exp(-d);
  }

  /** {@code x_p . x_q / (|x_p| |x_q|)} for columns whose squares would under- or overflow: rescale copies first. */
  private double scaledCos(int rows, double[] a, int po, int qo, double ap, double aq) {
    buf1 = grow(buf1, rows);
    buf2 = grow(buf2, rows);
    System.arraycopy(a, po, buf1, 0, rows);
    System.arraycopy(a, qo, buf2, 0, rows);
    int ep = Math.getExponent(ap);
    int eq = Math.getExponent(aq);
    scalePow2(rows, buf1, 0, -ep);
    scalePow2(rows, buf2, 0, -eq);
    return k.dot(rows, buf1, 0, buf2, 0) / Math.scalb(ap, -ep) / Math.scalb(aq, -eq);
  }

  /**
   * Householder QR with column pivoting of the {@code m x n} matrix in {@code a} (m >= n), in place: R in the
   * upper triangle, the reflectors' tails below it, {@code perm[j]} = original index of column j. Blocked
   * (LAPACK dgeqp3/dlaqps, {@link dev.cartan.kernels.linalg.PivotedQr}), with dlaqp2's safeguard: a downdated
   * partial norm is recomputed when the downdate has cancelled more than half of the digits.
   */
  private void pivotedQr(int m, int n, double[] a, int lda, double[] tau, int[] perm) {
    dev.cartan.kernels.linalg.PivotedQr.factor(k, DMatrix.wrap(a, 0, m, n, lda), tau, perm,
        dev.cartan.kernels.linalg.PivotedQr.DEFAULT_BLOCK, dev.cartan.kernels.linalg.PivotedQr.DEFAULT_CROSSOVER);
  }

  /**
   * An estimate of {@code cond_1(L_c)} for the lower triangular {@code n x n} matrix L in {@code l} with its
   * columns scaled to unit 2-norm (Hager's method, as LAPACK dlacn2, on triangular solves). This is the
   * condition number in the Demmel-Veselić bound for the Jacobi step; infinity if L_c is singular.
   */
  static double scaledConditionEstimate(int n, double[] l) {
    double[] lc = new double[n * n];
    double norm1 = 0;
    for (int j = 0; j < n; j++) {
      double s = 0;
      double mx = 0;
      for (int i = j; i < n; i++) {
        mx = Math.max(mx, Math.abs(l[i + j * n]));
      }
      if (mx == 0.0) {
        return Double.POSITIVE_INFINITY;
      }
      for (int i = j; i < n; i++) {
        double v = l[i + j * n] / mx;
        s += v * v;
      }
      double inv = 1.0 / (mx * Math.sqrt(s));
      double col = 0;
      for (int i = j; i < n; i++) {
        lc[i + j * n] = l[i + j * n] * inv;
        col += Math.abs(lc[i + j * n]);
      }
      norm1 = Math.max(norm1, col);
    }
    double[] xv = new double[n];
    java.util.Arrays.fill(xv, 1.0 / n);
    double est = 0;
    for (int iter = 0; iter < 5; iter++) {
      double[] y = xv.clone();
      lowerSolve(n, lc, y);
      double y1 = 0;
      for (double v : y) {
        y1 += Math.abs(v);
      }
      if (!Double.isFinite(y1)) {
        return Double.POSITIVE_INFINITY;
      }
      if (y1 <= est) {
        break;
      }
      est = y1;
      double[] z = new double[n];
      for (int i = 0; i < n; i++) {
        z[i] = y[i] >= 0 ? 1.0 : -1.0;
      }
      lowerTransposedSolve(n, lc, z);
      int jmax = 0;
      double zx = 0;
      for (int i = 0; i < n; i++) {
        if (Math.abs(z[i]) > Math.abs(z[jmax])) {
          jmax = i;
        }
        zx += z[i] * xv[i];
      }
      if (!Double.isFinite(zx) || Math.abs(z[jmax]) <= zx) {
        break;
      }
      java.util.Arrays.fill(xv, 0.0);
      xv[jmax] = 1.0;
    }
    return est * norm1;
  }

  private static void lowerSolve(int n, double[] l, double[] b) {
    for (int j = 0; j < n; j++) {
      b[j] /= l[j + j * n];
      double bj = b[j];
      for (int i = j + 1; i < n; i++) {
        b[i] -= l[i + j * n] * bj;
      }
    }
  }

  private static void lowerTransposedSolve(int n, double[] l, double[] b) {
    for (int j = n - 1; j >= 0; j--) {
      double s = b[j];
      for (int i = j + 1; i < n; i++) {
        s -= l[i + j * n] * b[i];
      }
      b[j] = s / l[j + j * n];
    }
  }

  /**
   * Per-value relative error estimate: {@code (c(n) eps + maxCos) * min(s_1 / s_i, kappa)}, the Demmel-Veselić
   * bound with the remaining off-orthogonality, where kappa estimates the scaled condition number of R^T.
   * Zero values get an infinite estimate unless the matrix is zero.
   */
  static double[] errorEstimates(double[] values, double maxCos, double kappa, int n) {
    double[] e = new double[values.length];
    double base = n * EPS + maxCos;
    for (int i = 0; i < values.length; i++) {
      double amp = values[i] == 0.0 ? Double.POSITIVE_INFINITY : values[0] / values[i];
      e[i] = base * Math.min(amp, kappa);
    }
    return e;
  }

  private SvdResult zeroResult(int m, int n, boolean wantVectors) {
    int c = Math.min(m, n);
    double[] values = new double[c];
    double[] err = new double[c];
    if (!wantVectors) {
      return new SvdResult(values, null, null, "jacobi", 0, 0.0, true, err);
    }
    DMatrix u = DMatrix.zeros(m, c);
    DMatrix v = DMatrix.zeros(n, c);
    for (int i = 0; i < c; i++) {
      u.set(i, i, 1.0);
      v.set(i, i, 1.0);
    }
    return new SvdResult(values, u, v, "jacobi", 0, 0.0, true, err);
  }

  /**
   * Fills the columns of the {@code rows x cols} matrix (leading dimension rows) flagged in {@code missing} with
   * unit vectors orthogonal to every other column (classical Gram-Schmidt twice on candidate unit vectors).
   */
  static void completeOrthonormal(int rows, int cols, double[] q, boolean[] missing) {
    double[] cand = new double[rows];
    int next = 0;
    for (int c = 0; c < cols; c++) {
      if (!missing[c]) {
        continue;
      }
      for (; next < rows; next++) {
        java.util.Arrays.fill(cand, 0.0);
        cand[next] = 1.0;
        for (int pass = 0; pass < 2; pass++) {
          for (int o = 0; o < cols; o++) {
            if (o == c || (missing[o] && o > c)) {
              continue;
            }
            double d = 0;
            for (int i = 0; i < rows; i++) {
              d += q[i + o * rows] * cand[i];
            }
            for (int i = 0; i < rows; i++) {
              cand[i] -= d * q[i + o * rows];
            }
          }
        }
        double nrm = 0;
        for (double v : cand) {
          nrm += v * v;
        }
        nrm = Math.sqrt(nrm);
        if (nrm > 0.5) {
          for (int i = 0; i < rows; i++) {
            q[i + c * rows] = cand[i] / nrm;
          }
          next++;
          break;
        }
      }
    }
  }

  private static void swapColumns(int rows, double[] a, int lda, int p, int q) {
    int po = p * lda;
    int qo = q * lda;
    for (int i = 0; i < rows; i++) {
      double t = a[po + i];
      a[po + i] = a[qo + i];
      a[qo + i] = t;
    }
  }

  /** {@code x *= 2^e} exactly (in two steps when 2^e alone would over- or underflow). */
  private static void scalePow2(int n, double[] v, int off, int e) {
    if (e > 1000 || e < -1000) {
      int half = e / 2;
      scalePow2(n, v, off, half);
      scalePow2(n, v, off, e - half);
      return;
    }
    double f = Math.scalb(1.0, e);
    for (int i = 0; i < n; i++) {
      v[off + i] *= f;
    }
  }

  private static double[] grow(double[] a, int n) {
    return a.length >= n ? a : new double[n];
  }
}
