package dev.cartan.kernels.svd;

/**
 * Singular values of an upper bidiagonal matrix by the dqds algorithm, to high relative accuracy.
 *
 * <p>With {@code q_i = d_i^2} and {@code e_i = e_i^2} the array {@code (q, e)} represents {@code B^T B}. One dqds
 * step with shift {@code tau >= 0} (Fernando and Parlett, Numer. Math. 67 (1994), section 5; Parlett and Marques,
 * Linear Algebra Appl. 309 (2000)) computes the array of {@code B' ^T B' = B B^T - tau I} by
 * <pre>
 *   d = q_1 - tau
 *   qhat_i = d + e_i,  t = q_{i+1} / qhat_i,  ehat_i = e_i t,  d = d t - tau
 *   qhat_n = d
 * </pre>
 * with no subtraction other than the shift, so every positive result is determined to high relative accuracy.
 * The shifts are accumulated in {@code sigma}; an eigenvalue deflates when its off-diagonal is negligible
 * relative to it ({@code e <= tol^2 (sigma + q)}, as LAPACK dlasq3).
 *
 * <p>Simplifications against LAPACK dlasq2-dlasq6, recorded in docs/design-notes.md: the shift is the smaller
 * eigenvalue of the trailing 2x2 (an upper bound by interlacing) damped by a factor, bounded by {@code dmin}; a
 * failed step (a non-positive pivot) is retried with the Newton-like correction {@code tau + d_n} when only the
 * last pivot failed, else a quarter of the shift, else zero (the zero-shift dqd step never fails). Splitting is
 * by the relative test {@code e_i <= tol^2 min(q_i, q_{i+1})}. The number of steps is capped at {@code 100 n}.
 */
final class Dqds {
  private Dqds() {}

  private static final double EPS = Math.ulp(1.0) / 2;
  /** Relative tolerance, as dlasq2 (100 eps). */
  private static final double TOL = 100 * EPS;

  private static final double TOL2 = TOL * TOL;

  /** Outcome of {@link #singularValues}. */
  static final class Stats {
    int steps;
    boolean converged = true;
    /** Largest {@code sqrt(e / (sigma + q))} at a deflation or split: the relative size of what was dropped. */
    double residual;
  }

  /**
   * Replaces {@code d[0..n-1]} by the singular values of the upper bidiagonal with diagonal d and superdiagonal
   * {@code e[0..n-2]}, in descending order. e is destroyed. {@code work} has at least {@code 5 n} doubles.
   */
  static Stats singularValues(int n, double[] d, double[] e, double[] work) {
    Stats st = new Stats();
    if (n == 0) {
      return st;
    }
    double smax = 0.0;
    for (int i = 0; i < n; i++) {
      d[i] = Math.abs(d[i]);
      smax = Math.max(smax, d[i]);
    }
    for (int i = 0; i < n - 1; i++) {
      e[i] = Math.abs(e[i]);
      smax = Math.max(smax, e[i]);
    }
    if (smax == 0.0) {
      return st;
    }
    // Scale by a power of two so the largest entry is about sqrt(eps / safmin) = 2^485 (dlasq1): squares stay
    // below overflow and as far as possible above underflow.
    int shift = 485 - Math.getExponent(smax);
    double[] q = work;
    int eo = n; // e^2 at work[n..2n-1]
    int qo2 = 2 * n;
    int eo2 = 3 * n;
    int ro = 4 * n; // results
    for (int i = 0; i < n; i++) {
      double s = Math.scalb(d[i], shift);
      q[i] = s * s;
    }
    for (int i = 0; i < n - 1; i++) {
      double s = Math.scalb(e[i], shift);
      work[eo + i] = s * s;
    }
    work[eo + n - 1] = 0.0;

    // Segments still to do: (lo, hi, sigma); the bottom one is worked on first.
    int[] segLo = new int[n];
    int[] segHi = new int[n];
    double[] segSigma = new double[n];
    int top = 0;
    int start = 0;
    for (int i = 0; i < n; i++) {
      if (i == n - 1 || work[eo + i] <= TOL2 * Math.min(q[i], q[i + 1])) {
        work[eo + i] = 0.0;
        segLo[top] = start;
        segHi[top] = i;
        segSigma[top] = 0.0;
        top++;
        start = i + 1;
      }
    }
    int cap = 100 * n;
    double[] res = new double[3];
    while (top > 0) {
      top--;
      int lo = segLo[top];
      int hi = segHi[top];
      double sigma = segSigma[top];
      boolean fresh = true;
      double tau = 0.0;
      while (hi >= lo) {
        if (hi == lo) {
          work[ro + hi] = q[hi] + sigma;
          break;
        }
        double eLast = work[eo + hi - 1];
        if (eLast <= TOL2 * (sigma + q[hi])) {
          st.residual = Math.max(st.residual, Math.sqrt(eLast / (sigma + q[hi])));
          work[ro + hi] = q[hi] + sigma;
          hi--;
          fresh = true;
          continue;
        }
        // Trailing 2x2 of B^T B: [[q1 + e0, sqrt(q1 e1)], [., e1 + q2]] minus e0; its eigenvalues relatively
        // accurately from the sum and the product q1 q2.
        double q1 = q[hi - 1];
        double q2 = q[hi];
        double mean = 0.5 * (q1 + eLast + q2);
        double half = 0.5 * (q1 - eLast - q2);
        // q's reach 2^972, so the radius is formed without squaring them.
        double big = mean + Math.hypot(half, Math.sqrt(q1) * Math.sqrt(eLast));
        double small = (q1 / big) * q2;
        if (hi - 1 == lo || work[eo + hi - 2] <= TOL2 * (sigma + small)) {
          if (hi - 1 > lo) {
            st.residual = Math.max(st.residual, Math.sqrt(work[eo + hi - 2] / (sigma + small)));
          }
          work[ro + hi] = small + sigma;
          work[ro + hi - 1] = big + sigma;
          hi -= 2;
          fresh = true;
          continue;
        }
        // Interior split: the lowest negligible e_i starts a new segment below it.
        int split = -1;
        for (int i = hi - 2; i >= lo; i--) {
          if (work[eo + i] <= TOL2 * Math.min(q[i], q[i + 1])) {
            split = i;
            break;
          }
        }
        if (split >= 0) {
          double ei = work[eo + split];
          st.residual = Math.max(st.residual, Math.sqrt(ei / (sigma + Math.min(q[split], q[split + 1]))));
          work[eo + split] = 0.0;
          segLo[top] = lo;
          segHi[top] = split;
          segSigma[top] = sigma;
          top++;
          lo = split + 1;
          fresh = true;
          continue;
        }
        if (fresh) {
          // Converge the small end at the bottom (dlasq2 flips when the top is clearly smaller).
          if (1.5 * q[lo] < q[hi]) {
            reverse(q, lo, hi);
            reverse(work, eo + lo, eo + hi - 1);
          }
          fresh = false;
        }
        if (st.steps >= cap) {
          st.converged = false;
          for (int i = lo; i <= hi; i++) {
            work[ro + i] = q[i] + sigma;
          }
          break;
        }
        // One dqds step with retries on failure.
        int attempt = 0;
        while (true) {
          st.steps++;
          boolean ok = step(q, work, eo, qo2, eo2, lo, hi, tau, res);
          if (ok) {
            break;
          }
          attempt++;
          double dn = res[1];
          if (attempt >= 3 || st.steps >= cap) {
            tau = 0.0;
          } else if (res[2] > 0.0 && tau + dn > 0.0) {
            // Only the last pivot failed: d_n(tau) ~ lambda_min - tau, so tau + d_n is a Newton-like estimate.
            tau = (tau + dn) * (1.0 - 4 * EPS);
          } else {
            tau *= 0.25;
          }
        }
        System.arraycopy(work, qo2 + lo, q, lo, hi - lo + 1);
        System.arraycopy(work, eo2 + lo, work, eo + lo, hi - lo);
        sigma += tau;
        tau = nextShift(q, work, eo, lo, hi, res[0], res[1]);
      }
    }
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = Math.sqrt(work[ro + i]);
    }
    java.util.Arrays.sort(r);
    for (int i = 0; i < n; i++) {
      d[i] = Math.scalb(r[n - 1 - i], -shift);
    }
    return st;
  }

  /**
   * The dqds step on segment [lo, hi] of (q, e at eo), into the arrays at qo2/eo2. Returns true if every pivot is
   * positive (the last may be zero). res = {dmin, dn, min pivot before the last}.
   */
  private static boolean step(double[] q, double[] w, int eo, int qo2, int eo2, int lo, int hi, double tau,
      double[] res) {
    double dd = q[lo] - tau;
    double dmin = dd;
    double dmin1 = Double.POSITIVE_INFINITY;
    for (int i = lo; i < hi; i++) {
      double qh = dd + w[eo + i];
      w[qo2 + i] = qh;
      if (!(qh > 0.0)) {
        res[0] = -1.0;
        res[1] = -1.0;
        res[2] = -1.0;
        return false;
      }
      double t = q[i + 1] / qh;
      w[eo2 + i] = w[eo + i] * t;
      dmin1 = Math.min(dmin1, dd);
      dd = dd * t - tau;
      dmin = Math.min(dmin, dd);
    }
    w[qo2 + hi] = dd;
    res[0] = dmin;
    res[1] = dd;
    res[2] = dmin1;
    return dmin1 >= 0.0 && dd >= 0.0 && !Double.isNaN(dd);
  }

  /**
   * Shift for the next step: when the smallest pivot is the last one, the smaller eigenvalue of the trailing 2x2
   * of {@code B B^T} damped by 1 %, never above {@code dmin} (both are upper bounds on the smallest eigenvalue); else a
   * quarter of dmin.
   */
  private static double nextShift(double[] q, double[] w, int eo, int lo, int hi, double dmin, double dn) {
    if (dmin <= 0.0) {
      return 0.0;
    }
    if (dn > dmin || hi - lo < 1) {
      return 0.25 * dmin;
    }
    // B B^T trailing 2x2: [[q1 + e1, sqrt(e1 q2)], [., q2]], smaller eigenvalue = q1 q2 / larger.
    double q1 = q[hi - 1];
    double e1 = w[eo + hi - 1];
    double q2 = q[hi];
    double mean = 0.5 * (q1 + e1 + q2);
    double half = 0.5 * (q1 + e1 - q2);
    double big = mean + Math.hypot(half, Math.sqrt(e1) * Math.sqrt(q2));
    double small = (q1 / big) * q2;
    return Math.min(small, dmin) * 0.99;
  }

  private static void reverse(double[] a, int from, int to) {
    for (int i = from, j = to; i < j; i++, j--) {
      double t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
