package dev.cartan.core.chain;

import dev.cartan.core.Orbit;
import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.Gemm;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic chain generators (THEORY.md 8.1, 8.12): every output is a function of its arguments and the seed.
 *
 * <ul>
 *   <li>{@link #nearIdentity}: factors {@code A_l = I + eps B_l} with B Gaussian, heavy-tailed or low-rank, scaled
 *       to {@code ||B||_F = sqrt(d)} (so {@code ||B||_2 <= sqrt(d)} and every factor is invertible when
 *       {@code eps sqrt(d) < 1});
 *   <li>{@link #orbit}: states {@code X_l = Q diag(sigmahat(s_l)) P^T} on the power-law orbit, {@code s_l} evenly
 *       spaced from {@code s0} to {@code s1}, with {@code Q = P = I} ({@code conjugated = false}) or random
 *       orthogonal Q, P (8.12: the bounds are nearly attained);
 *   <li>{@link #backtracking}: states {@code X_l = (I + eps B_l) Q diag(sigmahat(s_l)) P^T} whose exponent rises
 *       from {@code s0} to {@code sPeak} and falls back to {@code s1}, so the radial path backtracks (positive slack)
 *       and the charts are not exact.
 * </ul>
 */
public final class ChainGenerators {
  /** The distribution of the perturbation B. */
  public enum Noise {
    /** i.i.d. standard normal entries. */
    GAUSSIAN,
    /** i.i.d. Student-t entries with 2.5 degrees of freedom (finite variance, heavy tails). */
    HEAVY_TAILED,
    /** {@code B = U V^T} with Gaussian {@code d x k} factors, {@code k = max(1, d / 8)}. */
    LOW_RANK
  }

  private ChainGenerators() {}

  /**
   * L near-identity factors {@code I + eps B_l} (8.1).
   *
   * @throws IllegalArgumentException if {@code d < 2}, {@code steps < 1}, or {@code eps} is not finite and {@code >= 0}
   */
  public static List<DMatrix> nearIdentity(int d, int steps, double eps, Noise noise, long seed) {
    checkSize(d, steps);
    if (!Double.isFinite(eps) || eps < 0 || noise == null) {
      throw new IllegalArgumentException("eps must be finite and >= 0 and noise non-null, got eps = " + eps);
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    List<DMatrix> out = new ArrayList<>();
    for (int l = 0; l < steps; l++) {
      DMatrix b = perturbation(d, noise, rnd);
      for (int i = 0; i < d; i++) {
        b.set(i, i, b.get(i, i) * eps + 1);
        for (int j = 0; j < d; j++) {
          if (i != j) {
            b.set(i, j, b.get(i, j) * eps);
          }
        }
      }
      out.add(b);
    }
    return out;
  }

  /**
   * A perturbation B with {@code ||B||_F = sqrt(d)} of the given distribution.
   *
   * @throws IllegalArgumentException if {@code d < 1} or noise is null
   */
  public static DMatrix perturbation(int d, Noise noise, SplittableRandom rnd) {
    if (d < 1 || noise == null || rnd == null) {
      throw new IllegalArgumentException("perturbation needs d >= 1, a noise kind and a random source");
    }
    DMatrix b = DMatrix.zeros(d, d);
    switch (noise) {
      case GAUSSIAN -> fill(b, rnd, false);
      case HEAVY_TAILED -> fill(b, rnd, true);
      case LOW_RANK -> {
        int k = Math.max(1, d / 8);
        DMatrix u = DMatrix.zeros(d, k);
        DMatrix v = DMatrix.zeros(d, k);
        fill(u, rnd, false);
        fill(v, rnd, false);
        Gemm.gemm(1, u, v.transpose(), 0, b);
      }
      default -> throw new IllegalArgumentException("unknown noise " + noise);
    }
    double f = Math.sqrt(d) / b.frobeniusNorm();
    for (int j = 0; j < d; j++) {
      for (int i = 0; i < d; i++) {
        b.set(i, j, b.get(i, j) * f);
      }
    }
    return b;
  }

  /**
   * L + 1 orbit states {@code X_l = Q diag(sigmahat(s_l)) P^T}, {@code s_l = s0 + (s1 - s0) l / L} (8.12).
   *
   * @throws IllegalArgumentException if {@code d < 2}, {@code steps < 1} or an exponent is negative or not finite
   */
  public static List<DMatrix> orbit(int d, int steps, double s0, double s1, boolean conjugated, long seed) {
    checkSize(d, steps);
    double[] s = new double[steps + 1];
    for (int l = 0; l <= steps; l++) {
      s[l] = s0 + (s1 - s0) * l / steps;
    }
    return orbitStates(d, s, conjugated, seed);
  }

  /**
   * L + 1 states whose exponent goes {@code s0 -> sPeak -> s1} (a triangle, the turn at {@code L/2}), each
   * perturbed on the left by {@code I + eps B_l} (Gaussian B) and conjugated by random orthogonal Q, P.
   *
   * @throws IllegalArgumentException if {@code d < 2}, {@code steps < 2} or an argument is out of its domain
   */
  public static List<DMatrix> backtracking(int d, int steps, double s0, double sPeak, double s1, double eps,
      long seed) {
    checkSize(d, steps);
    if (steps < 2 || !Double.isFinite(eps) || eps < 0) {
      throw new IllegalArgumentException("backtracking needs steps >= 2 and finite eps >= 0, got " + steps + ", "
          + eps);
    }
    int turn = steps / 2;
    double[] s = new double[steps + 1];
    for (int l = 0; l <= steps; l++) {
      s[l] = l <= turn ? s0 + (sPeak - s0) * l / turn : sPeak + (s1 - sPeak) * (l - turn) / (steps - turn);
    }
    List<DMatrix> clean = orbitStates(d, s, true, seed);
    SplittableRandom rnd = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
    List<DMatrix> out = new ArrayList<>();
    for (DMatrix x : clean) {
      DMatrix a = perturbation(d, Noise.GAUSSIAN, rnd);
      for (int j = 0; j < d; j++) {
        for (int i = 0; i < d; i++) {
          a.set(i, j, eps * a.get(i, j) + (i == j ? 1 : 0));
        }
      }
      out.add(Gemm.multiply(a, x));
    }
    return out;
  }

  /**
   * A random orthogonal {@code d x d} matrix: modified Gram-Schmidt, applied twice, on a Gaussian matrix.
   *
   * @throws IllegalArgumentException if {@code d < 1}
   */
  public static DMatrix orthogonal(int d, SplittableRandom rnd) {
    if (d < 1 || rnd == null) {
      throw new IllegalArgumentException("orthogonal needs d >= 1 and a random source");
    }
    DMatrix q = DMatrix.zeros(d, d);
    fill(q, rnd, false);
    for (int pass = 0; pass < 2; pass++) {
      for (int j = 0; j < d; j++) {
        for (int k = 0; k < j; k++) {
          double dot = 0;
          for (int i = 0; i < d; i++) {
            dot += q.get(i, k) * q.get(i, j);
          }
          for (int i = 0; i < d; i++) {
            q.set(i, j, q.get(i, j) - dot * q.get(i, k));
          }
        }
        double nrm = 0;
        for (int i = 0; i < d; i++) {
          nrm += q.get(i, j) * q.get(i, j);
        }
        nrm = Math.sqrt(nrm);
        for (int i = 0; i < d; i++) {
          q.set(i, j, q.get(i, j) / nrm);
        }
      }
    }
    return q;
  }

  private static List<DMatrix> orbitStates(int d, double[] s, boolean conjugated, long seed) {
    Orbit o = Orbit.of(d);
    SplittableRandom rnd = new SplittableRandom(seed);
    DMatrix q = conjugated ? orthogonal(d, rnd) : null;
    DMatrix p = conjugated ? orthogonal(d, rnd) : null;
    List<DMatrix> out = new ArrayList<>();
    for (double sl : s) {
      double[] sig = o.normalizedSigma(sl);
      DMatrix x = DMatrix.zeros(d, d);
      for (int k = 0; k < d; k++) {
        x.set(k, k, sig[k]);
      }
      if (conjugated) {
        x = Gemm.multiply(Gemm.multiply(q, x), p.transpose());
      }
      out.add(x);
    }
    return out;
  }

  private static void fill(DMatrix m, SplittableRandom rnd, boolean heavy) {
    for (int j = 0; j < m.cols(); j++) {
      for (int i = 0; i < m.rows(); i++) {
        m.set(i, j, heavy ? studentT(rnd, 2.5) : gaussian(rnd));
      }
    }
  }

  /** Standard normal by Box-Muller (one of the pair; SplittableRandom has no nextGaussian on JDK 17). */
  static double gaussian(SplittableRandom rnd) {
    double u = 1 - rnd.nextDouble();
    double v = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Student-t with {@code nu} degrees of freedom: {@code Z / sqrt(chi2_nu / nu)}, chi2 from a Gamma(nu/2, 2). */
  private static double studentT(SplittableRandom rnd, double nu) {
    return gaussian(rnd) / Math.sqrt(2 * gamma(rnd, nu / 2) / nu);
  }

  /** Gamma(shape, 1) by Marsaglia-Tsang (shape >= 1; shape < 1 by the boost {@code U^(1/shape)}); capped loop. */
  private static double gamma(SplittableRandom rnd, double shape) {
    double boost = 1;
    double k = shape;
    if (k < 1) {
      boost = Math.pow(1 - rnd.nextDouble(), 1 / k);
      k += 1;
    }
    double dd = k - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * dd);
    for (int it = 0; it < 1000; it++) {
      double z = gaussian(rnd);
      double v = 1 + c * z;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = 1 - rnd.nextDouble();
      if (Math.log(u) < 0.5 * z * z + dd - dd * v + dd * Math.log(v)) {
        return boost * dd * v;
      }
    }
    return boost * dd; // the acceptance rate is above 0.95, so 1000 rejections in a row do not happen in practice
  }

  private static void checkSize(int d, int steps) {
    if (d < 2 || steps < 1) {
      throw new IllegalArgumentException("a chain needs d >= 2 and steps >= 1, got d = " + d + ", steps = " + steps);
    }
  }
}
