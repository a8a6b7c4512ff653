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
 * D is evaluated by branch and bound over an implicit balanced binary tree on the tail positions: for a block of
 * positions {@code [a, b]} the two KS terms are bounded by {@code (b-i+1)/N - P(x_a)} and {@code P(x_b) - (a-i)/N}
 * (both terms are monotone in t and in x, and the floating-point evaluation is monotone too: subtraction,
 * positive scaling and the semi-monotonic {@link Math#expm1}), so a block whose bound does not exceed the running
 * maximum cannot change D and is skipped; a candidate is abandoned as soon as its running maximum reaches the
 * best D so far, and candidates with {@code 1/N} at or above it are never searched ({@code D >= 1/N}). The
 * visited terms are evaluated by the same expression as the plain scan, so the result, xmin included, is
 * identical to the {@code O(n^2)} scan (checked in the tests against it). The cost is output-sensitive:
 * {@code O(log n)} tree levels per candidate times the blocks whose bound comes within reach of the running
 * maximum; docs/design-notes.md records the measured counts.
 */
public final class PowerLaw {
  /** Default minimum tail size of a candidate xmin. */
  public static final int DEFAULT_MIN_TAIL = 2;
  /** Leaves of the search tree hold at most this many positions (evaluated directly). */
  private static final int LEAF = 8;

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
      double di = searchD(pr.u, i, pr.beta[i], best, work);
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

    Prepared(double[] x, double[] u, boolean[] candidate, double[] beta) {
      this.x = x;
      this.u = u;
      this.candidate = candidate;
      this.beta = beta;
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
  static double searchD(double[] u, int i, double beta, double cutoff, long[] work) {
    double[] max = {0};
    search(u, i, beta, i, u.length - 1, max, cutoff, work);
    return max[0];
  }

  /** Returns false when the running maximum reached the cutoff (the candidate is lost). */
  private static boolean search(double[] u, int i, double beta, int a, int b, double[] max, double cutoff,
      long[] work) {
    if (b - a + 1 <= LEAF) {
      for (int j = a; j <= b; j++) {
        double term = ksTerm(u, i, j, beta);
        if (term > max[0]) {
          max[0] = term;
        }
      }
      work[0] += b - a + 1;
      return max[0] < cutoff;
    }
    int mid = (a + b) >>> 1;
    double ubLeft = bound(u, i, beta, a, mid);
    double ubRight = bound(u, i, beta, mid + 1, b);
    work[0] += 2;
    // Visit the more promising half first: it raises the running maximum early and prunes more.
    boolean leftFirst = ubLeft >= ubRight;
    for (int pass = 0; pass < 2; pass++) {
      boolean left = (pass == 0) == leftFirst;
      double ub = left ? ubLeft : ubRight;
      if (ub > max[0]) {
        boolean alive = left ? search(u, i, beta, a, mid, max, cutoff, work)
            : search(u, i, beta, mid + 1, b, max, cutoff, work);
        if (!alive) {
          return false;
        }
      }
    }
    return max[0] < cutoff;
  }

  /** Upper bound of both KS terms over tail positions {@code [a, b]} of candidate i (see the class comment). */
  private static double bound(double[] u, int i, double beta, int a, int b) {
    int tail = u.length - i;
    double up = (double) (b - i + 1) / tail - modelCdf(u, i, a, beta);
    double down = modelCdf(u, i, b, beta) - (double) (a - i) / tail;
    return Math.max(up, down);
  }
}
