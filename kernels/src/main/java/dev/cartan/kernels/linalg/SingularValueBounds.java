package dev.cartan.kernels.linalg;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.Kernels;
import java.util.SplittableRandom;

/**
 * Certified bounds on the extreme singular values of a square matrix T, without an SVD: {@code sigma_min(T) >=
 * sigmaMinLower} and {@code sigma_max(T) <= sigmaMaxUpper} are guaranteed (rounding included), and
 * {@code log(sigmaMaxUpper / sigmaMinLower)} overestimates {@code log cond(T)} by at most the requested relative
 * tolerance.
 *
 * <p>Driver: form the Gram matrix {@code G = T^T T} ({@link Cholesky#syrkLower}, {@code n^3} flops) -> Lanczos on G
 * with full reorthogonalization (Golub and Van Loan, <i>Matrix Computations</i>, 4th ed., sections 10.1-10.3) until
 * its extreme Ritz values {@code theta_min >= lambda_min(G)} and {@code theta_max <= lambda_max(G)} settle ->
 * pad them, {@code x = theta_min (1 - rho)}, {@code y = theta_max (1 + rho)}, and certify by inertia: the Cholesky
 * factorization of {@code G - x I} completes iff {@code x < lambda_min}, that of {@code y I - G} iff
 * {@code y > lambda_max} (Parlett, <i>The Symmetric Eigenvalue Problem</i>, section 3.3, Sylvester's law of
 * inertia) -> widen both by the rounding bound {@link #roundingBound} (forming G, Higham Lemma 3.5 /
 * section 3.5, plus {@link Cholesky#backwardErrorBound}). A failed factorization means Lanczos had not reached
 * the extreme eigenvalue: a few more iterations, then another try.
 *
 * <p>The pad is {@code rho = tolerance / 4 * max(log(theta_max / theta_min), 2 A_FLOOR)} ({@link #pad}), so on
 * success, with {@code a = log cond(T)} and {@code log sqrt(theta_max / theta_min) <= a} (Ritz values lie inside
 * the spectrum), {@code a <= log(sigmaMaxUpper / sigmaMinLower) <= a + tolerance max(a, A_FLOOR)}.
 *
 * <p>Not certified (result flag off, the caller falls back to an SVD) when: Lanczos did not settle within
 * {@link #MAX_ITERATIONS}, the factorizations kept failing after {@link #MAX_ATTEMPTS} tries, or T is too
 * ill-conditioned for its Gram matrix: forming and factoring G perturbs its eigenvalues by up to
 * {@code ~2.5 (n + 2) u trace(G)}, so the route is refused when that exceeds {@code rho / 4} of {@code theta_min}
 * (roughly {@code cond(T)^2 > tolerance max(a, A_FLOOR) / (20 n^2 u)} in the worst case {@code trace(G) = n
 * sigma_max^2}: for n = 1024, tolerance 1e-3 and {@code a ~ 7}, cond(T) above about 1500). Cost: {@code n^3} (G) + {@code 2 n^3 / 3} (two factorizations) + {@code 2 n^2} per Lanczos
 * iteration (typically 20-40 for random matrices of size 1024), against {@code 8 n^3 / 3} for the reduction of an
 * SVD.
 */
public final class SingularValueBounds {
  /** Lanczos iteration cap (beyond the matrix order, the Krylov space is complete anyway). */
  public static final int MAX_ITERATIONS = 300;
  /** Certification attempts (Lanczos extended by {@link #EXTRA_ITERATIONS} between two). */
  public static final int MAX_ATTEMPTS = 4;
  static final int EXTRA_ITERATIONS = 12;
  /** Ritz values are compared with those {@code LAG} iterations earlier to decide that they settled. */
  static final int LAG = 4;
  /** The smallest iteration cap a caller may ask for: Ritz values are compared four iterations apart. */
  public static final int MIN_ITERATIONS = 2 * LAG;
  /**
   * Amplitudes below this are treated as this for the tolerance: the overestimate of {@code log cond T} is at most
   * {@code tolerance * max(log cond T, A_FLOOR)}, so a nearly orthogonal T is not pushed into the rounding level.
   */
  public static final double A_FLOOR = 1e-4;
  private static final int BISECTIONS = 200;
  private static final double U = 0x1p-53;
  private static final long SEED = 0x5eed_c4a7L;

  private SingularValueBounds() {}

  /**
   * The bounds and how they were reached.
   *
   * @param certified whether the bounds below are guaranteed; if false they are NaN and only the Ritz values mean
   *     anything
   * @param sigmaMinLower a guaranteed lower bound on {@code sigma_min(T)} (NaN if not certified)
   * @param sigmaMaxUpper a guaranteed upper bound on {@code sigma_max(T)} (NaN if not certified)
   * @param sigmaMinRitz {@code sqrt(theta_min)}: an estimate, an upper bound on {@code sigma_min(T)} up to rounding
   * @param sigmaMaxRitz {@code sqrt(theta_max)}: an estimate, a lower bound on {@code sigma_max(T)} up to rounding
   * @param iterations Lanczos iterations
   * @param factorizations Cholesky factorizations tried
   * @param reason why it was not certified, or the empty string
   */
  public record Result(boolean certified, double sigmaMinLower, double sigmaMaxUpper, double sigmaMinRitz,
      double sigmaMaxRitz, int iterations, int factorizations, String reason) {
    /** {@code log(sigmaMaxUpper / sigmaMinLower)}, rounded up: a guaranteed upper bound on {@code log cond(T)}. */
    public double logConditionUpper() {
      return Math.nextUp(Math.nextUp(Math.log(sigmaMaxUpper)) - Math.nextDown(Math.log(sigmaMinLower)));
    }
  }

  /**
   * The large arrays of {@link #certify(DMatrix, double, Workspace)}, kept between calls: the Gram matrix, the copy
   * each inertia test factors and the Lanczos basis ({@code 2 n^2 + 301 n} doubles, 18.8 MB at n = 1024). Reusing
   * them saves their allocation and zeroing per call; at n = 1024 each is a G1 humongous allocation, and a chain
   * certifying one interface per step made the collector run every few steps (docs/design-notes.md). Grows to the
   * largest order seen; never shrinks. One workspace serves one thread at a time.
   */
  public static final class Workspace {
    private double[] gram = new double[0];
    private double[] factor = new double[0];
    private double[] basis = new double[0];

    /** An empty workspace: it grows on the first call. */
    public Workspace() {}

    private static double[] atLeast(double[] a, long size) {
      if (size > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("matrix t is too large for a workspace: " + size + " doubles");
      }
      return a.length >= size ? a : new double[(int) size];
    }

    DMatrix gram(int n) {
      gram = atLeast(gram, (long) n * n);
      return DMatrix.wrap(gram, 0, n, n, n);
    }

    DMatrix factor(int n) {
      factor = atLeast(factor, (long) n * n);
      return DMatrix.wrap(factor, 0, n, n, n);
    }

    double[] basis(int n, int cap) {
      basis = atLeast(basis, (long) n * (cap + 1));
      return basis;
    }
  }

  /**
   * Certified extreme singular values of the square {@code t}, with arrays allocated for this call.
   *
   * @param tolerance the relative overestimate of {@code log cond(T)} allowed, in {@code [1e-8, 0.5]}
   * @throws IllegalArgumentException if {@code t} is null, not square, empty, has a NaN/Inf entry, or the tolerance
   *     is outside its range
   */
  public static Result certify(DMatrix t, double tolerance) {
    return certify(t, tolerance, new Workspace());
  }

  /**
   * As {@link #certify(DMatrix, double)}, the large arrays taken from (and grown in) {@code ws}; the result is the
   * same (no stale workspace value is ever read).
   *
   * @throws IllegalArgumentException as {@link #certify(DMatrix, double)}, or if {@code ws} is null
   */
  public static Result certify(DMatrix t, double tolerance, Workspace ws) {
    return certify(t, tolerance, ws, MAX_ITERATIONS);
  }

  /**
   * As {@link #certify(DMatrix, double, Workspace)} with at most {@code maxIterations} Lanczos iterations (the
   * default is {@link #MAX_ITERATIONS}): a caller whose fallback is cheap caps the work spent before giving up.
   * Past the cap the result is not certified, as past the default cap; a result certified within a cap is the one
   * any larger cap gives (the iterations up to it are the same).
   *
   * @throws IllegalArgumentException as {@link #certify(DMatrix, double, Workspace)}, or if {@code maxIterations}
   *     is outside {@code [}{@link #MIN_ITERATIONS}{@code , }{@link #MAX_ITERATIONS}{@code ]}
   */
  public static Result certify(DMatrix t, double tolerance, Workspace ws, int maxIterations) {
    if (maxIterations < MIN_ITERATIONS || maxIterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("maxIterations must be in [" + MIN_ITERATIONS + ", " + MAX_ITERATIONS
          + "], got " + maxIterations);
    }
    if (ws == null) {
      throw new IllegalArgumentException("workspace ws is null");
    }
    if (t == null) {
      throw new IllegalArgumentException("matrix t is null");
    }
    int n = t.rows();
    if (t.cols() != n || n == 0) {
      throw new IllegalArgumentException("matrix t is " + t.rows() + "x" + t.cols() + ": need a non-empty square");
    }
    if (!(tolerance >= 1e-8 && tolerance <= 0.5)) {
      throw new IllegalArgumentException("tolerance must be in [1e-8, 0.5], got " + tolerance);
    }
    if ((n + 3) * U * 100 >= 1) {
      throw new IllegalArgumentException("matrix t of order " + n + " is too large for the rounding bounds");
    }
    t.requireFinite("t");
    // beta = 0: every element of the lower triangle is overwritten, the mirror below writes the upper one.
    DMatrix g = ws.gram(n);
    Cholesky.syrkLower(1, t.transpose(), 0, g);
    double trace = 0;
    for (int j = 0; j < n; j++) {
      trace += g.get(j, j);
      for (int i = j + 1; i < n; i++) {
        g.set(j, i, g.get(i, j));
      }
    }
    if (!(trace > 0) || trace == Double.POSITIVE_INFINITY) {
      return failed("trace of T^T T is " + trace + " (zero matrix or overflow)", 0, 0, 0, 0);
    }
    int cap = Math.min(n, maxIterations);
    Lanczos lz = new Lanczos(g, cap, ws.basis(n, cap));
    // Each inertia test writes the lower triangle it factors; Cholesky reads nothing else.
    DMatrix work = ws.factor(n);
    int factorizations = 0;
    boolean lowOk = false;
    boolean highOk = false;
    double xCert = Double.NaN;
    double yCert = Double.NaN;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (!lz.runUntilSettled(tolerance, attempt == 0 ? 0 : EXTRA_ITERATIONS)) {
        return failed("Lanczos did not settle in " + lz.k + " iterations", lz.k, factorizations, lz.thetaMin(),
            lz.thetaMax());
      }
      double tMin = lz.thetaMin();
      double tMax = lz.thetaMax();
      if (!(tMin > 0)) {
        return failed("smallest Ritz value " + tMin + " <= 0 (singular T)", lz.k, factorizations, tMin, tMax);
      }
      double rho = pad(tolerance, tMin, tMax);
      double x = tMin * (1 - rho);
      double y = tMax * (1 + rho);
      double ex = roundingBound(n, trace, x);
      double ey = roundingBound(n, trace, y);
      if (ex > rho / 4 * tMin || ey > rho / 4 * tMax) {
        return failed("T is too ill-conditioned for its Gram matrix: rounding bound " + ex + " > rho/4 theta_min = "
            + rho / 4 * tMin, lz.k, factorizations, tMin, tMax);
      }
      if (!lowOk) {
        factorizations++;
        if (shiftedFactors(g, work, x, 1)) {
          lowOk = true;
          xCert = Math.nextDown(x - ex);
        }
      }
      if (!highOk) {
        factorizations++;
        if (shiftedFactors(g, work, y, -1)) {
          highOk = true;
          yCert = Math.nextUp(y + ey);
        }
      }
      if (lowOk && highOk) {
        if (!(xCert > 0)) {
          return failed("certified lower bound of lambda_min is " + xCert, lz.k, factorizations, tMin, tMax);
        }
        return new Result(true, Math.nextDown(Math.sqrt(xCert)), Math.nextUp(Math.sqrt(yCert)), Math.sqrt(tMin),
            Math.sqrt(tMax), lz.k, factorizations, "");
      }
      if (lz.k >= lz.cap) {
        break;
      }
    }
    return failed("the shifted factorizations kept failing (" + (lowOk ? "" : "lower ") + (highOk ? "" : "upper")
        + ")", lz.k, factorizations, lz.thetaMin(), lz.thetaMax());
  }

  /**
   * The pad {@code rho = tolerance / 4 * max(log(theta_max / theta_min), 2 A_FLOOR)}, at most 1/4: each side then
   * adds at most about {@code rho / 2} to {@code log sqrt(y / x)}, and the rounding widening at most {@code rho / 4}
   * more (it is refused beyond that), so the overestimate of {@code a = log cond T} stays below
   * {@code tolerance max(a, A_FLOOR)}. The floor keeps a pad above the rounding level when T is nearly orthogonal.
   */
  static double pad(double tolerance, double tMin, double tMax) {
    return Math.min(0.25, tolerance / 4 * Math.max(Math.log(tMax / tMin), 2 * A_FLOOR));
  }

  /**
   * A bound on how far the eigenvalues of the stored, shifted Gram matrix and its completed Cholesky factorization
   * can be from those of the exact {@code T^T T - shift I}: forming G costs {@code gamma_n ||T||_F^2} in the
   * 2-norm (Higham 3.5: {@code |fl(T^T T) - T^T T| <= gamma_n |T|^T |T|}), rounding the shifted diagonal
   * {@code u (trace + n |shift|)}, and the factorization {@link Cholesky#backwardErrorBound} of the shifted trace,
   * {@code <= trace + n |shift|}. Their sum is below {@code 2.5 (n + 2) u (trace + n |shift|)}, returned rounded up.
   */
  static double roundingBound(int n, double trace, double shift) {
    return Math.nextUp(2.5 * (n + 2) * U * (trace + n * Math.abs(shift)));
  }

  /**
   * Whether the Cholesky factorization of {@code sign (G - shift I)} completes; {@code work} receives the lower
   * triangle.
   */
  private static boolean shiftedFactors(DMatrix g, DMatrix work, double shift, int sign) {
    int n = g.rows();
    double[] src = g.data();
    double[] dst = work.data();
    for (int j = 0; j < n; j++) {
      int o = j * n;
      for (int i = j; i < n; i++) {
        dst[o + i] = sign * src[o + i];
      }
      dst[o + j] -= sign * shift;
    }
    return Cholesky.factorLower(work) < 0;
  }

  private static Result failed(String reason, int k, int f, double tMin, double tMax) {
    return new Result(false, Double.NaN, Double.NaN, Math.sqrt(Math.max(0, tMin)), Math.sqrt(Math.max(0, tMax)), k,
        f, reason);
  }

  /**
   * Lanczos on the symmetric G with full reorthogonalization (two classical Gram-Schmidt passes, "twice is
   * enough"); a breakdown restarts from a random vector orthogonal to the basis, with a zero coupling.
   */
  private static final class Lanczos {
    final DMatrix g;
    final int n;
    final int cap;
    final double[] q;
    final double[] alpha;
    final double[] beta;
    final double[] w;
    final double[] h;
    final double[] histMin;
    final double[] histMax;
    final SplittableRandom rnd = new SplittableRandom(SEED);
    int k;

    /** {@code q}: at least {@code n (cap + 1)} doubles; column k is written before it is read. */
    Lanczos(DMatrix g, int cap, double[] q) {
      this.g = g;
      this.n = g.rows();
      this.cap = cap;
      this.q = q;
      alpha = new double[cap];
      beta = new double[cap];
      w = new double[n];
      h = new double[cap + 1];
      histMin = new double[cap + 1];
      histMax = new double[cap + 1];
      randomUnit(0);
    }

    double thetaMin() {
      return histMin[k];
    }

    double thetaMax() {
      return histMax[k];
    }

    /**
     * Iterates at least {@code extra} more times, then until the extreme Ritz values moved by less than
     * {@code rho / 2} (relative) over the last {@link #LAG} iterations, or the Krylov space is complete. The
     * remaining error of an extreme Ritz value is then typically below its last move (linear convergence), so
     * within the pad; when it is not, the factorization fails and the caller iterates more.
     */
    boolean runUntilSettled(double tolerance, int extra) {
      int target = Math.min(cap, k + extra);
      while (k < cap) {
        step();
        if (k < target || k <= LAG) {
          continue;
        }
        double tMin = histMin[k];
        double tMax = histMax[k];
        if (!(tMin > 0)) {
          return true; // the caller reports a singular T
        }
        double rho = pad(tolerance, tMin, tMax);
        double moveMin = (histMin[k - LAG] - tMin) / tMin;
        double moveMax = (tMax - histMax[k - LAG]) / tMax;
        if (moveMin <= rho / 2 && moveMax <= rho / 2) {
          return true;
        }
      }
      return k >= n;
    }

    void step() {
      int j = k;
      double[] gd = g.data();
      Kernels.gemv(n, n, 1, gd, 0, n, q, j * n, 0, w, 0);
      double a = Kernels.dot(n, q, j * n, w, 0);
      Kernels.axpy(n, -a, q, j * n, w, 0);
      if (j > 0) {
        Kernels.axpy(n, -beta[j - 1], q, (j - 1) * n, w, 0);
      }
      for (int pass = 0; pass < 2; pass++) {
        Kernels.gemvTransposed(n, j + 1, 1, q, 0, n, w, 0, 0, h, 0);
        Kernels.gemv(n, j + 1, -1, q, 0, n, h, 0, 1, w, 0);
      }
      double b = Kernels.nrm2(n, w, 0);
      alpha[j] = a;
      k = j + 1;
      double scale = Math.abs(a) + (j > 0 ? beta[j - 1] : 0) + b;
      if (k < n && k <= cap) {
        if (b > 64 * n * U * Math.max(scale, Math.abs(histMax[j]))) {
          beta[j] = b;
          System.arraycopy(w, 0, q, k * n, n);
          Kernels.scal(n, 1 / b, q, k * n);
        } else {
          beta[j] = 0; // invariant subspace: restart orthogonally
          randomUnit(k);
        }
      }
      histMin[k] = extreme(k, true);
      histMax[k] = extreme(k, false);
    }

    /** A random unit vector in column c of q, orthogonal to columns 0..c-1. */
    private void randomUnit(int c) {
      for (int attempt = 0; attempt < 8; attempt++) {
        for (int i = 0; i < n; i++) {
          q[c * n + i] = rnd.nextDouble() - 0.5;
        }
        for (int pass = 0; pass < 2 && c > 0; pass++) {
          Kernels.gemvTransposed(n, c, 1, q, 0, n, q, c * n, 0, h, 0);
          Kernels.gemv(n, c, -1, q, 0, n, h, 0, 1, q, c * n);
        }
        double nr = Kernels.nrm2(n, q, c * n);
        if (nr > 1e-3) {
          Kernels.scal(n, 1 / nr, q, c * n);
          return;
        }
      }
      throw new IllegalStateException("no vector orthogonal to a Krylov basis of " + c + " < " + n + " vectors");
    }

    /** The smallest or largest eigenvalue of the leading {@code m x m} tridiagonal, by Sturm bisection. */
    private double extreme(int m, boolean smallest) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < m; i++) {
        double r = (i > 0 ? beta[i - 1] : 0) + (i + 1 < m ? beta[i] : 0);
        lo = Math.min(lo, alpha[i] - r);
        hi = Math.max(hi, alpha[i] + r);
      }
      int want = smallest ? 1 : m; // the eigenvalue with this index (1-based, increasing)
      for (int it = 0; it < BISECTIONS; it++) {
        double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi) {
          break;
        }
        if (countBelow(m, mid) >= want) {
          hi = mid;
        } else {
          lo = mid;
        }
      }
      return 0.5 * (lo + hi);
    }

    /** Number of eigenvalues of the leading m x m tridiagonal below x (Sturm count of the LDL^T pivots). */
    private int countBelow(int m, double x) {
      int count = 0;
      double d = 1;
      for (int i = 0; i < m; i++) {
        double b2 = i > 0 ? beta[i - 1] * beta[i - 1] : 0;
        d = alpha[i] - x - (i > 0 ? b2 / d : 0);
        if (d == 0) {
          d = -U * (Math.abs(alpha[i]) + Math.abs(x) + Double.MIN_NORMAL);
        }
        if (d < 0) {
          count++;
        }
      }
      return count;
    }
  }
}
