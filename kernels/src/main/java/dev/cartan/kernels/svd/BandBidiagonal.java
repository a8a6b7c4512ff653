package dev.cartan.kernels.svd;

import dev.cartan.kernels.DoubleKernels;

/**
 * Stage 2 of the two-stage reduction: an {@code n x n} upper band matrix with {@code b} superdiagonals to upper
 * bidiagonal form by Householder bulge chasing, values only (no reflector is kept).
 *
 * <p>Sweep {@code s} ({@code s = 0 .. n-3}) annihilates row s beyond its superdiagonal and chases the bulge this
 * creates down the band (Lang, "A parallel algorithm for reducing symmetric banded matrices to tridiagonal form",
 * SIAM J. Sci. Comput. 14 (1993); Haidar, Ltaief and Dongarra, SC'11, for the general-band kernels of PLASMA's
 * dgbbrd; LAPACK's dsytrd_sb2st for the symmetric twin). Step {@code t} of the sweep works at column
 * {@code c = s + 1 + t b}:
 * <ol>
 *   <li>a right reflector of length {@code b} on columns {@code c .. c+b-1} zeroes row {@code r} there except
 *       {@code (r, c)} ({@code r = s} for {@code t = 0}, else {@code r = c - b}); it is applied to rows
 *       {@code r+1 .. c+b-1}, which fills the block below the diagonal;
 *   <li>a left reflector of length {@code b} on rows {@code c .. c+b-1} zeroes column c below the diagonal; it is
 *       applied to columns {@code c+1 .. c+2b-1}, which fills a {@code b x b} bulge beyond the band whose first row
 *       the next step zeroes.
 * </ol>
 * Only the first row and column of each bulge are annihilated; the rest of the fill lies where the next sweep's
 * reflectors pass, so at all times the nonzeros satisfy {@code -(b-1) <= j - i <= 2b - 1}. After sweep s, row s and
 * column s are final: {@code d_s = B(s, s)}, {@code e_s = B(s, s+1)}. Each step does {@code 8 b^2} flops on a
 * {@code 2b x 2b} window; the whole chase does about {@code 4 b n^2}.
 *
 * <p>Storage: element {@code (i, j)} of the band at {@code band[off + i + j * ld]} with {@code ld >= 3b}, so that
 * the window {@code -2b <= i - j <= b} of every column is stored without overlap, columns are contiguous (left
 * reflectors read them in place) and a row is a stride-{@code (ld)} sequence. Every stored entry outside the
 * band must be zero on entry.
 *
 * <p>Package-private: arguments are validated by the callers.
 */
final class BandBidiagonal {
  private BandBidiagonal() {}

  /** Doubles of the {@code work} argument of {@link #reduce}: the right reflector and a 2b-long scratch. */
  static int workSize(int b) {
    return 3 * b + 1;
  }

  /**
   * Doubles the band storage needs for order n and bandwidth b with leading dimension {@code ld}: the last
   * column's window ends at row {@code n - 1} (rows below it are never touched).
   */
  static int bandSize(int n, int ld) {
    return n * (ld + 1);
  }

  /**
   * Chases the band (order n, b superdiagonals, {@code b >= 1}) to bidiagonal form in place and writes the diagonal
   * to {@code d[0..n-1]} and the superdiagonal to {@code e[0..n-2]}. Singular values are preserved to within
   * {@code O(eps) ||A||} (orthogonal transformations only).
   *
   * @param work at least {@link #workSize} doubles
   */
  static void reduce(DoubleKernels k, int n, int b, double[] band, int off, int ld, double[] d, double[] e,
      double[] work) {
    reduce(k, n, b, band, off, ld, d, e, work, DEFAULT_GROUP);
  }

  /**
   * Sweeps chased together: a group's window of about {@code 2 group b} columns ({@code 6 group b^2} doubles)
   * stays in L2 while the group walks down the band; see docs/design-notes.md, "Two-stage reduction for values".
   */
  static final int DEFAULT_GROUP = 8;

  /**
   * As {@link #reduce(DoubleKernels, int, int, double[], int, int, double[], double[], double[])}, chasing
   * {@code group >= 1} sweeps at a time in a wavefront: sweep {@code s0 + g} does its step {@code t} at time
   * {@code t + 2g}. Step t of sweep s+1 touches only what steps up to t+1 of sweep s have finished with, and
   * nothing that steps from t+3 on touch, so the order gives the same result as sweep after sweep, bit for bit.
   */
  static void reduce(DoubleKernels k, int n, int b, double[] band, int off, int ld, double[] d, double[] e,
      double[] work, int group) {
    // Finite: every step moves its sweep b >= 2 columns on, so each group ends within n / 2 + 2 group times.
    int bb = Math.max(1, Math.min(b, n - 1));
    if (bb > 1) {
      int[] rc = new int[2 * group];
      for (int s0 = 0; s0 < n - 2; s0 += group) {
        int g = Math.min(group, n - 2 - s0);
        for (int i = 0; i < g; i++) {
          rc[2 * i] = s0 + i;
          rc[2 * i + 1] = s0 + i + 1;
        }
        boolean active = true;
        for (int time = 0; active; time++) {
          active = time < 2 * g; // sweeps not yet started count as active
          for (int i = 0; i < g && time - 2 * i >= 0; i++) {
            int c = rc[2 * i + 1];
            if (c < n - 1) {
              step(k, n, bb, band, off, ld, rc[2 * i], c, work);
              rc[2 * i] = c;
              rc[2 * i + 1] = c + bb;
              active = true;
            }
          }
        }
      }
    }
    for (int i = 0; i < n; i++) {
      d[i] = band[off + i + i * ld];
      if (i < n - 1) {
        e[i] = band[off + i + (i + 1) * ld];
      }
    }
  }

  /**
   * One chase step at column c for the row r: the right reflector on columns {@code c .. c+len-1}, then the left
   * reflector on rows {@code c .. c+len2-1}.
   */
  static void step(DoubleKernels k, int n, int b, double[] band, int off, int ld, int r, int c,
      double[] work) {
    // work: [0, 2b) scratch of the reflector applications, [2b, 3b) the reflector, with its leading 1 explicit:
    // each is applied to the whole block including the row (column) it annihilates, which keeps the block sizes
    // 2b x b and b x 2b (no odd tails), and the annihilated entries are then set to their exact values.
    double[] v = work;
    int vo = 2 * b;
    int len = Math.min(b, n - c);
    int rowStart = off + r + c * ld;
    for (int j = 0; j < len; j++) {
      v[vo + j] = band[rowStart + j * ld];
    }
    double tau = k.householder(len, v, vo);
    double beta = v[vo];
    v[vo] = 1.0;
    int rowsEnd = Math.min(n, c + b); // exclusive: the lower fill ends at row c+b-1
    k.reflectRight(rowsEnd - r, len, v, vo, tau, band, rowStart, ld, work);
    band[rowStart] = beta;
    for (int j = 1; j < len; j++) {
      band[rowStart + j * ld] = 0.0;
    }
    int len2 = Math.min(b, n - c);
    if (len2 <= 1) {
      return;
    }
    int colStart = off + c + c * ld;
    System.arraycopy(band, colStart, v, vo, len2);
    double tq = k.householder(len2, v, vo);
    beta = v[vo];
    v[vo] = 1.0;
    int colsEnd = Math.min(n, c + 2 * b);
    k.reflectLeft(len2, colsEnd - c, v, vo, tq, band, colStart, ld, work);
    band[colStart] = beta;
    java.util.Arrays.fill(band, colStart + 1, colStart + len2, 0.0);
  }
}
