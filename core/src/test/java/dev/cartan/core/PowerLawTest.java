package dev.cartan.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cartan.core.Draws.IntRange;
import dev.cartan.core.Draws.LongRange;
import dev.cartan.core.Draws.Property;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Section 10: the fast xmin scan against the plain O(n^2) scan, the KS formula, and Pareto recovery. */
class PowerLawTest {

  /** The plain scan: every candidate, every tail point; first minimum wins. */
  static PowerLaw.Fit bruteForce(double[] sample, int minTail) {
    PowerLaw.Prepared pr = PowerLaw.prepare(sample, minTail);
    if (pr == null) {
      return null;
    }
    int n = pr.u.length;
    double best = Double.POSITIVE_INFINITY;
    int bestI = -1;
    for (int i = 0; i < n; i++) {
      if (!pr.candidate[i]) {
        continue;
      }
      double d = 0;
      for (int j = i; j < n; j++) {
        d = Math.max(d, PowerLaw.ksTerm(pr.u, i, j, pr.beta[i]));
      }
      if (d < best) {
        best = d;
        bestI = i;
      }
    }
    return PowerLaw.result(pr, bestI, best, (long) n * (n + 1) / 2);
  }

  static double[] randomSample(Random rnd, int n) {
    double[] x = new double[n];
    int kind = rnd.nextInt(7);
    double a = 1.2 + 3 * rnd.nextDouble();
    for (int i = 0; i < n; i++) {
      switch (kind) {
        case 0:
          x[i] = Math.pow(rnd.nextDouble(), -1 / (a - 1)); // Pareto
          break;
        case 1:
          x[i] = Math.exp(2 * rnd.nextGaussian()); // lognormal
          break;
        case 2:
          x[i] = rnd.nextDouble(); // uniform
          break;
        case 3:
          x[i] = Math.round(10 * Math.pow(rnd.nextDouble(), -1 / (a - 1))) / 10.0; // Pareto with many ties
          break;
        case 5:
          x[i] = Math.pow(i + 1, -a); // exact rank power law: every candidate fits well, bounds are tightest
          break;
        case 6:
          x[i] = Math.pow(i + 1, -a) * (1 + 1e-3 * rnd.nextGaussian());
          break;
        default:
          // Marchenko-Pastur-like bulk plus a few spikes, as weight matrices give
          x[i] = i < 5 ? 50 + 100 * rnd.nextDouble() : Math.pow(1 + rnd.nextGaussian() * 0.3, 2);
          break;
      }
    }
    return x;
  }

  @Property(tries = 120, seed = "20261128")
  void fastScanReturnsExactlyWhatThePlainScanReturns(@IntRange(min = 2, max = 1500) int n,
      @LongRange(min = 0, max = 100000) long seed, @IntRange(min = 2, max = 20) int minTail) {
    double[] x = randomSample(new Random(seed), n);
    PowerLaw.Fit fast = PowerLaw.fit(x, minTail);
    PowerLaw.Fit slow = bruteForce(x, minTail);
    if (slow == null) {
      assertFalse(fast.valid());
      return;
    }
    assertEquals(slow.valid(), fast.valid());
    assertEquals(slow.xmin(), fast.xmin(), 0, "xmin");
    assertEquals(slow.ksDistance(), fast.ksDistance(), 0, "D");
    assertEquals(slow.alpha(), fast.alpha(), 0, "alpha");
    assertEquals(slow.tailCount(), fast.tailCount());
  }

  @Test
  void ksDistanceMatchesTextbookDefinition() {
    Random rnd = new Random(7);
    for (int rep = 0; rep < 20; rep++) {
      double[] x = randomSample(rnd, 200 + rnd.nextInt(300));
      PowerLaw.Fit f = PowerLaw.fit(x);
      double[] tail = Arrays.stream(x).filter(v -> v >= f.xmin()).sorted().toArray();
      assertEquals(f.tailCount(), tail.length);
      int nt = tail.length;
      double sumLog = 0;
      for (double v : tail) {
        sumLog += Math.log(v / f.xmin());
      }
      assertEquals(1 + nt / sumLog, f.alpha(), 1e-10 * f.alpha());
      // sup_x |S(x) - P(x)| over the step function S, checked on both sides of each jump
      double d = 0;
      for (int j = 0; j < nt; j++) {
        double p = 1 - Math.pow(tail[j] / f.xmin(), 1 - f.alpha());
        int below = 0;
        int atOrBelow = 0;
        for (double v : tail) {
          below += v < tail[j] ? 1 : 0;
          atOrBelow += v <= tail[j] ? 1 : 0;
        }
        d = Math.max(d, Math.max(Math.abs((double) below / nt - p), Math.abs((double) atOrBelow / nt - p)));
      }
      assertEquals(d, f.ksDistance(), 1e-12);
      assertEquals((f.alpha() - 1) / Math.sqrt(nt), f.standardError(), 1e-15);
    }
  }

  @Test
  void recoversParetoExponentWithinItsStandardError() {
    double[] alphas = {1.5, 2.0, 2.5, 3.5, 5.0};
    double sumZ = 0;
    int count = 0;
    for (double alpha : alphas) {
      for (int seed = 0; seed < 8; seed++) {
        Random rnd = new Random(31 * seed + (long) (alpha * 10));
        double[] x = new double[4000];
        for (int i = 0; i < x.length; i++) {
          x[i] = 3.0 * Math.pow(1 - rnd.nextDouble(), -1 / (alpha - 1));
        }
        PowerLaw.Fit f = PowerLaw.fit(x);
        double z = Math.abs(f.alpha() - alpha) / f.standardError();
        assertTrue(z < 3.5, "alpha " + alpha + " seed " + seed + ": " + f.alpha() + " +- " + f.standardError());
        sumZ += z;
        count++;
      }
    }
    // |N(0,1)| has mean 0.80: the errors are of the size the standard error claims.
    assertTrue(sumZ / count < 1.3, "mean |error| / SE = " + sumZ / count);
  }

  @Test
  void scanIsFarBelowQuadraticOnLargeSamples() {
    Random rnd = new Random(11);
    for (int kind = 0; kind < 3; kind++) {
      int n = 20000;
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = kind == 0 ? Math.pow(rnd.nextDouble(), -1 / 1.5) : kind == 1 ? Math.exp(2 * rnd.nextGaussian())
            : Math.pow(1 + 0.3 * rnd.nextGaussian(), 2);
      }
      PowerLaw.Fit f = PowerLaw.fit(x);
      double quadratic = (double) n * n / 2;
      assertTrue(f.termsEvaluated() < quadratic / 20,
          "kind " + kind + ": " + f.termsEvaluated() + " terms vs n^2/2 = " + quadratic);
    }
  }

  @Test
  void degenerateSamplesAndBadInput() {
    assertFalse(PowerLaw.fit(new double[] {1, 1, 1}).valid());
    assertFalse(PowerLaw.fit(new double[] {0, 0, 2}).valid());
    assertFalse(PowerLaw.fit(new double[0]).valid());
    PowerLaw.Fit two = PowerLaw.fit(new double[] {1, 2});
    assertTrue(two.valid());
    assertEquals(1 + 2 / Math.log(2), two.alpha(), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> PowerLaw.fit(new double[] {1, Double.NaN}));
    assertThrows(IllegalArgumentException.class, () -> PowerLaw.fit(new double[] {1, -2}));
    assertThrows(IllegalArgumentException.class, () -> PowerLaw.fit(new double[] {1, 2}, 1));
    assertThrows(IllegalArgumentException.class, () -> PowerLaw.fit(null));
  }
}
