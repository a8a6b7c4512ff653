package dev.cartan.kernels.eig;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.DoubleKernels;
import dev.cartan.kernels.KernelProvider;

/**
 * Eigen-decomposition {@code S = V diag(lambda) V^T} of a real symmetric matrix by the cyclic two-sided Jacobi
 * method (Golub and Van Loan, <i>Matrix Computations</i>, 4th ed., section 8.5.2-8.5.3, algorithm 8.5.3 with
 * Rutishauser's stable update of the diagonal, {@code a'_pp = a_pp - t a_pq}, {@code a'_qq = a_qq + t a_pq}).
 *
 * <p>Driver: setup (check, copy, scale by the max entry) -> sweeps over all pairs {@code p < q}, each rotation
 * annihilating {@code a_pq} -> sort eigenpairs decreasingly -> unscale. A pair is skipped when
 * {@code |a_pq| <= eps * sqrt(|a_pp a_qq|)} or {@code |a_pq| <= eps^2 max|s_ij|} (relative tests, so small eigenvalues
 * keep their relative accuracy where the matrix allows it, Demmel and Veselic 1992); convergence is a sweep with
 * no rotation. The number of sweeps is capped ({@link #MAX_SWEEPS}); hitting the cap is reported in
 * {@link Result#converged()}, not thrown.
 *
 * <p>Column updates of the working matrix and of {@code V} run through {@link DoubleKernels#rotate} of the active
 * provider (SIMD when the vector module is present), rows through a scalar strided loop: columns are contiguous
 * in the column-major layout, rows are not.
 *
 * <p>Domain: a square matrix with finite entries that is symmetric up to {@code 1e-10} of its largest entry
 * (the symmetric part {@code (S + S^T)/2} is decomposed). Anything else is an {@link IllegalArgumentException}.
 * The input is not modified. Cost {@code O(n^3)} per sweep, typically 6-10 sweeps.
 */
public final class SymmetricEigen {
  /** Sweep cap: quadratic convergence needs far fewer; reaching it means a pathological input. */
  public static final int MAX_SWEEPS = 60;

  private static final double EPS = Math.ulp(1.0);
  private static final double SYMMETRY_TOLERANCE = 1e-10;

  private SymmetricEigen() {}

  /**
   * The result: eigenvalues sorted decreasingly, orthonormal eigenvectors in the matching columns of
   * {@code vectors} ({@code S v_k = lambda_k v_k}), the number of sweeps and whether the off-diagonal part
   * vanished to working precision within the sweep cap.
   */
  public record Result(double[] values, DMatrix vectors, int sweeps, boolean converged) {}

  /** Decomposes {@code s} with the active provider ({@link KernelProvider#get()}). */
  public static Result decompose(DMatrix s) {
    return decompose(s, KernelProvider.get());
  }

  /**
   * Decomposes {@code s} with the given provider's primitives.
   *
   * @throws IllegalArgumentException if {@code s} is null, not square, has a NaN/Inf entry, or is not symmetric
   */
  public static Result decompose(DMatrix s, KernelProvider provider) {
    if (s == null) {
      throw new IllegalArgumentException("matrix s is null");
    }
    if (provider == null) {
      throw new IllegalArgumentException("provider is null");
    }
    int n = s.rows();
    if (s.cols() != n) {
      throw new IllegalArgumentException("matrix s is " + s.rows() + "x" + s.cols() + ", not square");
    }
    s.requireFinite("s");
    double[] a = new double[n * n];
    double amax = 0;
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        amax = Math.max(amax, Math.abs(s.get(i, j)));
      }
    }
    for (int j = 0; j < n; j++) {
      for (int i = 0; i <= j; i++) {
        double x = s.get(i, j);
        double y = s.get(j, i);
        if (Math.abs(x - y) > SYMMETRY_TOLERANCE * amax) {
          throw new IllegalArgumentException(
              "matrix s is not symmetric: s(" + i + "," + j + ") = " + x + " but s(" + j + "," + i + ") = " + y);
        }
        // Scaling by the max entry keeps squares in range; eigenvalues are unscaled at the end.
        double v = amax == 0 ? 0 : 0.5 * (x / amax + y / amax);
        a[i + j * n] = v;
        a[j + i * n] = v;
      }
    }
    double[] v = new double[n * n];
    for (int i = 0; i < n; i++) {
      v[i + i * n] = 1.0;
    }
    DoubleKernels k = provider.f64();
    double[] scratch = new double[3];
    // Absolute floor relative to the (scaled, max 1) matrix: below eps^2 a rotation cannot change anything.
    double tiny = EPS * EPS;
    int sweeps = 0;
    boolean converged = n <= 1;
    while (!converged && sweeps < MAX_SWEEPS) {
      sweeps++;
      int rotations = 0;
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          double apq = a[p + q * n];
          double app = a[p + p * n];
          double aqq = a[q + q * n];
          if (Math.abs(apq) <= EPS * Math.sqrt(Math.abs(app * aqq)) || Math.abs(apq) <= tiny) {
            a[p + q * n] = 0;
            a[q + p * n] = 0;
            continue;
          }
          rotations++;
          double theta = (aqq - app) / (2 * apq);
          // t = tan of the rotation angle, the smaller root: |angle| <= pi/4 keeps the iteration convergent.
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double sn = t * c;
          k.rotate(n, a, p * n, a, q * n, c, sn, scratch);
          for (int r = 0; r < n; r++) {
            double x = a[p + r * n];
            double y = a[q + r * n];
            a[p + r * n] = c * x - sn * y;
            a[q + r * n] = sn * x + c * y;
          }
          a[p + p * n] = app - t * apq;
          a[q + q * n] = aqq + t * apq;
          a[p + q * n] = 0;
          a[q + p * n] = 0;
          k.rotate(n, v, p * n, v, q * n, c, sn, scratch);
        }
      }
      converged = rotations == 0;
    }
    // Sort decreasingly (selection sort on indices: n is small compared with the O(n^3) sweeps).
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = 0; i < n; i++) {
      int best = i;
      for (int j = i + 1; j < n; j++) {
        if (a[order[j] * (n + 1)] > a[order[best] * (n + 1)]) {
          best = j;
        }
      }
      int tmp = order[i];
      order[i] = order[best];
      order[best] = tmp;
    }
    double[] values = new double[n];
    DMatrix vectors = DMatrix.zeros(n, n);
    for (int i = 0; i < n; i++) {
      int src = order[i];
      values[i] = a[src * (n + 1)] * amax;
      for (int r = 0; r < n; r++) {
        vectors.set(r, i, v[r + src * n]);
      }
    }
    return new Result(values, vectors, sweeps, converged);
  }
}
