package dev.cartan.kernels.eig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.KernelProvider;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Symmetric eigensolver against mathematics: matrices built as {@code Q diag(lambda) Q^T} with known lambda,
 * the second-difference matrix with eigenvalues {@code 2 - 2 cos(k pi / (n + 1))}, and the defining identities
 * {@code S V = V diag(lambda)}, {@code V^T V = I}, decreasing order, on every size up to 9 and awkward larger ones.
 */
class SymmetricEigenTest {

  static DMatrix randomOrthogonal(int n, Random rnd) {
    // Gram-Schmidt (twice) on a Gaussian matrix: an orthogonal matrix independent of the solver.
    DMatrix q = DMatrix.zeros(n, n);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        q.set(i, j, rnd.nextGaussian());
      }
    }
    for (int pass = 0; pass < 2; pass++) {
      for (int j = 0; j < n; j++) {
        for (int k = 0; k < j; k++) {
          double d = 0;
          for (int i = 0; i < n; i++) {
            d += q.get(i, j) * q.get(i, k);
          }
          for (int i = 0; i < n; i++) {
            q.set(i, j, q.get(i, j) - d * q.get(i, k));
          }
        }
        double nrm = 0;
        for (int i = 0; i < n; i++) {
          nrm += q.get(i, j) * q.get(i, j);
        }
        nrm = Math.sqrt(nrm);
        for (int i = 0; i < n; i++) {
          q.set(i, j, q.get(i, j) / nrm);
        }
      }
    }
    return q;
  }

  static DMatrix conjugate(DMatrix q, double[] lambda) {
    int n = lambda.length;
    DMatrix s = DMatrix.zeros(n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double x = 0;
        for (int k = 0; k < n; k++) {
          x += q.get(i, k) * lambda[k] * q.get(j, k);
        }
        s.set(i, j, x);
        s.set(j, i, x);
      }
    }
    return s;
  }

  static void checkDecomposition(DMatrix s, SymmetricEigen.Result r, double tol) {
    int n = s.rows();
    assertTrue(r.converged(), "not converged after " + r.sweeps() + " sweeps");
    double scale = Math.max(1e-300, Arrays.stream(r.values()).map(Math::abs).max().orElse(0));
    for (int k = 1; k < n; k++) {
      assertTrue(r.values()[k - 1] >= r.values()[k], "order");
    }
    DMatrix v = r.vectors();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double sv = 0;
        double vtv = 0;
        for (int k = 0; k < n; k++) {
          sv += s.get(i, k) * v.get(k, j);
          vtv += v.get(k, i) * v.get(k, j);
        }
        assertEquals(v.get(i, j) * r.values()[j], sv, tol * scale, "S V = V Lambda at " + i + "," + j);
        assertEquals(i == j ? 1.0 : 0.0, vtv, tol, "V^T V = I at " + i + "," + j);
      }
    }
  }

  static Iterable<KernelProvider> providers() {
    Optional<KernelProvider> simd = KernelProvider.simd();
    return simd.isPresent() ? java.util.List.of(KernelProvider.scalar(), simd.get()) : java.util.List.of(
        KernelProvider.scalar());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 33, 64})
  void recoversKnownSpectrumOfConjugatedDiagonal(int n) {
    Random rnd = new Random(1000 + n);
    double[] lambda = new double[n];
    for (int i = 0; i < n; i++) {
      lambda[i] = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(3));
    }
    if (n > 3) {
      lambda[1] = lambda[2]; // a repeated eigenvalue
      lambda[3] = 0; // and an exact zero
    }
    DMatrix s = conjugate(randomOrthogonal(n, rnd), lambda);
    double[] sorted = lambda.clone();
    Arrays.sort(sorted);
    for (KernelProvider p : providers()) {
      SymmetricEigen.Result r = SymmetricEigen.decompose(s, p);
      checkDecomposition(s, r, 1e-12 * n);
      double scale = Arrays.stream(lambda).map(Math::abs).max().orElse(1);
      for (int k = 0; k < n; k++) {
        assertEquals(sorted[n - 1 - k], r.values()[k], 1e-13 * n * scale, p + " eigenvalue " + k);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 7, 10, 31})
  void secondDifferenceMatrixHasCosineSpectrum(int n) {
    DMatrix s = DMatrix.zeros(n, n);
    for (int i = 0; i < n; i++) {
      s.set(i, i, 2);
      if (i > 0) {
        s.set(i, i - 1, -1);
        s.set(i - 1, i, -1);
      }
    }
    SymmetricEigen.Result r = SymmetricEigen.decompose(s);
    checkDecomposition(s, r, 1e-12 * n);
    for (int k = 1; k <= n; k++) {
      // Decreasing order: the largest is 2 - 2 cos(n pi / (n + 1)).
      double expected = 2 - 2 * Math.cos((n + 1 - k) * Math.PI / (n + 1));
      assertEquals(expected, r.values()[k - 1], 1e-13 * n);
    }
  }

  @Test
  void diagonalZeroAndTinyScaleMatrices() {
    DMatrix zero = DMatrix.zeros(4, 4);
    SymmetricEigen.Result r = SymmetricEigen.decompose(zero);
    assertTrue(r.converged());
    assertTrue(Arrays.stream(r.values()).allMatch(x -> x == 0));
    DMatrix tiny = conjugate(randomOrthogonal(5, new Random(3)), new double[] {3e-300, 2e-300, 1e-300, 0, -1e-300});
    SymmetricEigen.Result t = SymmetricEigen.decompose(tiny);
    assertEquals(3e-300, t.values()[0], 1e-312);
    assertEquals(-1e-300, t.values()[4], 1e-312);
    DMatrix empty = DMatrix.zeros(0, 0);
    assertEquals(0, SymmetricEigen.decompose(empty).values().length);
  }

  @Test
  void rejectsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.decompose(DMatrix.zeros(2, 3)));
    DMatrix asym = DMatrix.fromRows(new double[][] {{1, 2}, {0, 1}});
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.decompose(asym));
    assertTrue(e.getMessage().contains("symmetric"));
    DMatrix nan = DMatrix.fromRows(new double[][] {{1, Double.NaN}, {Double.NaN, 1}});
    assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.decompose(nan));
    assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.decompose(null));
  }
}
