package dev.cartan.kernels.svd;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.DoubleKernels;

/**
 * Singular values by the two-stage reduction: dense to upper band ({@link BandReduction}, GEMM-rich), band to
 * bidiagonal ({@link BandBidiagonal}, bulge chasing in a cache-resident band), then {@link Dqds}. The values-only
 * route of {@link BidiagonalSvd}; the reasons and the bandwidth's measurement are in docs/design-notes.md
 * ("Two-stage reduction for values").
 *
 * <p>Steps: copy (transposed if wide, so {@code m >= n}), scale by a power of two when the largest entry is outside
 * dgesdd's safe range, QR first when {@code 6 m >= qrRatioSixths n} (then reduce the {@code n x n} R), reduce to a
 * band of width b, chase to bidiagonal, dqds, scale back. Backward stable like the one-stage route: every step is
 * orthogonal, so {@code |s_i - s_i(exact)| <= c(m, n) eps ||A||_2}.
 *
 * <p>Workspace (kept, grown on demand): a copy of A, the {@code n x n} R for tall inputs, the band
 * ({@code n (3b + 1)} doubles) and {@code O(n b)} more. Not thread-safe; package-private.
 */
final class TwoStageValues {
  private static final double SMALL = Math.sqrt(Double.MIN_NORMAL) / Math.ulp(1.0);
  private static final double BIG = 1.0 / SMALL;

  private final DoubleKernels kernels;
  private final int bandwidth;
  private final int qrRatioSixths;
  private final BandReduction stage1 = new BandReduction();
  private double[] a = new double[0];
  private double[] r = new double[0];
  private double[] tauQr = new double[0];
  private double[] band = new double[0];
  private double[] d = new double[0];
  private double[] e = new double[0];
  private double[] work = new double[0];

  TwoStageValues(DoubleKernels kernels, int bandwidth, int qrRatioSixths) {
    this.kernels = kernels;
    this.bandwidth = bandwidth;
    this.qrRatioSixths = qrRatioSixths;
  }

  /** The singular values of {@code in} (validated here), descending, in an {@link SvdResult} without vectors. */
  SvdResult compute(DMatrix in, String method) {
    BidiagonalSvd.requireValid(in);
    DMatrix src = in.rows() < in.cols() ? in.transpose() : in;
    int m = src.rows();
    int n = src.cols();
    int mn = Math.multiplyExact(m, n);
    if (a.length < mn) {
      a = new double[mn];
    }
    src.copyInto(DMatrix.wrap(a, 0, m, n, m));
    int scale = scaleIntoRange(mn);
    DoubleKernels k = kernels;
    int b = bandwidth;
    int ld = 3 * b;
    ensure(n, b, ld);
    double[] top = a;
    int ldTop = m;
    if (n > 1 && (long) qrRatioSixths * n <= 6L * m) {
      if (r.length < n * n) {
        r = new double[n * n];
        tauQr = new double[n];
      }
      if (work.length < n) {
        work = new double[n];
      }
      Bidiagonalization.qr(k, m, n, a, m, tauQr, work);
      for (int j = 0; j < n; j++) {
        System.arraycopy(a, j * m, r, j * n, j + 1);
        java.util.Arrays.fill(r, j * n + j + 1, (j + 1) * n, 0.0);
      }
      top = r;
      ldTop = n;
      stage1.reduce(k, n, n, r, n, b);
    } else {
      stage1.reduce(k, m, n, a, m, b);
    }
    BandReduction.copyBand(n, b, top, ldTop, band, ld);
    BandBidiagonal.reduce(k, n, b, band, 0, ld, d, e, work);
    e[n - 1] = 0.0;
    Dqds.Stats st = Dqds.singularValues(n, d, e, work);
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = Math.scalb(d[i], -scale);
    }
    return new SvdResult(s, null, null, method, st.steps, st.residual, st.converged, null);
  }

  /**
   * Scales the copy by a power of two (exact) when its largest magnitude is outside [SMALL, BIG], so that it lands
   * in [1, 2); returns the exponent applied.
   */
  private int scaleIntoRange(int mn) {
    double amax = kernels.amax(mn, a, 0);
    if (amax == 0.0 || (amax >= SMALL && amax <= BIG)) {
      return 0;
    }
    int scale = -Math.getExponent(amax);
    kernels.scal(mn, Math.scalb(1.0, scale), a, 0);
    return scale;
  }

  private void ensure(int n, int b, int ld) {
    if (d.length < n) {
      d = new double[n];
      e = new double[n];
    }
    int bandLen = BandBidiagonal.bandSize(n, ld);
    if (band.length < bandLen) {
      band = new double[bandLen];
    }
    int workLen = Math.max(5 * n, BandBidiagonal.workSize(b));
    if (work.length < workLen) {
      work = new double[workLen];
    }
  }
}
