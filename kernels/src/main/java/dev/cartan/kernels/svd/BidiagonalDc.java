package dev.cartan.kernels.svd;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.Gemm;
import java.util.Arrays;

/**
 * SVD of an upper bidiagonal matrix {@code B = Ub diag(s) Vb^T} by divide and conquer (LAPACK dbdsdc, with the
 * tree of dlasd0 and the merge of dlasd1-dlasd4).
 *
 * <p>Gu and Eisenstat, "A divide-and-conquer algorithm for the bidiagonal SVD", SIAM J. Matrix Anal. Appl. 16(1),
 * 1995. A node is an {@code N x (N + sqre)} upper bidiagonal block ({@code sqre} in {0, 1}). It is split at its
 * middle row {@code nl} into an {@code nl x (nl + 1)} left block, the row {@code (alpha, beta)} and an
 * {@code nr x (nr + sqre)} right block. With the children's SVDs the node becomes
 * {@code diag(U1, 1, U2) M diag(V1, V2)^T}, where M is zero except for its diagonal (the children's values, 0 at
 * position {@code nl}) and row {@code nl}, {@code z = (alpha l1, beta f2)} (l1 the last row of V1, f2 the first
 * row of V2). If {@code sqre = 1} one rotation of columns {@code nl} and {@code N} (section 2) folds the extra
 * column of z into position nl. The singular values of M are the roots of the secular equation
 * {@code f(sigma) = 1 + sum_i z_i^2 / (d_i^2 - sigma^2) = 0}, one in each interval between consecutive d_i
 * (section 3).
 *
 * <p>Deflation (section 4; dlasd2) with {@code tol = 8 eps max(|alpha|, |beta|, max d)}: a {@code |z_i| <= tol}
 * leaves d_i as a singular value; two values closer than tol are rotated so one z entry vanishes; a tiny z at the
 * special position is raised to tol and a value closer than tol/2 to zero is moved to tol/2. Each perturbs M by at
 * most tol, a backward error of {@code O(eps ||B||)}.
 *
 * <p>Each root is found (section 5; Li, "Solving secular equations stably and efficiently", LAPACK Working Note
 * 89, 1993) relative to its nearer pole {@code d_o}, in the variable {@code x = sigma^2 - d_o^2}, so that every
 * {@code d_i^2 - sigma^2 = (d_i - d_o)(d_i + d_o) - x} has full relative accuracy. The step fits
 * {@code a + b / (p_j - y)} to the poles left of the root and {@code c + d / (p_{j+1} - y)} to those right of it
 * (value and slope, Bunch-Nielsen-Sorensen / "middle way") and solves the resulting quadratic; a step leaving the
 * bracket kept from the signs of f bisects instead. At most {@link #MAX_SECULAR_STEPS} steps per root, else an
 * {@link ArithmeticException}, on which the driver ({@link BidiagonalSvd#bidiagonalSvd}) restarts with implicit QR.
 *
 * <p>The computed roots are then the exact singular values of a nearby M with a recomputed
 * {@code zhat_i^2 = prod_j (sigma_j^2 - d_i^2) / prod_{j != i} (d_j^2 - d_i^2)} (Löwner's formula, Gu-Eisenstat
 * section 3.3), and the vectors {@code v_j = (zhat_i / (d_i^2 - sigma_j^2))_i},
 * {@code u_j = (-1, d_i zhat_i / (d_i^2 - sigma_j^2))} (normalized) are orthogonal to working precision. The
 * children's vectors are multiplied by them with {@link Gemm} in two row blocks (columns nonzero only in the top
 * or bottom block are grouped as in dlasd3, so zeros are not multiplied).
 *
 * <p>Leaves of at most {@code leaf} rows are solved by {@link BidiagonalQr} (after a chase of rotations that
 * removes the extra column when {@code sqre = 1}, as dlasdq does).
 */
final class BidiagonalDc {
  private BidiagonalDc() {}

  /** Largest block solved by implicit QR instead of being split; docs/design-notes.md, "Divide and conquer". */
  static final int DEFAULT_LEAF = 32;

  /** Cap on the secular-equation steps for one root (typically 2-6 are needed). */
  static final int MAX_SECULAR_STEPS = 80;

  private static final double EPS = Math.ulp(1.0) / 2;

  /** Outcome of {@link #decompose}: leaf QR sweeps, secular steps, and the leaves' convergence. */
  static final class Stats {
    int sweeps;
    long secularSteps;
    int deflated;
    /** Floating-point operations of the merges' GEMMs (2 m n k each), for profiles. */
    double gemmFlops;
    boolean converged = true;
    double residual;
    /** Set by {@link BidiagonalSvd#bidiagonalSvd} when a secular root missed its cap and implicit QR took over. */
    boolean qrFallback;
  }

  /**
   * The SVD of the n x n upper bidiagonal B (diagonal d, superdiagonal e[0..n-2]). On return d holds the singular
   * values descending (non-negative), e is destroyed, and u, v (n x n from offset 0, leading dimensions ldu, ldv)
   * hold Ub and Vb, overwriting their contents.
   *
   * @param leaf blocks of at most this many rows (at least 3) go to implicit QR
   * @throws ArithmeticException if a root of a secular equation does not converge in {@link #MAX_SECULAR_STEPS}
   */
  static Stats decompose(int n, double[] d, double[] e, double[] u, int ldu, double[] v, int ldv, int leaf) {
    return decompose(n, d, e, u, ldu, v, ldv, leaf, MAX_SECULAR_STEPS);
  }

  /** As above with at most {@code maxSecularSteps} steps per root (>= 1): the tests' way to reach the cap. */
  static Stats decompose(int n, double[] d, double[] e, double[] u, int ldu, double[] v, int ldv, int leaf,
      int maxSecularSteps) {
    if (maxSecularSteps < 1) {
      throw new IllegalArgumentException("maxSecularSteps must be >= 1, got " + maxSecularSteps);
    }
    if (leaf < 3) {
      throw new IllegalArgumentException("leaf must be >= 3, got " + leaf);
    }
    Stats st = new Stats();
    if (n == 0) {
      return st;
    }
    // Scale by a power of two so the largest entry lies in [1, 2) (exact; dbdsdc scales too): the leaves' QR
    // thresholds and the secular sums then never meet underflow.
    double smax = 0.0;
    for (int i = 0; i < n; i++) {
      smax = Math.max(smax, Math.abs(d[i]));
      if (i < n - 1) {
        smax = Math.max(smax, Math.abs(e[i]));
      }
    }
    int scale = smax == 0.0 ? 0 : -Math.getExponent(smax);
    for (int i = 0; i < n; i++) {
      d[i] = Math.scalb(d[i], scale);
      e[i] = i < n - 1 ? Math.scalb(e[i], scale) : 0.0;
    }
    Tree t = new Tree(n, d, e, leaf, st, maxSecularSteps);
    t.solve(0, n, 0);
    for (int i = 0; i < n; i++) {
      d[i] = Math.scalb(d[i], -scale);
    }
    // Sort descending with the vectors into u and v.
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    double[] dv = d.clone();
    Arrays.sort(order, (p, q) -> Double.compare(dv[q], dv[p]));
    for (int j = 0; j < n; j++) {
      int src = order[j];
      d[j] = dv[src];
      System.arraycopy(t.u, src * n, u, j * ldu, n);
      System.arraycopy(t.v, src * n, v, j * ldv, n);
    }
    return st;
  }

  /** The recursion over one B, with its n x n U and V (ld n) and the merge workspace. */
  private static final class Tree {
    final int n;
    final double[] d;
    final double[] e;
    final int leaf;
    final int maxSteps;
    final Stats st;
    final double[] u;
    final double[] v;
    /** Children's columns gathered in merge order (n x n each). */
    final double[] ug;
    final double[] vg;
    /** Secular vectors (K x K each); qv first holds d_i^2 - sigma_j^2. */
    final double[] qu;
    final double[] qv;
    final double[] eval = new double[5];

    Tree(int n, double[] d, double[] e, int leaf, Stats st, int maxSteps) {
      this.maxSteps = maxSteps;
      this.n = n;
      this.d = d;
      this.e = e;
      this.leaf = leaf;
      this.st = st;
      int nn = Math.multiplyExact(n, n);
      u = new double[nn];
      v = new double[nn];
      boolean merges = n > leaf;
      ug = merges ? new double[nn] : null;
      vg = merges ? new double[nn] : null;
      qu = merges ? new double[nn] : null;
      qv = merges ? new double[nn] : null;
    }

    /** Solves the node of rows [r0, r0 + rows) with sqre extra columns into the blocks of u, v and d. */
    void solve(int r0, int rows, int sqre) {
      if (rows <= leaf) {
        leaf(r0, rows, sqre);
        return;
      }
      int nl = rows / 2;
      solve(r0, nl, 1);
      solve(r0 + nl + 1, rows - nl - 1, sqre);
      merge(r0, rows, sqre, nl);
    }

    private void leaf(int r0, int rows, int sqre) {
      int cols = rows + sqre;
      for (int i = 0; i < rows; i++) {
        u[r0 + i + (r0 + i) * n] = 1.0;
      }
      for (int i = 0; i < cols; i++) {
        v[r0 + i + (r0 + i) * n] = 1.0;
      }
      double[] dl = Arrays.copyOfRange(d, r0, r0 + rows);
      double[] el = new double[rows];
      System.arraycopy(e, r0, el, 0, rows - 1 + sqre);
      if (sqre == 1) {
        // Chase the entry at (i, rows) up to row 0 with rotations of columns (i, rows): B G = [B' 0].
        double[] g = new double[3];
        double f = el[rows - 1];
        el[rows - 1] = 0.0;
        int vn = r0 + (r0 + rows) * n;
        for (int i = rows - 1; i >= 0; i--) {
          BidiagonalQr.rotation(dl[i], f, g);
          double c = g[0];
          double s = g[1];
          dl[i] = g[2];
          if (i > 0) {
            f = -s * el[i - 1];
            el[i - 1] = c * el[i - 1];
          }
          rotateColumns(v, r0 + (r0 + i) * n, vn, cols, c, s);
        }
      }
      BidiagonalQr.Stats qs =
          BidiagonalQr.decompose(rows, dl, el, u, r0 + r0 * n, n, rows, v, r0 + r0 * n, n, cols);
      st.sweeps += qs.sweeps;
      st.converged &= qs.converged;
      st.residual = Math.max(st.residual, qs.residual);
      System.arraycopy(dl, 0, d, r0, rows);
    }

    /** Merges the solved children of the node at r0 (see the class comment). */
    private void merge(int r0, int rows, int sqre, int nl) {
      int cols = rows + sqre;
      int nr = rows - nl - 1;
      double alpha = d[r0 + nl];
      double beta = e[r0 + nl];
      double[] dd = new double[rows];
      double[] z = new double[rows];
      int rowL = r0 + nl; // last row of the left V block
      int rowR = r0 + nl + 1; // first row of the right V block
      for (int c = 0; c < rows; c++) {
        dd[c] = c == nl ? 0.0 : d[r0 + c];
        z[c] = c <= nl ? alpha * v[rowL + (r0 + c) * n] : beta * v[rowR + (r0 + c) * n];
      }
      double zExtra = sqre == 1 ? beta * v[rowR + (r0 + rows) * n] : 0.0;
      u[r0 + nl + (r0 + nl) * n] = 1.0;
      double orgnrm = Math.max(Math.abs(alpha), Math.abs(beta));
      for (int c = 0; c < rows; c++) {
        orgnrm = Math.max(orgnrm, dd[c]);
      }
      if (orgnrm == 0.0) {
        d[r0 + nl] = 0.0; // M = 0: the block-diagonal factors are already an SVD
        return;
      }
      double[] dScaled = new double[rows];
      for (int c = 0; c < rows; c++) {
        dScaled[c] = dd[c] / orgnrm;
        z[c] /= orgnrm;
      }
      zExtra /= orgnrm;
      double tol = 8 * EPS;
      // Column groups: 1 = nonzero in the top rows only, 2 = bottom only, 3 = both.
      int[] group = new int[rows];
      for (int c = 0; c < rows; c++) {
        group[c] = c <= nl ? 1 : 2;
      }
      if (sqre == 1) {
        double r = Math.hypot(z[nl], zExtra);
        if (r <= tol) {
          z[nl] = tol;
        } else {
          double c = z[nl] / r;
          double s = zExtra / r;
          z[nl] = r;
          rotateColumns(v, r0 + (r0 + nl) * n, r0 + (r0 + rows) * n, cols, c, s);
          group[nl] = 3;
        }
      } else if (Math.abs(z[nl]) <= tol) {
        z[nl] = tol;
      }
      // Deflation over the other positions in increasing order of value.
      Integer[] sorted = new Integer[rows - 1];
      for (int c = 0, t = 0; c < rows; c++) {
        if (c != nl) {
          sorted[t++] = c;
        }
      }
      Arrays.sort(sorted, (p, q) -> Double.compare(dScaled[p], dScaled[q]));
      int[] kept = new int[rows];
      int nk = 0;
      int[] defl = new int[rows];
      int nd = 0;
      kept[nk++] = nl;
      for (Integer boxed : sorted) {
        int c = boxed;
        if (Math.abs(z[c]) <= tol) {
          defl[nd++] = c;
          continue;
        }
        int prev = nk > 1 ? kept[nk - 1] : -1;
        if (prev >= 0 && dScaled[c] - dScaled[prev] <= tol) {
          // Close values: rotate so that z[prev] vanishes; prev deflates with its value.
          double r = Math.hypot(z[prev], z[c]);
          double cs = z[c] / r;
          double sn = z[prev] / r;
          z[c] = r;
          z[prev] = 0.0;
          rotateColumns(u, r0 + (r0 + c) * n, r0 + (r0 + prev) * n, rows, cs, sn);
          rotateColumns(v, r0 + (r0 + c) * n, r0 + (r0 + prev) * n, cols, cs, sn);
          group[c] |= group[prev];
          group[prev] = group[c];
          nk--;
          defl[nd++] = prev;
        }
        kept[nk++] = c;
      }
      st.deflated += nd;
      int k = nk;
      // Merge order of the kept columns: top-only, special, both, bottom-only.
      int n1 = 0;
      int n3 = 0;
      for (int t = 1; t < k; t++) {
        if (group[kept[t]] == 1) {
          n1++;
        } else if (group[kept[t]] == 3) {
          n3++;
        }
      }
      int[] pos = new int[k];
      int p1 = 0;
      int p3 = n1 + 1;
      int p2 = n1 + 1 + n3;
      pos[0] = n1;
      for (int t = 1; t < k; t++) {
        int g = group[kept[t]];
        pos[t] = g == 1 ? p1++ : g == 3 ? p3++ : p2++;
      }
      for (int t = 0; t < k; t++) {
        System.arraycopy(u, r0 + (r0 + kept[t]) * n, ug, pos[t] * rows, rows);
        System.arraycopy(v, r0 + (r0 + kept[t]) * n, vg, pos[t] * cols, cols);
      }
      for (int t = 0; t < nd; t++) {
        System.arraycopy(u, r0 + (r0 + defl[t]) * n, ug, (k + t) * rows, rows);
        System.arraycopy(v, r0 + (r0 + defl[t]) * n, vg, (k + t) * cols, cols);
      }
      double[] ds = new double[k];
      double[] zs = new double[k];
      for (int t = 0; t < k; t++) {
        ds[t] = dScaled[kept[t]];
        zs[t] = z[kept[t]];
      }
      if (k > 1 && ds[1] <= tol / 2) {
        ds[1] = tol / 2;
      }
      double[] sigma = new double[k];
      secular(k, ds, zs, sigma);
      vectors(k, ds, zs, pos);
      // U = diag(U1, 1, U2) Qu by row blocks: rows [0, nl] touch groups 1, special, 3; rows below groups 3, 2.
      int top = n1 + 1 + n3;
      DMatrix qU = DMatrix.wrap(qu, 0, k, k, k);
      DMatrix qV = DMatrix.wrap(qv, 0, k, k, k);
      Gemm.gemm(1.0, DMatrix.wrap(ug, 0, nl + 1, top, rows), qU.view(0, 0, top, k), 0.0,
          DMatrix.wrap(u, r0 + r0 * n, nl + 1, k, n));
      Gemm.gemm(1.0, DMatrix.wrap(ug, nl + 1 + (n1 + 1) * rows, nr, k - n1 - 1, rows),
          qU.view(n1 + 1, 0, k - n1 - 1, k), 0.0, DMatrix.wrap(u, r0 + nl + 1 + r0 * n, nr, k, n));
      // V: rows [0, nl] as U's top; the bottom rows also touch the special column when sqre rotated it.
      int b0 = sqre == 1 ? n1 : n1 + 1;
      Gemm.gemm(1.0, DMatrix.wrap(vg, 0, nl + 1, top, cols), qV.view(0, 0, top, k), 0.0,
          DMatrix.wrap(v, r0 + r0 * n, nl + 1, k, n));
      Gemm.gemm(1.0, DMatrix.wrap(vg, nl + 1 + b0 * cols, cols - nl - 1, k - b0, cols),
          qV.view(b0, 0, k - b0, k), 0.0, DMatrix.wrap(v, r0 + nl + 1 + r0 * n, cols - nl - 1, k, n));
      st.gemmFlops += 2.0 * k * ((nl + 1.0) * top + nr * (k - n1 - 1.0) + (nl + 1.0) * top
          + (cols - nl - 1.0) * (k - b0));
      double[] defVals = new double[nd];
      for (int t = 0; t < nd; t++) {
        defVals[t] = dd[defl[t]];
        System.arraycopy(ug, (k + t) * rows, u, r0 + (r0 + k + t) * n, rows);
        System.arraycopy(vg, (k + t) * cols, v, r0 + (r0 + k + t) * n, cols);
      }
      for (int t = 0; t < k; t++) {
        d[r0 + t] = sigma[t] * orgnrm;
      }
      System.arraycopy(defVals, 0, d, r0 + k, nd);
    }

    /**
     * The k roots of {@code 1 + sum z_i^2 / (ds_i^2 - sigma^2)} (ds ascending, ds_0 = 0, distinct, z nonzero) into
     * sigma; column j of qv receives {@code ds_i^2 - sigma_j^2}.
     */
    private void secular(int k, double[] ds, double[] zs, double[] sigma) {
      double[] w = new double[k];
      double rho = 0.0;
      for (int i = 0; i < k; i++) {
        w[i] = zs[i] * zs[i];
        rho += w[i];
      }
      if (k == 1) {
        sigma[0] = Math.abs(zs[0]);
        qv[0] = -w[0];
        return;
      }
      double[] p = new double[k];
      for (int j = 0; j < k; j++) {
        int o;
        double x;
        double lo;
        double hi;
        int split = j; // poles [0, split] lie left of the root
        if (j < k - 1) {
          poles(k, ds, j, p);
          double mid = p[j + 1] / 2;
          evaluate(k, p, w, split, mid);
          if (eval[0] >= 0.0) {
            o = j;
            x = mid;
            lo = 0.0;
            hi = mid;
          } else {
            o = j + 1;
            poles(k, ds, o, p);
            x = p[j] / 2; // the same point, now relative to ds_{j+1}^2
            lo = p[j] / 2;
            hi = 0.0;
            evaluate(k, p, w, split, x);
          }
        } else {
          o = j;
          poles(k, ds, o, p);
          lo = 0.0;
          hi = rho;
          x = rho / 2;
          evaluate(k, p, w, split - 1, x);
          split = j - 1;
        }
        int steps = 0;
        while (true) {
          double f = eval[0];
          double psi = eval[1];
          double dpsi = eval[2];
          double phi = eval[3];
          double dphi = eval[4];
          double erretm = 8 * (phi - psi) + 8 + 2 * Math.abs(x) * (dpsi + dphi);
          if (Math.abs(f) <= EPS * erretm) {
            break;
          }
          if (f < 0.0) {
            lo = x;
          } else {
            hi = x;
          }
          if (hi - lo <= 4 * EPS * Math.max(Math.abs(lo), Math.abs(hi))) {
            break;
          }
          if (++steps > maxSteps) {
            throw new ArithmeticException("secular equation: root " + j + " of " + k + " did not converge in "
                + maxSteps + " steps (f = " + f + ", bracket [" + lo + ", " + hi + "])");
          }
          // Two-pole model around poles split and split + 1 (both left of the root for the last one).
          double d1 = p[split] - x;
          double d2 = p[split + 1] - x;
          double b = dpsi * d1 * d1;
          double dd2 = dphi * d2 * d2;
          double cc = 1.0 + (psi - dpsi * d1) + (phi - dphi * d2);
          if (j == k - 1) {
            // The last pole's term is exact: phi holds it, the model for the rest is psi's.
            dd2 = w[k - 1];
            cc = 1.0 + (psi - dpsi * d1);
          }
          double a = cc * (d1 + d2) + b + dd2;
          double bq = d1 * d2 * f;
          double disc = a * a - 4 * bq * cc;
          double next = Double.NaN;
          if (disc >= 0.0) {
            double q = (a + Math.copySign(Math.sqrt(disc), a)) / 2;
            if (q != 0.0) {
              double r1 = x + q / cc;
              double r2 = x + bq / q;
              if (r1 > lo && r1 < hi) {
                next = r1;
              } else if (r2 > lo && r2 < hi) {
                next = r2;
              }
            }
          }
          if (!(next > lo && next < hi)) {
            next = lo + (hi - lo) / 2;
          }
          if (next == x) {
            break;
          }
          x = next;
          evaluate(k, p, w, split, x);
        }
        st.secularSteps += steps;
        double dOrig = ds[o];
        double root = Math.sqrt(dOrig * dOrig + x);
        sigma[j] = dOrig + x / (dOrig + root);
        int col = j * k;
        for (int i = 0; i < k; i++) {
          qv[col + i] = p[i] - x;
        }
      }
    }

    /** p_i = ds_i^2 - ds_o^2 as (ds_i - ds_o)(ds_i + ds_o), exact differences of nearby values. */
    private static void poles(int k, double[] ds, int o, double[] p) {
      double dOrig = ds[o];
      for (int i = 0; i < k; i++) {
        p[i] = (ds[i] - dOrig) * (ds[i] + dOrig);
      }
      p[o] = 0.0;
    }

    /**
     * eval = {f, psi, psi', phi, phi'} at x: psi sums the poles [0, split], phi the others (psi' and phi' are
     * derivatives in x).
     */
    private void evaluate(int k, double[] p, double[] w, int split, double x) {
      double psi = 0.0;
      double dpsi = 0.0;
      for (int i = 0; i <= split; i++) {
        double inv = 1.0 / (p[i] - x);
        double t = w[i] * inv;
        psi += t;
        dpsi += t * inv;
      }
      double phi = 0.0;
      double dphi = 0.0;
      for (int i = split + 1; i < k; i++) {
        double inv = 1.0 / (p[i] - x);
        double t = w[i] * inv;
        phi += t;
        dphi += t * inv;
      }
      eval[0] = 1.0 + psi + phi;
      eval[1] = psi;
      eval[2] = dpsi;
      eval[3] = phi;
      eval[4] = dphi;
    }

    /**
     * Gu-Eisenstat: zhat from the computed roots, then the normalized vectors into qv (right) and qu (left), row
     * t of the secular problem going to row pos[t].
     */
    private void vectors(int k, double[] ds, double[] zs, int[] pos) {
      double[] zh = new double[k];
      for (int i = 0; i < k; i++) {
        // sigma_j^2 - d_i^2 = -qv[i, j]; pair each with a pole difference so the factors stay near 1.
        double prod = -qv[i + (k - 1) * k];
        for (int j = 0; j < i; j++) {
          prod *= qv[i + j * k] / ((ds[i] - ds[j]) * (ds[i] + ds[j]));
        }
        for (int j = i; j < k - 1; j++) {
          prod *= qv[i + j * k] / ((ds[i] - ds[j + 1]) * (ds[i] + ds[j + 1]));
        }
        zh[i] = Math.copySign(Math.sqrt(Math.abs(prod)), zs[i]);
      }
      double[] tv = new double[k];
      double[] tu = new double[k];
      for (int j = 0; j < k; j++) {
        int col = j * k;
        double nv = 0.0;
        double nu = 1.0;
        for (int i = 0; i < k; i++) {
          double vi = zh[i] / qv[col + i];
          tv[i] = vi;
          nv += vi * vi;
          if (i > 0) {
            double ui = ds[i] * vi;
            tu[i] = ui;
            nu += ui * ui;
          }
        }
        tu[0] = -1.0;
        double sv = 1.0 / Math.sqrt(nv);
        double su = 1.0 / Math.sqrt(nu);
        for (int i = 0; i < k; i++) {
          qv[col + pos[i]] = tv[i] * sv;
          qu[col + pos[i]] = tu[i] * su;
        }
      }
    }
  }

  /** {@code [x, y] := [c x + s y, c y - s x]} on two columns of length len. */
  private static void rotateColumns(double[] w, int a, int b, int len, double c, double s) {
    for (int r = 0; r < len; r++) {
      double x = w[a + r];
      double y = w[b + r];
      w[a + r] = c * x + s * y;
      w[b + r] = c * y - s * x;
    }
  }
}
