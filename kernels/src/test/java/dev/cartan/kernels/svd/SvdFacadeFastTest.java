package dev.cartan.kernels.svd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.kernels.DMatrix;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The facade's FAST route against {@link SvdChecks}, and its agreement with the ACCURATE route. */
class SvdFacadeFastTest extends SvdChecks {

  @Override
  protected SvdResult svd(DMatrix a, boolean wantVectors) {
    SvdOptions o = (wantVectors ? SvdOptions.thin() : SvdOptions.valuesOnly()).withMethod(SvdOptions.Method.FAST);
    SvdResult r = Svd.decompose(a, o);
    if (Math.min(a.rows(), a.cols()) > 0) {
      assertEquals(BidiagonalSvd.METHOD, r.method());
    }
    return r;
  }

  @Override
  protected boolean relativeAccuracy() {
    return false;
  }

  @Test
  void fastAndAccurateRoutesAgreeToAbsoluteAccuracy() {
    Random rnd = new Random(5);
    for (int[] shape : new int[][] {{70, 50}, {50, 70}, {64, 64}}) {
      DMatrix a = DMatrix.zeros(shape[0], shape[1]);
      for (int j = 0; j < a.cols(); j++) {
        for (int i = 0; i < a.rows(); i++) {
          a.set(i, j, rnd.nextGaussian());
        }
      }
      double[] fast = Svd.decompose(a, SvdOptions.valuesOnly().withMethod(SvdOptions.Method.FAST)).values();
      double[] accurate = Svd.decompose(a, SvdOptions.valuesOnly().withMethod(SvdOptions.Method.ACCURATE)).values();
      double tol = 20 * Math.max(shape[0], shape[1]) * Math.ulp(1.0) * accurate[0];
      for (int k = 0; k < fast.length; k++) {
        assertTrue(Math.abs(fast[k] - accurate[k]) <= tol, "value " + k + ": " + fast[k] + " vs " + accurate[k]);
      }
    }
  }

  @Test
  void fullVectorsThroughTheFastRouteAreSquareAndOrthogonal() {
    DMatrix a = DMatrix.fromRows(new double[][] {{1, 2}, {3, 4}, {5, 6}, {7, 9}});
    SvdResult r = Svd.decompose(a, new SvdOptions(SvdOptions.Method.FAST, SvdOptions.Vectors.FULL, 1));
    assertEquals(4, r.u().rows());
    assertEquals(4, r.u().cols());
    assertEquals(2, r.v().cols());
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        double dot = 0;
        for (int k = 0; k < 4; k++) {
          dot += r.u().get(k, i) * r.u().get(k, j);
        }
        assertEquals(i == j ? 1.0 : 0.0, dot, 1e-14);
      }
    }
  }
}
