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
 * <p>As LAPACK dlasq2-dlasq5: two qd arrays used in turn (no copy per step), dlasq4's shift cases (from the last
 * step's pivots dmin, dmin1, dmin2, dn, dn1, dn2 and how many values deflated since), dlasq3's second deflation
 * test on the step's source array, its retries (late failure: {@code tau + d_n}; early: a quarter; then zero) and
 * its "convergence hidden by a negative d_n" case, a compensated sigma, and {@code max(0, qmin - 2 sqrt(qmin
 * emax))} as a fresh segment's first shift. Differences, recorded in docs/design-notes.md: splitting is by the
 * relative test {@code e_i <= tol^2 min(q_i, q_{i+1})}, tested inside each step (its position looked up only when
 * it holds somewhere) rather than by a separate scan; the two-value deflation uses the trailing 2x2's eigenvalues
 * as before. The number of steps is capped at {@code 100 n}; a zero-shift step that fails (an underflowed zero
 * pivot) ends the segment unconverged.
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
    /** Steps rejected for a non-positive pivot (included in steps). */
    int failures;
    boolean converged = true;
    /** Largest {@code sqrt(e / (sigma + q))} at a deflation or split: the relative size of what was dropped. */
    double residual;
    /**
     * The paths taken, one bit each: {@code 1 << c} for dlasq4's shift case c (1-12), and {@link #FLIPPED},
     * {@link #HIDDEN}, {@link #SPLIT}, {@link #PAIR}, {@link #RETRY_LATE}, {@link #RETRY_EARLY}, {@link #RETRY_ZERO}.
     * Lets a test see which branches an input exercises (the JIT warm-up must take them all, {@link DqdsWarmup}).
     */
    int paths;
  }

  /** {@link Stats#paths}: a segment was reversed to converge its smaller end at the bottom. */
  static final int FLIPPED = 1 << 13;
  /** {@link Stats#paths}: convergence hidden by a negative d_n (dlasq3). */
  static final int HIDDEN = 1 << 14;
  /** {@link Stats#paths}: a step found an interior split. */
  static final int SPLIT = 1 << 15;
  /** {@link Stats#paths}: two values deflated at once from a trailing 2x2. */
  static final int PAIR = 1 << 16;
  /** {@link Stats#paths}: a failed step retried with {@code tau + d_n}. */
  static final int RETRY_LATE = 1 << 17;
  /** {@link Stats#paths}: a failed step retried with a quarter of the shift. */
  static final int RETRY_EARLY = 1 << 18;
  /** {@link Stats#paths}: a failed step retried with a zero shift. */
  static final int RETRY_ZERO = 1 << 19;

  /**
   * Replaces {@code d[0..n-1]} by the singular values of the upper bidiagonal with diagonal d and superdiagonal
   * {@code e[0..n-2]}, in descending order. e is destroyed. {@code work} has at least {@code 5 n} doubles.
   */
  static Stats singularValues(int n, double[] d, double[] e, double[] work) {
    // The loops over all n values (load, initial split, results) are in helpers: this method's own loops then
    // run a few times per value, so C2 compiles it from a warm-up's calls before their back-edges call for an
    // on-stack replacement (DqdsWarmup; docs/design-notes.md, "analyze: dqds warm-up").
    Stats st = new Stats();
    if (n == 0) {
      return st;
    }
    // Two qd arrays used in turn (dlasq2's ping-pong): q at base, e at base + n, base 0 or 2n; results at 4n.
    double[] w = work;
    int ro = 4 * n;
    int shift = load(n, d, e, w);
    if (shift == ZERO) {
      return st;
    }
    // Segments still to do: (lo, hi, sigma, array base); the bottom one is worked on first.
    int[] segLo = new int[n];
    int[] segHi = new int[n];
    int[] segBase = new int[n];
    double[] segSigma = new double[n];
    int top = split(n, w, segLo, segHi);
    int cap = 100 * n;
    Step s = new Step();
    while (top > 0) {
      top--;
      int lo = segLo[top];
      int hi = segHi[top];
      double sigma = segSigma[top];
      double desig = 0.0; // compensation of sigma's rounding (dlasq3)
      int cur = segBase[top];
      boolean fresh = true;
      // stepped: the last operation on this segment was a successful step, so s holds its pivots and the other
      // array its source.
      boolean stepped = false;
      double tau = startShift(w, cur, n, lo, hi);
      int n0in = hi;
      while (true) {
        int q = cur;
        int eo = cur + n;
        int oe = 2 * n - cur + n;
        int h = deflate(w, q, eo, oe, ro, lo, hi, sigma, stepped, st);
        if (h < lo) {
          break;
        }
        if (h != hi) {
          hi = h;
          fresh = true;
        }
        if (fresh) {
          // Converge the small end at the bottom (dlasq3 flips when the top is clearly smaller); then a zero shift.
          if (1.5 * w[q + lo] < w[q + hi]) {
            st.paths |= FLIPPED;
            reverse(w, q + lo, q + hi);
            reverse(w, eo + lo, eo + hi - 1);
            stepped = false;
            tau = 0.0;
          }
          fresh = false;
        }
        if (stepped) {
          tau = nextShift(w, q, eo, oe - n, oe, lo, hi, n0in, s);
          st.paths |= 1 << -s.type;
        }
        if (st.steps >= cap) {
          st.converged = false;
          settle(w, ro, q, lo, hi, sigma);
          break;
        }
        // One dqds step with dlasq3's retries on failure.
        int other = 2 * n - cur;
        int attempt = 0;
        boolean stuck = false;
        while (true) {
          st.steps++;
          boolean ok = step(w, q, eo, other, other + n, lo, hi, tau, s);
          if (ok) {
            break;
          }
          if (s.dmin1 > 0.0 && s.dn < 0.0 && w[other + n + hi - 1] < TOL * (sigma + s.dn1)
              && Math.abs(s.dn) < TOL * sigma) {
            // Convergence hidden by a negative d_n: the last value is sigma to working accuracy (dlasq3).
            w[other + hi] = 0.0;
            s.dmin = 0.0;
            st.paths |= HIDDEN;
            break;
          }
          if (tau == 0.0) {
            // The zero-shift step fails only on an underflowed zero pivot; give up on this segment.
            stuck = true;
            break;
          }
          attempt++;
          st.failures++;
          if (attempt >= 3 || st.steps >= cap || Double.isNaN(s.dmin)) {
            tau = 0.0;
            st.paths |= RETRY_ZERO;
          } else if (s.dmin1 > 0.0) {
            // Late failure: d_n(tau) ~ lambda_min - tau, so tau + d_n is an excellent shift.
            tau = (tau + s.dn) * (1.0 - 2 * EPS);
            s.type -= 11;
            st.paths |= RETRY_LATE;
          } else {
            tau *= 0.25;
            s.type -= 12;
            st.paths |= RETRY_EARLY;
          }
        }
        if (stuck) {
          st.converged = false;
          settle(w, ro, q, lo, hi, sigma);
          break;
        }
        n0in = hi;
        cur = other;
        stepped = true;
        if (tau < sigma) {
          desig += tau;
          double t = sigma + desig;
          desig -= t - sigma;
          sigma = t;
        } else {
          double t = sigma + tau;
          desig = sigma + (desig - t) + tau;
          sigma = t;
        }
        int split = s.split;
        if (split >= 0) {
          // The lowest negligible e_i (relative to both neighbours) starts a new segment below it.
          st.paths |= SPLIT;
          int nq = cur;
          int ne = cur + n;
          double ei = w[ne + split];
          st.residual = Math.max(st.residual, Math.sqrt(ei / (sigma + Math.min(w[nq + split], w[nq + split + 1]))));
          w[ne + split] = 0.0;
          segLo[top] = lo;
          segHi[top] = split;
          segSigma[top] = sigma;
          segBase[top] = cur;
          top++;
          lo = split + 1;
          fresh = true;
          stepped = false;
          tau = startShift(w, cur, n, lo, hi);
        }
      }
    }
    finish(n, d, w, ro, shift);
    return st;
  }

  /**
   * Deflates from the bottom of segment [lo, hi] of (q, e) (source array at oe when {@code stepped}) every value
   * and pair that has converged, writing them plus sigma to w[ro + i]; returns the new hi ({@code lo - 1} when the
   * whole segment is done). In its own method, not as {@code hi--; continue} in {@link #singularValues}'s loop:
   * C2 compiles such a back edge as a counted loop guarded by a loop-limit predicate, and the first segment that
   * ends on a pair deflation fails the predicate and throws the whole compiled driver away (session 8,
   * docs/design-notes.md "analyze: dqds warm-up"); here a recompilation costs little.
   */
  private static int deflate(double[] w, int q, int eo, int oe, int ro, int lo, int hi, double sigma,
      boolean stepped, Stats st) {
    while (hi >= lo) {
      if (hi == lo) {
        w[ro + hi] = w[q + hi] + sigma;
        return lo - 1;
      }
      double eLast = w[eo + hi - 1];
      if (eLast <= TOL2 * (sigma + w[q + hi])) {
        st.residual = Math.max(st.residual, Math.sqrt(eLast / (sigma + w[q + hi])));
        w[ro + hi] = w[q + hi] + sigma;
        hi--;
        continue;
      }
      if (stepped && w[oe + hi - 1] <= TOL2 * w[q + hi - 1]) {
        // dlasq3's second test: the source array's e_{n-1} was negligible against the new q_{n-1}.
        st.residual = Math.max(st.residual, Math.sqrt(w[oe + hi - 1] / w[q + hi - 1]));
        w[ro + hi] = w[q + hi] + sigma;
        hi--;
        continue;
      }
      // Trailing 2x2 of B^T B: [[q1 + e0, sqrt(q1 e1)], [., e1 + q2]] minus e0; its eigenvalues relatively
      // accurately from the sum and the product q1 q2.
      double q1 = w[q + hi - 1];
      double q2 = w[q + hi];
      double mean = 0.5 * (q1 + eLast + q2);
      double half = 0.5 * (q1 - eLast - q2);
      // q's reach 2^972, so the radius is formed without squaring them.
      double big = mean + Math.hypot(half, Math.sqrt(q1) * Math.sqrt(eLast));
      double small = (q1 / big) * q2;
      if (hi - 1 == lo || w[eo + hi - 2] <= TOL2 * (sigma + small)
          || (stepped && w[oe + hi - 2] <= TOL2 * w[q + hi - 2])) {
        if (hi - 1 > lo) {
          st.residual = Math.max(st.residual, Math.sqrt(Math.min(w[eo + hi - 2] / (sigma + small),
              stepped ? w[oe + hi - 2] / w[q + hi - 2] : Double.POSITIVE_INFINITY)));
        }
        st.paths |= PAIR;
        w[ro + hi] = small + sigma;
        w[ro + hi - 1] = big + sigma;
        hi -= 2;
        continue;
      }
      return hi;
    }
    return hi;
  }

  /** {@link #load}'s answer for an all-zero bidiagonal. */
  private static final int ZERO = Integer.MIN_VALUE;

  /**
   * Takes absolute values of d and e in place and writes the scaled squares as the first qd array: q at w[0..n-1],
   * e at w[n..2n-1] (the last zero). Returns the power-of-two scale, or {@link #ZERO} when every entry is zero.
   */
  private static int load(int n, double[] d, double[] e, double[] w) {
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
      return ZERO;
    }
    // Scale by a power of two so the largest entry is about sqrt(eps / safmin) = 2^485 (dlasq1): squares stay
    // below overflow and as far as possible above underflow.
    int shift = 485 - Math.getExponent(smax);
    for (int i = 0; i < n; i++) {
      double s = Math.scalb(d[i], shift);
      w[i] = s * s;
    }
    for (int i = 0; i < n - 1; i++) {
      double s = Math.scalb(e[i], shift);
      w[n + i] = s * s;
    }
    w[n + n - 1] = 0.0;
    return shift;
  }

  /**
   * Splits the first qd array at its negligible e_i (zeroing them) into segments, pushed bottom-last on
   * (segLo, segHi); returns their number.
   */
  private static int split(int n, double[] w, int[] segLo, int[] segHi) {
    int top = 0;
    int start = 0;
    for (int i = 0; i < n; i++) {
      if (i == n - 1 || negligible(w[n + i], w[i], w[i + 1])) {
        w[n + i] = 0.0;
        segLo[top] = start;
        segHi[top] = i;
        top++;
        start = i + 1;
      }
    }
    return top;
  }

  /** An unconverged segment's results: its q's plus sigma, as they stand. */
  private static void settle(double[] w, int ro, int q, int lo, int hi, double sigma) {
    for (int i = lo; i <= hi; i++) {
      w[ro + i] = w[q + i] + sigma;
    }
  }

  /** The singular values from the eigenvalues at w[ro..ro+n-1], descending and unscaled, into d. */
  private static void finish(int n, double[] d, double[] w, int ro, int shift) {
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = Math.sqrt(w[ro + i]);
    }
    java.util.Arrays.sort(r);
    for (int i = 0; i < n; i++) {
      d[i] = Math.scalb(r[n - 1 - i], -shift);
    }
  }

  /** Pivots of the last dqds step (dlasq5's outputs) and the shift type that chose its shift (dlasq4). */
  static final class Step {
    double dmin;
    double dmin1;
    double dmin2;
    double dn;
    double dn1;
    double dn2;
    /** The highest {@code i <= hi - 3} whose new e_i is negligible against both new neighbours, or -1. */
    int split;
    int type;
    /** Case 6's damping fraction, adapted over repeated uses (dlasq4's G). */
    double g = 0.25;
  }

  /**
   * First shift of a fresh segment (dlasq2): {@code max(0, qmin - 2 sqrt(qmin emax))}, a Gershgorin-type lower
   * estimate of its smallest eigenvalue.
   */
  private static double startShift(double[] w, int q, int n, int lo, int hi) {
    double qmin = w[q + hi];
    double emax = 0.0;
    for (int i = lo; i < hi; i++) {
      qmin = Math.min(qmin, w[q + i]);
      emax = Math.max(emax, w[q + n + i]);
    }
    return Math.max(0.0, qmin - 2 * Math.sqrt(qmin) * Math.sqrt(emax));
  }

  /**
   * The dqds step on segment [lo, hi] (at least 3 long) of (q, e), into the arrays at nq/ne, with dlasq5's
   * pivots in s. Returns true if every pivot is non-negative. Also finds the lowest interior split of the new array.
   *
   * <p>The main loop carries the chain {@code qh = d + e_i, t = q_{i+1} / qh, d = d t - tau} and nothing that
   * branches on the data (docs/design-notes.md, "dqds: a loop without data-dependent branches"): a negative or NaN
   * pivot is caught after the loop through dmin (a zero {@code qh} comes only from {@code d = e_i = 0} and turns d
   * into NaN), as in dlasq5's IEEE version, and the split test only keeps the largest margin
   * {@code tol^2 min(q_{i-1}, q_i) - e_{i-1}} (its sign is the test's outcome exactly: scaling by tol^2 is monotonic
   * and a difference of non-negative numbers cannot overflow), the split itself being located by
   * {@link #lowestSplit} when some margin is non-negative. Results are those of the loop with the tests inside.
   */
  static boolean step(double[] w, int q, int e, int nq, int ne, int lo, int hi, double tau, Step s) {
    double dd = w[q + lo] - tau;
    double dmin = dd;
    double margin = Double.NEGATIVE_INFINITY;
    double prevE = Double.POSITIVE_INFINITY;
    double prevTq = 0.0;
    for (int i = lo; i < hi - 2; i++) {
      double qh = dd + w[e + i];
      w[nq + i] = qh;
      double tq = TOL2 * qh;
      margin = Math.max(margin, Math.min(prevTq, tq) - prevE);
      double t = w[q + i + 1] / qh;
      double en = w[e + i] * t;
      w[ne + i] = en;
      prevE = en;
      prevTq = tq;
      dd = dd * t - tau;
      dmin = Math.min(dmin, dd);
    }
    if (!(dmin >= 0.0)) {
      s.dmin = s.dmin1 = s.dn = -1.0;
      return false;
    }
    // The last two pivots unrolled, as dlasq5.
    s.dn2 = dd;
    s.dmin2 = dmin;
    int split = margin >= 0.0 ? lowestSplit(w, nq, ne, lo, hi - 3) : -1;
    double prevQ = hi - 3 >= lo ? w[nq + hi - 3] : 0.0;
    for (int i = hi - 2; i < hi; i++) {
      double qh = dd + w[e + i];
      if (!(dd >= 0.0 && qh > 0.0)) {
        s.dmin = s.dmin1 = s.dn = -1.0;
        return false;
      }
      w[nq + i] = qh;
      if (i == hi - 2 && negligible(prevE, prevQ, qh)) {
        split = i - 1;
      }
      double t = w[q + i + 1] / qh;
      w[ne + i] = w[e + i] * t;
      dd = dd * t - tau;
      if (i == hi - 2) {
        s.dn1 = dd;
        dmin = Math.min(dmin, dd);
        s.dmin1 = dmin;
      }
    }
    w[nq + hi] = dd;
    s.dn = dd;
    s.dmin = Math.min(dmin, dd);
    s.split = split >= lo ? split : -1;
    return s.dmin >= 0.0;
  }

  /**
   * The split test: {@code e} is negligible against both of its neighbours {@code qa} and {@code qb},
   * {@code e <= tol^2 min(qa, qb)} (at load, in a step's last pivots and in {@link #lowestSplit}; {@link #step}'s
   * main loop keeps its margin instead).
   */
  private static boolean negligible(double e, double qa, double qb) {
    return e <= TOL2 * Math.min(qa, qb);
  }

  /**
   * The highest {@code i - 1}, {@code lo < i <= last}, whose new {@code e_{i-1}} is {@link #negligible} against both
   * new neighbours, or -1.
   */
  private static int lowestSplit(double[] w, int nq, int ne, int lo, int last) {
    for (int i = last; i > lo; i--) {
      if (negligible(w[ne + i - 1], w[nq + i - 1], w[nq + i])) {
        return i - 1;
      }
    }
    return -1;
  }

  private static final double CNST1 = 0.563;
  private static final double CNST2 = 1.01;
  private static final double CNST3 = 1.05;

  /**
   * LAPACK dlasq4's shift after a successful step on [lo, n0in], now [lo, hi] after deflations: (q, e) are the
   * current arrays, (oq, oe) the step's source. Cases as numbered there; every estimate is a lower bound or
   * nearly so on the smallest eigenvalue, and a failed step is retried by the caller.
   */
  private static double nextShift(double[] w, int q, int e, int oq, int oe, int lo, int hi, int n0in, Step s) {
    double dmin = s.dmin;
    int n0 = hi;
    // A zero pivot after a successful step means a value equal to sigma to working accuracy, the usual state of
    // the last pivot once the shift has converged. dlasq4 then takes a zero shift; when that value has deflated
    // since (n0in > n0) it no longer bounds the rest, and the pivots above it (dmin1, dmin2) decide instead.
    double guard = n0in == n0 ? dmin : n0in == n0 + 1 ? s.dmin1 : n0in == n0 + 2 ? s.dmin2 : 1.0;
    if (guard <= 0.0) {
      s.type = -1;
      return n0in == n0 ? -dmin : 0.0;
    }
    double sh;
    if (n0in == n0) {
      if (dmin == s.dn || dmin == s.dn1) {
        double b1 = Math.sqrt(w[q + n0]) * Math.sqrt(w[e + n0 - 1]);
        double b2 = Math.sqrt(w[q + n0 - 1]) * Math.sqrt(w[e + n0 - 2]);
        double a2 = w[q + n0 - 1] + w[e + n0 - 1];
        if (dmin == s.dn && s.dmin1 == s.dn1) {
          // Cases 2 and 3.
          double gap2 = s.dmin2 - a2 - s.dmin2 * 0.25;
          double gap1 = gap2 > 0.0 && gap2 > b2 ? a2 - s.dn - (b2 / gap2) * b2 : a2 - s.dn - (b1 + b2);
          if (gap1 > 0.0 && gap1 > b1) {
            sh = Math.max(s.dn - (b1 / gap1) * b1, 0.5 * dmin);
            s.type = -2;
          } else {
            sh = 0.0;
            if (s.dn > b1) {
              sh = s.dn - b1;
            }
            if (a2 > b1 + b2) {
              sh = Math.min(sh, a2 - (b1 + b2));
            }
            sh = Math.max(sh, dmin / 3);
            s.type = -3;
          }
        } else {
          // Case 4: a Rayleigh quotient residual bound from the decay of e_i / q_i up the segment.
          s.type = -4;
          sh = 0.25 * dmin;
          double gam;
          int k;
          if (dmin == s.dn) {
            gam = s.dn;
            a2 = 0.0;
            if (w[e + n0 - 1] > w[q + n0 - 1]) {
              return sh;
            }
            b2 = w[e + n0 - 1] / w[q + n0 - 1];
            k = n0 - 2;
          } else {
            gam = s.dn1;
            if (w[oe + n0 - 1] > w[oq + n0]) {
              return sh;
            }
            a2 = w[oe + n0 - 1] / w[oq + n0];
            if (w[e + n0 - 2] > w[q + n0 - 2]) {
              return sh;
            }
            b2 = w[e + n0 - 2] / w[q + n0 - 2];
            k = n0 - 3;
          }
          a2 += b2;
          a2 = series(w, q, e, lo, k, a2, b2);
          if (a2 < 0.0) {
            return sh;
          }
          a2 *= CNST3;
          if (a2 < CNST1) {
            sh = gam * (1.0 - Math.sqrt(a2)) / (1.0 + a2);
          }
        }
      } else if (dmin == s.dn2) {
        // Case 5.
        s.type = -5;
        sh = 0.25 * dmin;
        double b1 = w[oq + n0];
        double b2 = w[oq + n0 - 1];
        double gam = s.dn2;
        if (w[oe + n0 - 2] > b2 || w[oe + n0 - 1] > b1) {
          return sh;
        }
        double a2 = (w[oe + n0 - 2] / b2) * (1.0 + w[oe + n0 - 1] / b1);
        if (n0 - lo > 2) {
          b2 = w[e + n0 - 3] / w[q + n0 - 3];
          a2 += b2;
          a2 = series(w, q, e, lo, n0 - 4, a2, b2);
          if (a2 < 0.0) {
            return sh;
          }
          a2 *= CNST3;
        }
        if (a2 < CNST1) {
          sh = gam * (1.0 - Math.sqrt(a2)) / (1.0 + a2);
        }
      } else {
        // Case 6: no information; a fraction of dmin that grows while it keeps succeeding.
        if (s.type == -6) {
          s.g += (1.0 - s.g) / 3;
        } else if (s.type == -18) {
          s.g = 0.25 / 3;
        } else {
          s.g = 0.25;
        }
        sh = s.g * dmin;
        s.type = -6;
      }
    } else if (n0in == n0 + 1) {
      // One value just deflated: dmin1, dn1 play dmin, dn.
      if (s.dmin1 == s.dn1 && s.dmin2 == s.dn2) {
        // Cases 7 and 8.
        s.type = -7;
        sh = s.dmin1 / 3;
        if (w[e + n0 - 1] > w[q + n0 - 1]) {
          return sh;
        }
        double b1 = w[e + n0 - 1] / w[q + n0 - 1];
        double b2 = b1;
        if (b2 != 0.0) {
          for (int i = n0 - 2; i >= lo; i--) {
            double a2 = b1;
            if (w[e + i] > w[q + i]) {
              return sh;
            }
            b1 *= w[e + i] / w[q + i];
            b2 += b1;
            if (100 * Math.max(b1, a2) < b2) {
              break;
            }
          }
        }
        b2 = Math.sqrt(CNST3 * b2);
        double a2 = s.dmin1 / (1.0 + b2 * b2);
        double gap2 = 0.5 * s.dmin2 - a2;
        if (gap2 > 0.0 && gap2 > b2 * a2) {
          sh = Math.max(sh, a2 * (1.0 - CNST2 * a2 * (b2 / gap2) * b2));
        } else {
          sh = Math.max(sh, a2 * (1.0 - CNST2 * b2));
          s.type = -8;
        }
      } else {
        // Case 9.
        sh = s.dmin1 == s.dn1 ? 0.5 * s.dmin1 : 0.25 * s.dmin1;
        s.type = -9;
      }
    } else if (n0in == n0 + 2) {
      // Two values just deflated: dmin2, dn2 play dmin, dn. Cases 10 and 11.
      if (s.dmin2 == s.dn2 && 2 * w[e + n0 - 1] < w[q + n0 - 1]) {
        s.type = -10;
        sh = s.dmin2 / 3;
        double b1 = w[e + n0 - 1] / w[q + n0 - 1];
        double b2 = b1;
        if (b2 != 0.0) {
          for (int i = n0 - 2; i >= lo; i--) {
            if (w[e + i] > w[q + i]) {
              return sh;
            }
            b1 *= w[e + i] / w[q + i];
            b2 += b1;
            if (100 * b1 < b2) {
              break;
            }
          }
        }
        b2 = Math.sqrt(CNST3 * b2);
        double a2 = s.dmin2 / (1.0 + b2 * b2);
        double gap2 = w[q + n0 - 1] + w[e + n0 - 2] - Math.sqrt(w[q + n0 - 2]) * Math.sqrt(w[e + n0 - 2]) - a2;
        if (gap2 > 0.0 && gap2 > b2 * a2) {
          sh = Math.max(sh, a2 * (1.0 - CNST2 * a2 * (b2 / gap2) * b2));
        } else {
          sh = Math.max(sh, a2 * (1.0 - CNST2 * b2));
        }
      } else {
        sh = 0.25 * s.dmin2;
        s.type = -11;
      }
    } else {
      // Case 12: more than two deflated, no information.
      sh = 0.0;
      s.type = -12;
    }
    return sh;
  }

  /**
   * dlasq4's series: adds {@code b2 *= e_i / q_i} for i = k down to lo to a2 until the terms stop mattering;
   * returns -1 when some {@code e_i > q_i} (the estimate does not apply).
   */
  private static double series(double[] w, int q, int e, int lo, int k, double a2, double b2) {
    for (int i = k; i >= lo; i--) {
      if (b2 == 0.0) {
        break;
      }
      double b1 = b2;
      if (w[e + i] > w[q + i]) {
        return -1.0;
      }
      b2 *= w[e + i] / w[q + i];
      a2 += b2;
      if (100 * Math.max(b2, b1) < a2 || CNST1 < a2) {
        break;
      }
    }
    return a2;
  }

  private static void reverse(double[] a, int from, int to) {
    for (int i = from, j = to; i < j; i++, j--) {
      double t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
