package dev.cartan.kernels.svd;

import java.util.SplittableRandom;

/**
 * Primes the JIT for dqds ({@link Dqds}, the values step of every SVD route): runs it on small bidiagonals whose
 * iterations take every shift case of LAPACK's dlasq4 and every retry of dlasq3, so that the optimizing compiler
 * (C2) compiles {@code Dqds} once, from a profile that has seen every branch the large bidiagonals of a run take.
 *
 * <p>Why: a run calls dqds rarely (once per matrix) but each call is long (a 768-value bidiagonal takes ~3 000
 * steps), so without a warm-up C2 compiles it by on-stack replacement in the middle of the first calls, from a
 * profile of a few hundred steps, and every branch or loop shape met later throws the code away: a cold
 * GPT-2-shaped {@code cartan analyze} compiled {@code Dqds.singularValues} eight times, five of them by on-stack
 * replacement (docs/design-notes.md, "analyze: dqds warm-up"). Here the calls are short and many, so the compile
 * thresholds for calls are met first, and log-normal (spread e^{+-8}) or uniform entries of 8-24 values take all
 * twelve shift cases, the segment flip, interior splits, two-value deflations, the hidden convergence and all
 * three retries of a failed step (a test checks it). The loop-limit traps that the first large bidiagonals still
 * hit are in {@code Dqds}'s small helpers ({@code deflate}, {@code series}), whose recompilation is cheap.
 *
 * <p>Library code: prints nothing and has no effect on results (the inputs are fixed; only the JIT's state changes).
 */
public final class DqdsWarmup {
  /**
   * Bidiagonals per worker in {@code cartan analyze} (~0.1 s of CPU): C2's call threshold is 600 calls with 15 000
   * loop iterations, scaled up while its queue is long, as it is at start-up; with 2000 per worker the driver
   * was still compiled only during the first large matrix, with 6000 during the warm-up (docs/benchmarks.md).
   */
  public static final int ROUNDS = 6000;

  /** Order of round r's bidiagonal: mostly 8-12 (short loops, few back-edges per call), every eighth 24. */
  private static final int[] ORDERS = {8, 10, 12, 9, 11, 8, 12, 24};

  /** Largest order in {@link #ORDERS}. */
  private static final int MAX_ORDER = 24;

  private DqdsWarmup() {}

  /**
   * Runs dqds on {@code rounds} fixed small bidiagonals.
   *
   * @param rounds bidiagonals, {@code >= 0}
   * @return the sum of all singular values found (finite; its value has no meaning)
   * @throws IllegalArgumentException if {@code rounds < 0}
   */
  public static double run(int rounds) {
    return run(rounds, new int[1]);
  }

  /** As {@link #run(int)}, also OR-ing every call's {@link Dqds.Stats#paths} into {@code paths[0]} (for tests). */
  static double run(int rounds, int[] paths) {
    if (rounds < 0) {
      throw new IllegalArgumentException("need rounds >= 0; got rounds=" + rounds);
    }
    SplittableRandom rnd = new SplittableRandom(0x5eed);
    double[] d = new double[MAX_ORDER];
    double[] e = new double[MAX_ORDER];
    double[] work = new double[5 * MAX_ORDER];
    double sum = 0.0;
    for (int r = 0; r < rounds; r++) {
      int n = ORDERS[r % ORDERS.length];
      boolean uniform = r % 4 == 3;
      for (int i = 0; i < n; i++) {
        // Log-normal entries (spread e^{+-8}) take the rare cases: flips, splits, late and zero retries; uniform
        // ones, closer to a Gaussian matrix's bidiagonal, the common cases in other proportions.
        d[i] = uniform ? rnd.nextDouble() : Math.exp(4 * rnd.nextGaussian());
        e[i] = uniform ? rnd.nextDouble() : Math.exp(4 * rnd.nextGaussian());
      }
      Dqds.Stats st = Dqds.singularValues(n, d, e, work);
      paths[0] |= st.paths;
      sum += d[0];
    }
    return sum;
  }
}
