package dev.cartan.kernels.svd;

/**
 * SVD of an upper bidiagonal matrix {@code B = Ub diag(s) Vb^T} by implicit QR with rotations accumulated into
 * the caller's U and V (LAPACK dbdsqr).
 *
 * <p>Demmel and Kahan, "Accurate singular values of bidiagonal matrices", SIAM J. Sci. Stat. Comput. 11 (1990):
 * the implicit zero-shift QR sweep (section 3) is used when the shift would be negligible next to the smallest
 * singular value, the standard shifted sweep (shift = smaller singular value of the trailing 2x2) otherwise;
 * convergence uses their relative criterion (section 4, the {@code mu} recurrence) and an absolute floor
 * {@code tol * sigma_min estimate}. Sweeps always chase from the top of the active block to its bottom (dbdsqr
 * also chases upwards when the bottom is larger; not done here, see docs/design-notes.md). At most
 * {@code 6 n^2} inner steps.
 *
 * <p>Each rotation of rows (i, i+1) of B's right side is applied to columns (i, i+1) of V, each left rotation to
 * columns (i, i+1) of U: on return {@code U_in Ub} and {@code V_in Vb} replace U and V.
 */
final class BidiagonalQr {
  private BidiagonalQr() {}

  private static final double EPS = Math.ulp(1.0) / 2;
  private static final double UNFL = Double.MIN_NORMAL;
  /** dbdsqr's tolmul * eps with tolmul = max(10, min(100, eps^(-1/8))). */
  private static final double TOL = Math.max(10.0, Math.min(100.0, Math.pow(EPS, -0.125))) * EPS;

  private static final int MAXIT = 6;

  /** Outcome of {@link #decompose}. */
  static final class Stats {
    int sweeps;
    boolean converged = true;
    double residual;
  }

  /**
   * On return d holds the singular values (descending, non-negative), e is destroyed, and U (nru rows, the n
   * columns from uOff, ld ldu) and V (nrv rows) are multiplied on the right by the singular vector matrices.
   */
  static Stats decompose(int n, double[] d, double[] e, double[] u, int uOff, int ldu, int nru, double[] v,
      int vOff, int ldv, int nrv) {
    Stats st = new Stats();
    if (n == 0) {
      return st;
    }
    if (n > 1) {
      Rotations rb = new Rotations(n, u, uOff, ldu, nru, v, vOff, ldv, nrv);
      iterate(n, d, e, rb, st);
      rb.flush();
    }
    // Make values non-negative (flip V's column), then sort descending with the vectors (selection sort, as
    // dbdsqr: at most n swaps of whole columns).
    for (int i = 0; i < n; i++) {
      if (d[i] < 0.0) {
        d[i] = -d[i];
        scaleColumn(v, vOff + i * ldv, nrv, -1.0);
      }
    }
    for (int i = 0; i < n - 1; i++) {
      int best = i;
      for (int j = i + 1; j < n; j++) {
        if (d[j] > d[best]) {
          best = j;
        }
      }
      if (best != i) {
        double t = d[i];
        d[i] = d[best];
        d[best] = t;
        swapColumns(u, uOff + i * ldu, uOff + best * ldu, nru);
        swapColumns(v, vOff + i * ldv, vOff + best * ldv, nrv);
      }
    }
    return st;
  }

  private static void iterate(int n, double[] d, double[] e, Rotations rb, Stats st) {
    double smax = 0.0;
    for (int i = 0; i < n; i++) {
      smax = Math.max(smax, Math.abs(d[i]));
    }
    for (int i = 0; i < n - 1; i++) {
      smax = Math.max(smax, Math.abs(e[i]));
    }
    if (smax == 0.0) {
      return;
    }
    // Estimate of the smallest singular value (Demmel-Kahan recurrence), for the absolute floor.
    double mu = Math.abs(d[0]);
    double sminoa = mu;
    for (int i = 1; i < n && sminoa > 0.0; i++) {
      mu = Math.abs(d[i]) * (mu / (mu + Math.abs(e[i - 1])));
      sminoa = Math.min(sminoa, mu);
    }
    sminoa = sminoa / Math.sqrt(n);
    // Absolute floor eps ||B||: dropping such an entry is a backward error of the size the dense reduction
    // already made, and it stops the stagnation of (zero-shift) QR on clusters of tiny or equal values.
    double thresh = Math.max(Math.max(TOL * sminoa, MAXIT * (double) n * n * UNFL), EPS * smax);
    long maxit = (long) MAXIT * n * n;
    long iter = 0;
    int m = n - 1; // bottom of the active block
    while (m > 0) {
      if (iter > maxit) {
        st.converged = false;
        for (int i = 0; i < m; i++) {
          st.residual = Math.max(st.residual, Math.abs(e[i]) / (Math.abs(d[i]) + Math.abs(d[i + 1])));
        }
        return;
      }
      // Find the top ll of the unreduced block ending at m, zeroing negligible off-diagonals.
      int ll = m - 1;
      boolean split = false;
      while (ll >= 0) {
        if (Math.abs(e[ll]) <= thresh) {
          note(st, e[ll], d[ll], d[ll + 1]);
          e[ll] = 0.0;
          split = true;
          break;
        }
        ll--;
      }
      if (split && ll == m - 1) {
        m--;
        continue;
      }
      ll = ll + 1; // first row of the block (0 if no split was found)
      // Relative convergence test, top to bottom (Demmel-Kahan criterion 2a).
      if (Math.abs(e[m - 1]) <= TOL * Math.abs(d[m])) {
        note(st, e[m - 1], d[m - 1], d[m]);
        e[m - 1] = 0.0;
        m--;
        continue;
      }
      mu = Math.abs(d[ll]);
      double sminl = mu;
      boolean deflated = false;
      for (int l = ll; l < m; l++) {
        if (Math.abs(e[l]) <= TOL * mu) {
          note(st, e[l], d[l], d[l + 1]);
          e[l] = 0.0;
          deflated = true;
          break;
        }
        mu = Math.abs(d[l + 1]) * (mu / (mu + Math.abs(e[l])));
        sminl = Math.min(sminl, mu);
      }
      if (deflated) {
        continue;
      }
      double shift;
      // Zero shift only when the block's smallest value is negligible next to ||B|| (or d[ll] = 0): a shift
      // would not help absolute accuracy there. dbdsqr uses it much earlier (n tol sminl / smax <= eps) to
      // keep relative accuracy, at the price of stalling on tight clusters; the values path has dqds for that.
      if (sminl <= EPS * smax || d[ll] == 0.0) {
        shift = 0.0;
      } else {
        shift = smallerSingularValue(d[m - 1], e[m - 1], d[m]);
        double sll = Math.abs(d[ll]);
        if (sll > 0.0 && (shift / sll) * (shift / sll) < EPS) {
          shift = 0.0;
        }
      }
      iter += m - ll;
      st.sweeps++;
      if (shift == 0.0) {
        zeroShiftSweep(ll, m, d, e, rb);
      } else {
        shiftedSweep(ll, m, shift, d, e, rb);
      }
      if (Math.abs(e[m - 1]) <= thresh) {
        note(st, e[m - 1], d[m - 1], d[m]);
        e[m - 1] = 0.0;
      }
    }
  }

  private static void note(Stats st, double e, double d1, double d2) {
    double den = Math.abs(d1) + Math.abs(d2);
    if (den > 0.0) {
      st.residual = Math.max(st.residual, Math.abs(e) / den);
    }
  }

  private static void zeroShiftSweep(int ll, int m, double[] d, double[] e, Rotations rb) {
    double cs = 1.0;
    double oldcs = 1.0;
    double oldsn = 0.0;
    double[] g = new double[3];
    for (int i = ll; i < m; i++) {
      rotation(d[i] * cs, e[i], g);
      cs = g[0];
      double sn = g[1];
      double r = g[2];
      if (i > ll) {
        e[i - 1] = oldsn * r;
      }
      rotation(oldcs * r, d[i + 1] * sn, g);
      oldcs = g[0];
      oldsn = g[1];
      d[i] = g[2];
      rb.add(i, oldcs, oldsn, cs, sn);
    }
    double h = d[m] * cs;
    d[m] = h * oldcs;
    e[m - 1] = h * oldsn;
  }

  private static void shiftedSweep(int ll, int m, double shift, double[] d, double[] e, Rotations rb) {
    double f = (Math.abs(d[ll]) - shift) * (Math.copySign(1.0, d[ll]) + shift / d[ll]);
    double gg = e[ll];
    double[] g = new double[3];
    for (int i = ll; i < m; i++) {
      rotation(f, gg, g);
      double cosr = g[0];
      double sinr = g[1];
      if (i > ll) {
        e[i - 1] = g[2];
      }
      f = cosr * d[i] + sinr * e[i];
      e[i] = cosr * e[i] - sinr * d[i];
      gg = sinr * d[i + 1];
      d[i + 1] = cosr * d[i + 1];
      rotation(f, gg, g);
      double cosl = g[0];
      double sinl = g[1];
      d[i] = g[2];
      f = cosl * e[i] + sinl * d[i + 1];
      d[i + 1] = cosl * d[i + 1] - sinl * e[i];
      if (i < m - 1) {
        gg = sinl * e[i + 1];
        e[i + 1] = cosl * e[i + 1];
      }
      rb.add(i, cosl, sinl, cosr, sinr);
    }
    e[m - 1] = f;
  }

  /** Plane rotation (dlartg): {@code c f + s g = r}, {@code -s f + c g = 0}; out = {c, s, r}. */
  static void rotation(double f, double g, double[] out) {
    if (g == 0.0) {
      out[0] = 1.0;
      out[1] = 0.0;
      out[2] = f;
      return;
    }
    if (f == 0.0) {
      out[0] = 0.0;
      out[1] = 1.0;
      out[2] = g;
      return;
    }
    double ss = f * f + g * g;
    // Fast path when the squares neither overflow nor lose precision to underflow.
    double r = (ss > 1e-290 && ss < 1e290) ? Math.sqrt(ss) : Math.hypot(f, g);
    double c = f / r;
    double s = g / r;
    if (Math.abs(f) > Math.abs(g) && c < 0.0) {
      c = -c;
      s = -s;
      r = -r;
    }
    out[0] = c;
    out[1] = s;
    out[2] = r;
  }

  /**
   * The rotations of many sweeps, applied to U and V in batches. The bidiagonal iteration never reads U or V, so
   * rotations can wait; a batch is applied one block of rows at a time (every rotation of the batch to rows
   * [r0, r0 + ROW_BLOCK) before the next block), so the block stays in cache instead of U and V streaming from
   * memory once per sweep (docs/design-notes.md, "Rotation batches").
   */
  private static final class Rotations {
    /** Rows per block: 32 rows of 1024 columns are 256 KiB, inside L2. */
    static final int ROW_BLOCK = 32;

    private final double[] u;
    private final int uOff;
    private final int ldu;
    private final int nru;
    private final double[] v;
    private final int vOff;
    private final int ldv;
    private final int nrv;
    private final int[] pos;
    private final double[] cu;
    private final double[] su;
    private final double[] cv;
    private final double[] sv;
    private int count;

    Rotations(int n, double[] u, int uOff, int ldu, int nru, double[] v, int vOff, int ldv, int nrv) {
      this.u = u;
      this.uOff = uOff;
      this.ldu = ldu;
      this.nru = nru;
      this.v = v;
      this.vOff = vOff;
      this.ldv = ldv;
      this.nrv = nrv;
      // About 16 sweeps of the full matrix per batch: 5 * 16 n doubles, small next to U and V.
      int cap = Math.max(64, 16 * n);
      pos = new int[cap];
      cu = new double[cap];
      su = new double[cap];
      cv = new double[cap];
      sv = new double[cap];
    }

    /** Records the rotation of columns (i, i+1): (cU, sU) for U, (cV, sV) for V. */
    void add(int i, double cU, double sU, double cV, double sV) {
      pos[count] = i;
      cu[count] = cU;
      su[count] = sU;
      cv[count] = cV;
      sv[count] = sV;
      count++;
      if (count == pos.length) {
        flush();
      }
    }

    void flush() {
      apply(u, uOff, ldu, nru, cu, su);
      apply(v, vOff, ldv, nrv, cv, sv);
      count = 0;
    }

    /** {@code [x, y] := [c x + s y, c y - s x]} on columns (pos, pos+1), dlasr's convention, by row blocks. */
    private void apply(double[] w, int off, int ld, int rows, double[] c, double[] s) {
      for (int r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
        int len = Math.min(ROW_BLOCK, rows - r0);
        for (int t = 0; t < count; t++) {
          int a = off + r0 + pos[t] * ld;
          int b = a + ld;
          double ct = c[t];
          double st = s[t];
          for (int r = 0; r < len; r++) {
            double x = w[a + r];
            double y = w[b + r];
            w[a + r] = ct * x + st * y;
            w[b + r] = ct * y - st * x;
          }
        }
      }
    }
  }

  private static void scaleColumn(double[] w, int a, int n, double s) {
    for (int r = 0; r < n; r++) {
      w[a + r] *= s;
    }
  }

  private static void swapColumns(double[] w, int a, int b, int n) {
    for (int r = 0; r < n; r++) {
      double t = w[a + r];
      w[a + r] = w[b + r];
      w[b + r] = t;
    }
  }

  /** Smaller singular value of {@code [[f, g], [0, h]]} without overflow (LAPACK dlas2). */
  static double smallerSingularValue(double f, double g, double h) {
    double fa = Math.abs(f);
    double ga = Math.abs(g);
    double ha = Math.abs(h);
    double fhmn = Math.min(fa, ha);
    double fhmx = Math.max(fa, ha);
    if (fhmn == 0.0) {
      return 0.0;
    }
    if (ga < fhmx) {
      double as = 1.0 + fhmn / fhmx;
      double at = (fhmx - fhmn) / fhmx;
      double au = (ga / fhmx) * (ga / fhmx);
      double c = 2.0 / (Math.sqrt(as * as + au) + Math.sqrt(at * at + au));
      return fhmn * c;
    }
    double au = fhmx / ga;
    if (au == 0.0) {
      return (fhmn * fhmx) / ga;
    }
    double as = 1.0 + fhmn / fhmx;
    double at = (fhmx - fhmn) / fhmx;
    double c = 1.0 / (Math.sqrt(1.0 + (as * au) * (as * au)) + Math.sqrt(1.0 + (at * au) * (at * au)));
    return 2.0 * (fhmn * c) * au;
  }
}
