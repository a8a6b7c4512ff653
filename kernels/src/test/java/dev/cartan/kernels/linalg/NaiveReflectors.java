package dev.cartan.kernels.linalg;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.DoubleKernels;
import dev.cartan.kernels.KernelProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The test reference for products of Householder reflectors: each {@code H_i = I - tau_i v_i v_i^T} applied on
 * its own to a dense {@code double[][]} copy by plain loops over {@code get} (no kernels, no GEMM, no blocking);
 * and random test matrices framed by NaN.
 */
final class NaiveReflectors {
  private NaiveReflectors() {}

  /** v_i of a panel as LAPACK stores it: zeros above row i, 1 at i, the panel below the diagonal. */
  static double[] vector(DMatrix p, int i) {
    double[] v = new double[p.rows()];
    v[i] = 1.0;
    for (int r = i + 1; r < p.rows(); r++) {
      v[r] = p.get(r, i);
    }
    return v;
  }

  /** C := (I - tau v v^T) C, or C := C (I - tau v v^T) with {@code right}. */
  static void reflect(double[][] c, double[] v, double tau, boolean right) {
    int rows = c.length;
    int cols = rows == 0 ? 0 : c[0].length;
    if (!right) {
      for (int j = 0; j < cols; j++) {
        double s = 0.0;
        for (int i = 0; i < rows; i++) {
          s += v[i] * c[i][j];
        }
        for (int i = 0; i < rows; i++) {
          c[i][j] -= tau * v[i] * s;
        }
      }
    } else {
      for (int i = 0; i < rows; i++) {
        double s = 0.0;
        for (int j = 0; j < cols; j++) {
          s += c[i][j] * v[j];
        }
        for (int j = 0; j < cols; j++) {
          c[i][j] -= tau * s * v[j];
        }
      }
    }
  }

  /**
   * {@code op(H) C} or {@code C op(H)} for {@code H = H_0 ... H_{k-1}} from the first k columns of p:
   * {@code H C = H_0 (H_1 (... H_{k-1} C))}, {@code H^T C = H_{k-1} ... H_0 C}, {@code C H = C H_0 ... H_{k-1}},
   * {@code C H^T = C H_{k-1} ... H_0}.
   */
  static double[][] apply(DMatrix p, double[] tau, int k, double[][] c, boolean right, boolean transpose) {
    double[][] r = new double[c.length][];
    for (int i = 0; i < c.length; i++) {
      r[i] = c[i].clone();
    }
    boolean descending = right == transpose;
    for (int q = 0; q < k; q++) {
      int i = descending ? k - 1 - q : q;
      reflect(r, vector(p, i), tau[i], right);
    }
    return r;
  }

  /** Frobenius norm of {@code x - y} for same-shape dense arrays. */
  static double distance(double[][] x, double[][] y) {
    double s = 0.0;
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[i].length; j++) {
        double d = x[i][j] - y[i][j];
        s += d * d;
      }
    }
    return Math.sqrt(s);
  }

  /** An r x c random matrix inside a NaN-filled array (a view with ld > rows), or its transposed view. */
  static DMatrix randomMatrix(Random rnd, int r, int c, boolean transposed) {
    int sr = transposed ? c : r;
    int sc = transposed ? r : c;
    DMatrix big = DMatrix.zeros(sr + 4, sc + 1);
    big.fill(Double.NaN);
    DMatrix s = big.view(3, 1, sr, sc);
    for (int j = 0; j < sc; j++) {
      for (int i = 0; i < sr; i++) {
        s.set(i, j, rnd.nextDouble() * 2 - 1);
      }
    }
    return transposed ? s.transpose() : s;
  }

  /** The scalar primitives and, when the Vector module is present, the SIMD ones, for panels in one JVM. */
  static List<DoubleKernels> providers() {
    List<DoubleKernels> ks = new ArrayList<>();
    ks.add(KernelProvider.scalar().f64());
    KernelProvider.simd().ifPresent(p -> ks.add(p.f64()));
    return ks;
  }
}
