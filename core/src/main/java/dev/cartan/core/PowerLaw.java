package dev.cartan.core;

import java.util.Arrays;

/**
 * Continuous power-law fit of a sample's upper tail (Clauset, Shalizi and Newman, "Power-law distributions in
 * empirical data", SIAM Review 51, 2009, sections 3.1 and 3.3), as used on eigenvalues by WeightWatcher
 * (THEORY.md section 10).
 *
 * <p>For a candidate {@code xmin = x_i} (sample sorted increasingly, tail {@code x_i..x_{n-1}} of size
 * {@code N = n - i}): the MLE {@code alpha = 1 + N / sum_{j>=i} log(x_j / x_i)}, and the Kolmogorov-Smirnov
 * distance {@code D = max_j max((t+1)/N - P(x_j), P(x_j) - t/N)} with {@code t = j - i} and the model CDF
 * {@code P(x) = 1 - (x/xmin)^(1-alpha)}. The fit takes the candidate with the smallest D (the smallest xmin among
 * exact ties) and reports D, xmin, the tail count N and the standard error {@code (alpha - 1)/sqrt(N)}.
 * Candidates are the distinct values with at least {@code minTail} points at or above them and a tail that is not
 * constant (otherwise alpha is infinite).
 *
 * <p>The scan. The usual code evaluates D for every candidate in {@code O(n)}: {@code O(n^2)} in all. Here each
 * D is evaluated by branch and bound over a fixed balanced binary tree on the positions. A block of tail
 * positions {@code [a, b]} gets two upper bounds, and the smaller is used:
 * <ul>
 *   <li>monotone: {@code (b-i+1)/N - P(x_a)} and {@code P(x_b) - (a-i)/N} (each KS term is monotone in t and in
 *       x, and so is its floating-point evaluation: subtraction, positive scaling and the semi-monotonic
 *       {@link Math#expm1}), exact in floating point;
 *   <li>linear relaxation: P is concave in {@code u = log x}, so {@code P >= chord} on {@code [u_a, u_b]} and
 *       {@code P <= tangent} at the middle; both terms become linear in {@code (u_j, j)} and their maxima over the
 *       block are found by binary search on the block's precomputed upper/lower convex hull of the points
 *       {@code (u_j, j)} ({@code O(n log n)} to build once per fit); a margin of 1e-12 covers rounding.
 * </ul>
 * A block whose bound does not exceed the running maximum cannot change D and is skipped; a candidate is
 * abandoned as soon as its running maximum reaches the best D so far, and candidates with {@code 1/N} at or above
 * it are never searched ({@code D >= 1/N}). The visited terms are evaluated by the same expression as the plain
 * scan, so the result, xmin included, is identical to the {@code O(n^2)} scan (checked in the tests). The cost is
 * output-sensitive, not a worst-case bound: measured 6-17 {@code n log2 n} term/bound evaluations on Pareto,
 * lognormal and bulk-plus-spikes samples up to n = 100000, and 18-64 {@code n log2 n} on exact rank power laws
 * (where every candidate fits almost equally well); docs/design-notes.md has the table.
 */
public final class PowerLaw {
  /** Default minimum tail size of a candidate xmin. */
  public static final int DEFAULT_MIN_TAIL = 2;
  /** Leaves of the search tree hold at most this many positions (evaluated directly). */
  private static final int LEAF = 8;
  /**
   * Added to the linear-relaxation bounds, which unlike the monotone bounds are not exact in floating point: the
   * KS terms lie in [-1, 1] and are computed to a few ulps, so 1e-12 covers every rounding difference.
   */
  private static final double RELAXATION_MARGIN = 1e-12;

  private PowerLaw() {}

  /**
   * A power-law fit. When {@code valid} is false (fewer than two distinct positive values, or no candidate with
   * {@code minTail} points) the numbers are 0.
   *
   * @param alpha the MLE exponent of the density {@code p(x) ~ x^(-alpha)}
   * @param xmin the chosen lower cutoff
   * @param ksDistance the KS distance D of the tail to the fitted law
   * @param tailCount N, the number of sample points {@code >= xmin}
   * @param standardError {@code (alpha - 1) / sqrt(N)}
   * @param sampleSize n, the number of positive sample points used
   * @param termsEvaluated KS terms evaluated by the scan (the plain scan evaluates about {@code n^2/2})
   * @param valid whether a fit exists
   */
  public record Fit(double alpha, double xmin, double ksDistance, int tailCount, double standardError,
      int sampleSize, long termsEvaluated, boolean valid) {}

  /** {@link #fit(double[], int)} with {@link #DEFAULT_MIN_TAIL}. */
  public static Fit fit(double[] sample) {
    return fit(sample, DEFAULT_MIN_TAIL);
  }

  /**
   * Fits the tail of the positive entries of {@code sample} (zeros are ignored: they are not in a power law's
   * support).
   *
   * @throws IllegalArgumentException if {@code sample} is null, has a NaN, infinite or negative entry, or
   *     {@code minTail < 2}
   */
  public static Fit fit(double[] sample, int minTail) {
    Prepared pr = prepare(sample, minTail);
    if (pr == null) {
      return new Fit(0, 0, 0, 0, 0, countPositive(sample), 0, false);
    }
    int n = pr.u.length;
    double best = Double.POSITIVE_INFINITY;
    int bestI = -1;
    long[] work = new long[1];
    for (int i = 0; i < n; i++) {
      if (!pr.candidate[i]) {
        continue;
      }
      int tail = n - i;
      if (1.0 / tail >= best) {
        continue; // D_i >= 1/N >= best: cannot win
      }
      double di = searchD(pr, i, best, work);
      if (di < best) {
        best = di;
        bestI = i;
      }
    }
    return result(pr, bestI, best, work[0]);
  }

  static Fit result(Prepared pr, int i, double d, long work) {
    int n = pr.u.length;
    if (i < 0) {
      return new Fit(0, 0, 0, 0, 0, n, work, false);
    }
    int tail = n - i;
    double alpha = 1 + pr.beta[i];
    return new Fit(alpha, pr.x[i], d, tail, (alpha - 1) / Math.sqrt(tail), n, work, true);
  }

  /** Sorted positive sample, logs, candidate flags and {@code beta_i = alpha_i - 1}. */
  static final class Prepared {
    final double[] x;
    final double[] u;
    final boolean[] candidate;
    final double[] beta;
    final Hulls hulls;

    Prepared(double[] x, double[] u, boolean[] candidate, double[] beta) {
      this.x = x;
      this.u = u;
      this.candidate = candidate;
      this.beta = beta;
      this.hulls = new Hulls(u);
    }
  }

  private static int countPositive(double[] sample) {
    int c = 0;
    for (double v : sample) {
      if (v > 0) {
        c++;
      }
    }
    return c;
  }

  /** Checks and sorts the sample and computes every candidate's MLE; null when no candidate exists. */
  static Prepared prepare(double[] sample, int minTail) {
    if (sample == null) {
      throw new IllegalArgumentException("sample is null");
    }
    if (minTail < 2) {
      throw new IllegalArgumentException("minTail must be >= 2, got " + minTail);
    }
    for (int k = 0; k < sample.length; k++) {
      if (!Double.isFinite(sample[k]) || sample[k] < 0) {
        throw new IllegalArgumentException("sample[" + k + "] = " + sample[k] + " is not finite and >= 0");
      }
    }
    double[] x = Arrays.stream(sample).filter(v -> v > 0).sorted().toArray();
    int n = x.length;
    if (n < 2 || x[0] == x[n - 1]) {
      return null;
    }
    double[] u = new double[n];
    for (int k = 0; k < n; k++) {
      u[k] = Math.log(x[k]);
    }
    boolean[] cand = new boolean[n];
    double[] beta = new double[n];
    boolean any = false;
    for (int i = 0; i < n; i++) {
      boolean first = i == 0 || x[i - 1] != x[i];
      cand[i] = first && n - i >= minTail && x[i] != x[n - 1];
      any |= cand[i];
    }
    if (!any) {
      return null;
    }
    // sum_{j>=i} (u_j - u_i) = S_i - N u_i with S_i accumulated from the top; logs shifted by u_{n-1} so the
    // difference does not lose digits when |u| is much larger than the spread of the tail.
    double top = u[n - 1];
    double shifted = 0;
    for (int i = n - 1; i >= 0; i--) {
      shifted += u[i] - top;
      if (cand[i]) {
        int tail = n - i;
        double sumLog = shifted - tail * (u[i] - top);
        beta[i] = tail / sumLog;
      }
    }
    return new Prepared(x, u, cand, beta);
  }

  /** The model CDF {@code P(x_j) = 1 - exp(-beta (u_j - u_i))} at tail point j of candidate i. */
  static double modelCdf(double[] u, int i, int j, double beta) {
    return -Math.expm1(-beta * (u[j] - u[i]));
  }

  /** The larger KS term at tail point j of candidate i: {@code max((t+1)/N - P, P - t/N)}, t = j - i. */
  static double ksTerm(double[] u, int i, int j, double beta) {
    int tail = u.length - i;
    double p = modelCdf(u, i, j, beta);
    int t = j - i;
    return Math.max((double) (t + 1) / tail - p, p - (double) t / tail);
  }

  /**
   * D of candidate i by branch and bound, or any value {@code >= cutoff} once D is known to reach the cutoff.
   */
  static double searchD(Prepared pr, int i, double cutoff, long[] work) {
    double[] max = {0};
    new Search(pr, i, work).visit(1, 0, pr.u.length - 1, max, cutoff);
    return max[0];
  }

  /** The branch and bound of one candidate over the fixed tree of {@link Hulls}. */
  private static final class Search {
    final double[] u;
    final int i;
    final double beta;
    final double invTail;
    final Hulls hulls;
    final long[] work;

    Search(Prepared pr, int i, long[] work) {
      this.u = pr.u;
      this.i = i;
      this.beta = pr.beta[i];
      this.invTail = 1.0 / (u.length - i);
      this.hulls = pr.hulls;
      this.work = work;
    }

    /** Returns false when the running maximum reached the cutoff (the candidate is lost). */
    boolean visit(int node, int a, int b, double[] max, double cutoff) {
      int lo = Math.max(a, i);
      if (b - a + 1 <= LEAF) {
        for (int j = lo; j <= b; j++) {
          double term = ksTerm(u, i, j, beta);
          if (term > max[0]) {
            max[0] = term;
          }
        }
        work[0] += b - lo + 1;
        return max[0] < cutoff;
      }
      int mid = (a + b) >>> 1;
      int first = 2 * node;
      // A child left of i holds no tail point; a child straddling i is only bounded monotonically.
      double ubLeft = mid < i ? Double.NEGATIVE_INFINITY : bound(first, a, mid);
      double ubRight = bound(first + 1, mid + 1, b);
      work[0] += 2;
      // Visit the more promising half first: it raises the running maximum early and prunes more.
      boolean leftFirst = ubLeft >= ubRight;
      for (int pass = 0; pass < 2; pass++) {
        boolean left = (pass == 0) == leftFirst;
        double ub = left ? ubLeft : ubRight;
        if (ub > max[0]) {
          boolean alive = left ? visit(first, a, mid, max, cutoff) : visit(first + 1, mid + 1, b, max, cutoff);
          if (!alive) {
            return false;
          }
        }
      }
      return max[0] < cutoff;
    }

    /** Upper bound of both KS terms over tail positions {@code [max(a, i), b]} (see the class comment). */
    double bound(int node, int a, int b) {
      int lo = Math.max(a, i);
      double pa = modelCdf(u, i, lo, beta);
      double pb = modelCdf(u, i, b, beta);
      double up = (double) (b - i + 1) * invTail - pa;
      double down = pb - (double) (lo - i) * invTail;
      double monotone = Math.max(up, down);
      if (lo != a || u[b] == u[a] || hulls.upper[node] == null) {
        return monotone;
      }
      // Linear relaxations, maximized over the node's hulls: P >= chord on [u_a, u_b] (P concave) bounds the
      // first term, P <= tangent at the middle bounds the second.
      double sigma = (pb - pa) / (u[b] - u[a]);
      int v = hulls.maxUpper(node, sigma, invTail, u);
      double up2 = (1 - i) * invTail - pa + (v * invTail - sigma * (u[v] - u[a]));
      double uc = 0.5 * (u[a] + u[b]);
      double pc = -Math.expm1(-beta * (uc - u[i]));
      double slope = beta * Math.exp(-beta * (uc - u[i]));
      int w = hulls.maxLower(node, slope, invTail, u);
      double down2 = pc + i * invTail + (slope * (u[w] - uc) - w * invTail);
      return Math.min(monotone, Math.max(up2, down2) + RELAXATION_MARGIN);
    }
  }

  /**
   * Upper and lower convex hulls of the points {@code (u_j, j)} of every node of a fixed binary tree on the
   * positions {@code 0..n-1} (node 1 is the root, node k has children 2k and 2k+1; leaves hold at most
   * {@link #LEAF} positions and no hull). Built once per fit by the monotone chain in {@code O(n log n)}; a
   * linear function of {@code (u, j)} is maximized over a node by binary search on the hull's edges.
   */
  static final class Hulls {
    final int[][] upper;
    final int[][] lower;

    Hulls(double[] u) {
      int n = u.length;
      int size = 1;
      while (size < 2 * Math.max(1, n)) {
        size <<= 1;
      }
      upper = new int[2 * size][];
      lower = new int[2 * size][];
      build(u, 1, 0, n - 1);
    }

    private void build(double[] u, int node, int a, int b) {
      if (b - a + 1 <= LEAF) {
        return;
      }
      upper[node] = chain(u, a, b, true);
      lower[node] = chain(u, a, b, false);
      int mid = (a + b) >>> 1;
      build(u, 2 * node, a, mid);
      build(u, 2 * node + 1, mid + 1, b);
    }

    /** Andrew's monotone chain over points sorted by u (then j): the upper or the lower hull. */
    private static int[] chain(double[] u, int a, int b, boolean upperHull) {
      int[] h = new int[b - a + 1];
      int m = 0;
      for (int j = a; j <= b; j++) {
        while (m >= 2) {
          int p = h[m - 2];
          int q = h[m - 1];
          double cross = (u[q] - u[p]) * (j - p) - (double) (q - p) * (u[j] - u[p]);
          // upper hull: drop q unless it turns clockwise (cross < 0); lower hull: unless counter-clockwise
          if (upperHull ? cross >= 0 : cross <= 0) {
            m--;
          } else {
            break;
          }
        }
        h[m++] = j;
      }
      return java.util.Arrays.copyOf(h, m);
    }

    /** The upper-hull vertex maximizing {@code j c - sigma u}, {@code c > 0}: f rises along an edge while
     *  {@code dj c - sigma du > 0}, which holds on a prefix of the edges (slopes decrease). */
    int maxUpper(int node, double sigma, double c, double[] u) {
      int[] h = upper[node];
      int lo = 0;
      int hi = h.length - 1;
      while (lo < hi) {
        int e = (lo + hi) >>> 1;
        if ((h[e + 1] - h[e]) * c - sigma * (u[h[e + 1]] - u[h[e]]) > 0) {
          lo = e + 1;
        } else {
          hi = e;
        }
      }
      return h[lo];
    }

    /** The lower-hull vertex maximizing {@code slope u - j c}: rises along an edge while
     *  {@code slope du - dj c > 0}, a prefix of the edges (slopes increase). */
    int maxLower(int node, double slope, double c, double[] u) {
      int[] h = lower[node];
      int lo = 0;
      int hi = h.length - 1;
      while (lo < hi) {
        int e = (lo + hi) >>> 1;
        if (slope * (u[h[e + 1]] - u[h[e]]) - (h[e + 1] - h[e]) * c > 0) {
          lo = e + 1;
        } else {
          hi = e;
        }
      }
      return h[lo];
    }
  }
}
