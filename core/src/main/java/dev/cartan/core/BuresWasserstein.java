package dev.cartan.core;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.Gemm;
import dev.cartan.kernels.svd.Svd;
import dev.cartan.kernels.eig.SymmetricEigen;

/**
 * The Bures-Wasserstein distance between symmetric positive semidefinite matrices (THEORY.md 6.3):
 * {@code d_BW^2(S1, S2) = tr S1 + tr S2 - 2 tr (S1^(1/2) S2 S1^(1/2))^(1/2)}.
 *
 * <p>Square roots come from the symmetric eigensolver ({@link SymmetricEigen}): {@code S1^(1/2) = V sqrt(L) V^T},
 * then the eigenvalues of {@code M = S1^(1/2) S2 S1^(1/2)}. When {@code S1 = A^T A} and {@code S2 = B^T B}, it
 * equals {@code min over orthogonal Q of ||A - Q B||_F} (the Procrustes form), and it is at least the spectral
 * distance {@code sqrt(sum_k (sqrt lambda_k(S1) - sqrt lambda_k(S2))^2)} of the sorted eigenvalues (6.2).
 *
 * <p>Accuracy: like every evaluation of this formula, the squared distance carries an absolute error of order
 * {@code eps (tr S1 + tr S2)}, so a distance near zero is known to about {@code sqrt(eps)} relative to the traces.
 *
 * <p>Domain: square matrices of the same size, finite, symmetric (within {@code 1e-10} relative), PSD: eigenvalues
 * below {@code -1e-10 max|lambda|} are rejected; eigenvalues up to {@code n eps max|lambda|} in absolute value are
 * rounding noise of zero eigenvalues and are set to zero (in {@code S1} and in {@code M}).
 */
public final class BuresWasserstein {
  private static final double PSD_TOLERANCE = 1e-10;

  private BuresWasserstein() {}

  /**
   * {@code d_BW(S1, S2)}, see the class comment.
   *
   * @throws IllegalArgumentException if an argument is null, not square, of different sizes, non-finite, not
   *     symmetric or not PSD; the message names {@code s1} or {@code s2}
   */
  public static double distance(DMatrix s1, DMatrix s2) {
    return Math.sqrt(distanceSquared(s1, s2));
  }

  /** {@code d_BW^2(S1, S2)}, clamped at 0 against rounding. Domain as {@link #distance}. */
  public static double distanceSquared(DMatrix s1, DMatrix s2) {
    check(s1, "s1");
    check(s2, "s2");
    if (s1.rows() != s2.rows()) {
      throw new IllegalArgumentException("s1 is " + s1.rows() + "x" + s1.rows() + " but s2 is " + s2.rows() + "x"
          + s2.rows());
    }
    int n = s1.rows();
    SymmetricEigen.Result e1 = decomposePsd(s1, "s1");
    double tr1 = 0;
    double tr2 = 0;
    for (int i = 0; i < n; i++) {
      tr1 += Math.max(0, e1.values()[i]);
      tr2 += s2.get(i, i);
    }
    DMatrix root = sqrtFrom(e1);
    // M = R S2 R with R = S1^(1/2), formed symmetrically.
    DMatrix m = Gemm.multiply(Gemm.multiply(root, s2), root);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < j; i++) {
        double v = 0.5 * (m.get(i, j) + m.get(j, i));
        m.set(i, j, v);
        m.set(j, i, v);
      }
    }
    SymmetricEigen.Result em = SymmetricEigen.decompose(m);
    double cross = 0;
    double floor = noiseFloor(em.values());
    for (double v : em.values()) {
      cross += v > floor ? Math.sqrt(v) : 0;
    }
    return Math.max(0, tr1 + tr2 - 2 * cross);
  }

  /**
   * {@code d_BW(A^T A, B^T B)} from the factors, in the Procrustes form (THEORY.md 6.3):
   * {@code min over orthogonal Q of ||A - Q B||_F = sqrt(||A||_F^2 + ||B||_F^2 - 2 ||A B^T||_*)}, where the nuclear
   * norm {@code ||A B^T||_*} (the fidelity {@code tr (S1^(1/2) S2 S1^(1/2))^(1/2)}) is the sum of the singular values
   * of the {@code m x m} product, computed by the accurate SVD. Working on the factors avoids squaring their
   * condition number, which forming {@code A^T A} and taking square roots does. The squared distance is a
   * difference, so as for {@link #distance} a distance near zero is known only to about {@code sqrt(eps)} relative
   * to the norms of the factors.
   *
   * @param a an {@code m x n} factor of S1, finite
   * @param b an {@code m x n} factor of S2, finite, same shape as {@code a}
   * @throws IllegalArgumentException if a factor is null, empty, non-finite, or the shapes differ (names
   *     {@code a} or {@code b})
   */
  public static double distanceOfFactors(DMatrix a, DMatrix b) {
    if (a == null || b == null) {
      throw new IllegalArgumentException((a == null ? "a" : "b") + " is null");
    }
    if (a.rows() != b.rows() || a.cols() != b.cols()) {
      throw new IllegalArgumentException(
          "a is " + a.rows() + "x" + a.cols() + " but b is " + b.rows() + "x" + b.cols());
    }
    if (a.rows() == 0 || a.cols() == 0) {
      throw new IllegalArgumentException("a and b are empty (" + a.rows() + "x" + a.cols() + ")");
    }
    a.requireFinite("a");
    b.requireFinite("b");
    double fa = a.frobeniusNorm();
    double fb = b.frobeniusNorm();
    double scale = Math.max(fa, fb);
    if (scale == 0) {
      return 0;
    }
    // Scale both by one power of two so the product cannot overflow; distances scale back exactly.
    double down = Math.scalb(1.0, -Math.getExponent(scale));
    DMatrix as = a.copy();
    DMatrix bs = b.copy();
    scaleInPlace(as, down);
    scaleInPlace(bs, down);
    DMatrix c = DMatrix.zeros(a.rows(), a.rows());
    Gemm.gemm(1.0, as, bs.transpose(), 0.0, c);
    double nuclear = 0;
    double[] sv = Svd.values(c);
    for (int i = sv.length - 1; i >= 0; i--) {
      nuclear += sv[i];
    }
    double na = fa * down;
    double nb = fb * down;
    double sq = Math.max(0, na * na + nb * nb - 2 * nuclear);
    return Math.sqrt(sq) / down;
  }

  private static void scaleInPlace(DMatrix m, double f) {
    for (int j = 0; j < m.cols(); j++) {
      for (int i = 0; i < m.rows(); i++) {
        m.set(i, j, m.get(i, j) * f);
      }
    }
  }

  /**
   * The spectral lower bound {@code sqrt(sum_k (sqrt lambda_k(S1) - sqrt lambda_k(S2))^2)} over eigenvalues sorted
   * decreasingly; for {@code S = d diag(p)} it is the spectral BW of 6.2. Domain as {@link #distance}.
   */
  public static double spectralDistance(DMatrix s1, DMatrix s2) {
    check(s1, "s1");
    check(s2, "s2");
    if (s1.rows() != s2.rows()) {
      throw new IllegalArgumentException("s1 and s2 have different sizes: " + s1.rows() + " vs " + s2.rows());
    }
    double[] a = decomposePsd(s1, "s1").values();
    double[] b = decomposePsd(s2, "s2").values();
    double s = 0;
    for (int i = a.length - 1; i >= 0; i--) {
      double x = Math.sqrt(Math.max(0, a[i])) - Math.sqrt(Math.max(0, b[i]));
      s += x * x;
    }
    return Math.sqrt(s);
  }

  private static void check(DMatrix s, String name) {
    if (s == null) {
      throw new IllegalArgumentException("matrix " + name + " is null");
    }
    if (s.rows() != s.cols()) {
      throw new IllegalArgumentException("matrix " + name + " is " + s.rows() + "x" + s.cols() + ", not square");
    }
    s.requireFinite(name);
  }

  private static SymmetricEigen.Result decomposePsd(DMatrix s, String name) {
    SymmetricEigen.Result e;
    try {
      e = SymmetricEigen.decompose(s);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("matrix " + name + ": " + ex.getMessage(), ex);
    }
    double[] v = e.values();
    double max = 0;
    for (double x : v) {
      max = Math.max(max, Math.abs(x));
    }
    if (v.length > 0 && v[v.length - 1] < -PSD_TOLERANCE * max) {
      throw new IllegalArgumentException(
          "matrix " + name + " is not positive semidefinite: eigenvalue " + v[v.length - 1]);
    }
    return e;
  }

  /**
   * Eigenvalues at most {@code n eps max|lambda|} are rounding noise of a zero eigenvalue: their square roots
   * (of order {@code sqrt(eps)}) would dominate the error of rank-deficient inputs, so they count as 0.
   */
  private static double noiseFloor(double[] values) {
    double max = 0;
    for (double x : values) {
      max = Math.max(max, Math.abs(x));
    }
    return values.length * Math.ulp(1.0) * max;
  }

  private static DMatrix sqrtFrom(SymmetricEigen.Result e) {
    int n = e.values().length;
    DMatrix v = e.vectors();
    DMatrix r = DMatrix.zeros(n, n);
    double floor = noiseFloor(e.values());
    for (int k = 0; k < n; k++) {
      double w = e.values()[k] > floor ? Math.sqrt(e.values()[k]) : 0;
      if (w == 0) {
        continue;
      }
      for (int j = 0; j < n; j++) {
        double vj = w * v.get(j, k);
        for (int i = 0; i < n; i++) {
          r.set(i, j, r.get(i, j) + v.get(i, k) * vj);
        }
      }
    }
    return r;
  }
}
