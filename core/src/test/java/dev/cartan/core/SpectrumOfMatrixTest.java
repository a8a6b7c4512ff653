package dev.cartan.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.svd.SvdOptions;
import org.junit.jupiter.api.Test;

/** {@link Spectrum#of(DMatrix)} and friends on matrices built with known singular values. */
class SpectrumOfMatrixTest {

  /** Householder reflector {@code I - 2 u u^T / |u|^2} of order n: orthogonal, entries in closed form. */
  static double[][] reflector(int n, double shift) {
    double[] u = new double[n];
    double nn = 0;
    for (int i = 0; i < n; i++) {
      u[i] = Math.sin(1.3 * i + shift) + 0.25;
      nn += u[i] * u[i];
    }
    double[][] h = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        h[i][j] = (i == j ? 1 : 0) - 2 * u[i] * u[j] / nn;
      }
    }
    return h;
  }

  /** {@code U[:, :k] diag(s) V[:, :k]^T} with reflectors U (m x m) and V (n x n), k = s.length. */
  static double[][] withSingularValues(int m, int n, double[] s) {
    double[][] u = reflector(m, 0.1);
    double[][] v = reflector(n, 0.7);
    double[][] a = new double[m][n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double x = 0;
        for (int k = 0; k < s.length; k++) {
          x += u[i][k] * s[k] * v[j][k];
        }
        a[i][j] = x;
      }
    }
    return a;
  }

  @Test
  void float64MatrixGivesItsSingularValues() {
    double[] s = {9, 4, 2.5, 1, 0.125};
    for (int[] shape : new int[][] {{5, 8}, {8, 5}, {5, 5}}) {
      DMatrix a = DMatrix.fromRows(withSingularValues(shape[0], shape[1], s));
      for (SvdOptions.Method m : SvdOptions.Method.values()) {
        Spectrum sp = Spectrum.of(a, m);
        assertEquals(shape[0], sp.rows());
        assertEquals(shape[1], sp.cols());
        assertArrayEquals(s, sp.sigma(), 1e-12 * 9, m + " " + shape[0] + "x" + shape[1]);
      }
    }
    // Frobenius norm is sqrt(sum s^2) = sqrt(81 + 16 + 6.25 + 1 + 1/64).
    assertEquals(Math.sqrt(104.265625), Spectrum.of(DMatrix.fromRows(withSingularValues(5, 6, s))).frobeniusNorm(),
        1e-12);
  }

  @Test
  void float32MatrixGivesSingularValuesToFloatAccuracy() {
    double[] s = {3, 2, 1};
    double[][] a = withSingularValues(3, 4, s);
    float[][] f = new float[3][4];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 4; j++) {
        f[i][j] = (float) a[i][j];
      }
    }
    assertArrayEquals(s, Spectrum.of(FMatrix.fromRows(f)).sigma(), 3 * 4e-7 * 4);
  }

  @Test
  void badInputIsRefusedWithAClearMessage() {
    assertThrows(IllegalArgumentException.class, () -> Spectrum.of((DMatrix) null));
    assertThrows(IllegalArgumentException.class, () -> Spectrum.of(DMatrix.zeros(3, 2)));
    assertThrows(IllegalArgumentException.class, () -> Spectrum.of(DMatrix.identity(2), null));
    DMatrix nan = DMatrix.identity(2);
    nan.set(0, 1, Double.NaN);
    assertThrows(IllegalArgumentException.class, () -> Spectrum.of(nan));
  }
}
