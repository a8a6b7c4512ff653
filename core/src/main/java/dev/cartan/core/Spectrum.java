package dev.cartan.core;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.svd.Svd;
import dev.cartan.kernels.svd.SvdOptions;
import java.util.Arrays;

/**
 * The singular spectrum of one layer factor, an {@code m x n} real matrix W, and its normalized quantities
 * (THEORY.md sections 1 and 2).
 *
 * <p>With {@code d = min(m, n)} and {@code sigma_1 >= ... >= sigma_d >= 0}:
 * <ul>
 *   <li>Frobenius normalization (1.1): {@code sigmahat_k = sqrt(d) sigma_k / ||W||_F}, so
 *       {@code sum_k sigmahat_k^2 = d};
 *   <li>energies (1.2): {@code p_k = sigma_k^2 / ||W||_F^2}, a probability vector; {@code lambda_k = sigmahat_k^2};
 *   <li>numerical rank: ranks with {@code sigma_k <= max(m, n) * eps * sigma_1} count as zero. They are set to
 *       exactly zero in every normalized quantity ({@code p_k = 0}), kept out of fits, and counted
 *       ({@link #zeroCount()}). {@link #frobeniusNorm()} and {@link #sigma()} keep the values as given;
 *   <li>Cartan coordinate (2.1): {@code h_k = log sigmahat_k} for the nonzero ranks only (never {@code -inf});
 *   <li>top-radial coordinate (2.2): {@code r = h_1 = (1/2) log(d p_1)} in {@code [0, (1/2) log d]}, 0 iff all
 *       singular values are equal.
 * </ul>
 *
 * <p>Every normalized quantity is computed from the ratios {@code sigma_k / sigma_1}, so it is unchanged by
 * {@code W -> c W} up to rounding of one division per rank. In particular {@code r} is computed as
 * {@code (1/2)(log d - log1p(T))} with the tail ratio {@code T = sum_{k>=2} (sigma_k/sigma_1)^2}, which keeps full
 * relative accuracy in {@code Phi(inf) - r} when the spectrum is steep.
 *
 * <p>Factories take singular values ({@link #ofSingularValues(double[], int, int)}) or a matrix
 * ({@link #of(DMatrix)}, {@link #of(FMatrix)}), whose singular values the SVD facade {@link Svd} computes.
 *
 * <p>Instances are immutable; accessors return copies.
 */
public final class Spectrum {
  private static final double EPS = Math.ulp(1.0);

  private final double[] sigma;
  private final int rows;
  private final int cols;
  private final int rank;
  private final double frobenius;
  private final double tail;
  private final double[] p;
  private final double[] sqrtP;

  private Spectrum(double[] sortedSigma, int rows, int cols) {
    this.sigma = sortedSigma;
    this.rows = rows;
    this.cols = cols;
    int d = sortedSigma.length;
    double s1 = sortedSigma[0];
    double tol = Math.max(rows, cols) * EPS * s1;
    int k = 0;
    while (k < d && sortedSigma[k] > tol) {
      k++;
    }
    this.rank = k;
    double[] ratio = new double[d];
    for (int i = 0; i < rank; i++) {
      ratio[i] = sortedSigma[i] / s1;
    }
    // Smallest terms first (the ratios decrease).
    double t = 0;
    for (int i = rank - 1; i >= 1; i--) {
      t += ratio[i] * ratio[i];
    }
    this.tail = t;
    double all = 0;
    for (int i = d - 1; i >= 0; i--) {
      double x = sortedSigma[i] / s1;
      all += x * x;
    }
    this.frobenius = s1 * Math.sqrt(all);
    double norm = Math.sqrt(1 + t);
    this.p = new double[d];
    this.sqrtP = new double[d];
    for (int i = 0; i < rank; i++) {
      sqrtP[i] = ratio[i] / norm;
      p[i] = ratio[i] * ratio[i] / (1 + t);
    }
  }

  /**
   * The spectrum of an {@code m x n} float64 matrix W: its singular values by {@link Svd} with
   * {@link SvdOptions.Method#AUTO}, values only.
   *
   * @throws IllegalArgumentException if W is null, has a NaN or infinite element, has a zero dimension, or is
   *     all zero (W = 0 has no normalized spectrum)
   */
  public static Spectrum of(DMatrix w) {
    return of(w, SvdOptions.Method.AUTO);
  }

  /**
   * The spectrum of an {@code m x n} float64 matrix W, its singular values computed by {@link Svd} with the
   * given method (ACCURATE: relative accuracy; FAST: backward stable, {@code eps sigma_1} absolute error).
   *
   * @throws IllegalArgumentException as {@link #of(DMatrix)}, or if {@code method} is null
   */
  public static Spectrum of(DMatrix w, SvdOptions.Method method) {
    checkMatrix(w == null, w == null ? 0 : w.rows(), w == null ? 0 : w.cols(), method);
    double[] s = Svd.decompose(w, SvdOptions.valuesOnly().withMethod(method)).values();
    return ofSingularValues(s, w.rows(), w.cols());
  }

  /**
   * The spectrum of an {@code m x n} float32 matrix W (the SVD runs on the exact float64 widening, see
   * {@link Svd}), with {@link SvdOptions.Method#AUTO}.
   *
   * @throws IllegalArgumentException as {@link #of(DMatrix)}
   */
  public static Spectrum of(FMatrix w) {
    return of(w, SvdOptions.Method.AUTO);
  }

  /**
   * The spectrum of an {@code m x n} float32 matrix W with the given SVD method.
   *
   * @throws IllegalArgumentException as {@link #of(DMatrix, SvdOptions.Method)}
   */
  public static Spectrum of(FMatrix w, SvdOptions.Method method) {
    checkMatrix(w == null, w == null ? 0 : w.rows(), w == null ? 0 : w.cols(), method);
    double[] s = Svd.decompose(w, SvdOptions.valuesOnly().withMethod(method)).values();
    return ofSingularValues(s, w.rows(), w.cols());
  }

  private static void checkMatrix(boolean isNull, int rows, int cols, SvdOptions.Method method) {
    if (isNull) {
      throw new IllegalArgumentException("matrix W is null");
    }
    if (method == null) {
      throw new IllegalArgumentException("SVD method is null");
    }
    if (rows < 1 || cols < 1) {
      throw new IllegalArgumentException("matrix W is empty (" + rows + "x" + cols + ")");
    }
  }

  /**
   * A spectrum from the singular values of a square {@code d x d} factor ({@code d = sigma.length}); the
   * numerical-rank tolerance uses {@code max(m, n) = d}.
   *
   * @throws IllegalArgumentException as {@link #ofSingularValues(double[], int, int)}
   */
  public static Spectrum ofSingularValues(double[] sigma) {
    if (sigma == null) {
      throw new IllegalArgumentException("singular values are null");
    }
    return ofSingularValues(sigma, sigma.length, sigma.length);
  }

  /**
   * A spectrum from the singular values of an {@code rows x cols} factor, in any order (they are sorted
   * decreasingly; the array is not modified).
   *
   * @throws IllegalArgumentException if {@code sigma} is null or empty, has a NaN, infinite or negative entry,
   *     is all zero (W = 0 has no normalized spectrum), or its length is not {@code min(rows, cols)}
   */
  public static Spectrum ofSingularValues(double[] sigma, int rows, int cols) {
    if (sigma == null) {
      throw new IllegalArgumentException("singular values are null");
    }
    if (sigma.length == 0) {
      throw new IllegalArgumentException("singular values are empty (d = 0)");
    }
    if (rows < 1 || cols < 1 || Math.min(rows, cols) != sigma.length) {
      throw new IllegalArgumentException(
          "shape " + rows + "x" + cols + " does not have min(m, n) = " + sigma.length + " singular values");
    }
    double[] s = sigma.clone();
    for (int i = 0; i < s.length; i++) {
      if (!Double.isFinite(s[i]) || s[i] < 0) {
        throw new IllegalArgumentException("singular value " + i + " is " + s[i] + " (must be finite and >= 0)");
      }
    }
    Arrays.sort(s);
    for (int i = 0, j = s.length - 1; i < j; i++, j--) {
      double x = s[i];
      s[i] = s[j];
      s[j] = x;
    }
    if (s[0] == 0) {
      throw new IllegalArgumentException("all singular values are zero: W = 0 has no normalized spectrum");
    }
    return new Spectrum(s, rows, cols);
  }

  /** {@code d = min(m, n)}, the number of singular values. */
  public int dimension() {
    return sigma.length;
  }

  /** Rows m of the factor. */
  public int rows() {
    return rows;
  }

  /** Columns n of the factor. */
  public int cols() {
    return cols;
  }

  /** The singular values as given, sorted decreasingly (a copy). */
  public double[] sigma() {
    return sigma.clone();
  }

  /** {@code sigma_1}, the spectral norm. */
  public double spectralNorm() {
    return sigma[0];
  }

  /** {@code ||W||_F = sqrt(sum_k sigma_k^2)} over all given values (computed scaled by sigma_1, no overflow). */
  public double frobeniusNorm() {
    return frobenius;
  }

  /** The numerical-rank tolerance {@code max(m, n) * eps * sigma_1}. */
  public double rankTolerance() {
    return Math.max(rows, cols) * EPS * sigma[0];
  }

  /** The numerical rank: how many {@code sigma_k > max(m, n) eps sigma_1}; between 1 and d. */
  public int numericalRank() {
    return rank;
  }

  /** {@code d - numericalRank()}: ranks counted as zero (their {@code h_k} would be {@code -inf}). */
  public int zeroCount() {
    return sigma.length - rank;
  }

  /** True if {@code d = 1}: the normalized spectrum is a single point and no exponent exists. */
  public boolean isDegenerate() {
    return sigma.length == 1;
  }

  /** True if the numerical rank is below d. */
  public boolean isRankDeficient() {
    return rank < sigma.length;
  }

  /** True if the numerical rank is 1 (then {@code r = (1/2) log d}, the end of the orbit). */
  public boolean isRankOne() {
    return rank == 1;
  }

  /** True if all d singular values are equal ({@code r = 0}, the start of the orbit, s = 0). */
  public boolean isIsotropic() {
    return sigma[sigma.length - 1] == sigma[0];
  }

  /** Energies {@code p_k = sigma_k^2 / ||W||_F^2} (numerically zero ranks exactly 0), summing to 1. */
  public double[] energies() {
    return p.clone();
  }

  /** {@code sqrt(p_k) = sigma_k / ||W||_F}, computed without squaring. */
  public double[] sqrtEnergies() {
    return sqrtP.clone();
  }

  double energy(int k) {
    return p[k];
  }

  double sqrtEnergy(int k) {
    return sqrtP[k];
  }

  /** Normalized singular values {@code sigmahat_k = sqrt(d p_k)}, so {@code sum sigmahat_k^2 = d}. */
  public double[] normalizedSigma() {
    double[] out = new double[sigma.length];
    double sd = Math.sqrt(sigma.length);
    for (int i = 0; i < out.length; i++) {
      out[i] = sd * sqrtP[i];
    }
    return out;
  }

  /** {@code lambda_k = sigmahat_k^2 = d p_k}: the ordered eigenvalues of {@code What^T What}. */
  public double[] lambdas() {
    double[] out = new double[sigma.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = sigma.length * p[i];
    }
    return out;
  }

  /**
   * The Cartan coordinate {@code h_k = log sigmahat_k = (1/2) log d + log(sigma_k/sigma_1) - (1/2) log1p(T)} for
   * {@code k = 1..numericalRank()} (zero ranks are left out, never {@code -inf}).
   */
  public double[] cartan() {
    double[] h = new double[rank];
    double c = 0.5 * (Math.log(sigma.length) - Math.log1p(tail));
    for (int i = 0; i < rank; i++) {
      h[i] = c + Math.log(sigma[i] / sigma[0]);
    }
    return h;
  }

  /**
   * Top-radial coordinate {@code r = h_1 = (1/2) log(d p_1) = (1/2)(log d - log1p(T))}, in
   * {@code [0, (1/2) log d]}; exactly 0 for an isotropic spectrum.
   */
  public double topRadial() {
    if (isIsotropic()) {
      return 0;
    }
    return Math.max(0, 0.5 * (Math.log(sigma.length) - Math.log1p(tail)));
  }

  /**
   * {@code T = sum_{k=2..rank} (sigma_k/sigma_1)^2 = 1/p_1 - 1}, the tail ratio; the orbit's counterpart is
   * {@code H(d, s) - 1}. Kept separately because it has full relative accuracy when tiny.
   */
  public double tailRatio() {
    return tail;
  }

  @Override
  public String toString() {
    return "Spectrum[" + rows + "x" + cols + ", d=" + sigma.length + ", rank=" + rank + ", r=" + topRadial() + "]";
  }
}
