package dev.cartan.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Splits one large operation into slabs that run on the calling thread and {@link ForkJoinPool#commonPool()}: the
 * multi-threading inside one matrix ({@link Gemm}'s {@code threads} overloads, the block reflectors' updates, the
 * reductions of the fast SVD). Each slab is a range {@code [lo, hi)} of whole units (micro-tiles, columns) of an
 * index; every element is computed by the same operations whatever the split, so results do not depend on the
 * thread count. Operations below {@link #MIN_FLOPS} stay on the calling thread.
 */
public final class Parallel {
  /**
   * Smallest operation (flops) worth splitting: a fork and join take microseconds; {@code 2^24} flops take about
   * 0.2 ms at a single core's GEMM rate.
   */
  public static final long MIN_FLOPS = 1L << 24;

  private Parallel() {}

  /** One slab: units {@code [lo, hi)} of the split index. */
  @FunctionalInterface
  public interface Slab {
    /** Runs the part of the operation on indices {@code [lo, hi)}. */
    void run(int lo, int hi);
  }

  /**
   * How many slabs an operation of {@code flops} over an index of length {@code len} in units of {@code unit}
   * takes: at most {@code threads}, at most one per unit, and one below {@link #MIN_FLOPS}.
   *
   * @throws IllegalArgumentException if {@code threads < 1} or {@code unit < 1}
   */
  public static int parts(int threads, double flops, int len, int unit) {
    if (threads < 1 || unit < 1) {
      throw new IllegalArgumentException("need threads >= 1 and unit >= 1, got threads=" + threads + ", unit="
          + unit);
    }
    if (threads == 1 || flops < MIN_FLOPS || len <= 0) {
      return 1;
    }
    int units = (len + unit - 1) / unit;
    return Math.max(1, Math.min(threads, units));
  }

  /** Start of slab q of {@code parts} near-equal slabs of {@code [0, len)}, on multiples of {@code unit}. */
  public static int split(int len, int parts, int unit, int q) {
    if (q >= parts) {
      return len;
    }
    int units = (len + unit - 1) / unit;
    return Math.min(len, (int) ((long) units * q / parts) * unit);
  }

  /**
   * Runs {@code slab} on the {@link #parts} slabs of {@code [0, len)} for an operation of {@code flops} on up to
   * {@code threads} threads (see {@link #runAll}).
   *
   * @throws IllegalArgumentException if {@code threads < 1} or {@code unit < 1}
   */
  public static void forSlabs(int threads, double flops, int len, int unit, Slab slab) {
    int parts = parts(threads, flops, len, unit);
    if (parts == 1) {
      slab.run(0, len);
      return;
    }
    Runnable[] blocks = new Runnable[parts];
    for (int q = 0; q < parts; q++) {
      int lo = split(len, parts, unit, q);
      int hi = split(len, parts, unit, q + 1);
      blocks[q] = () -> slab.run(lo, hi);
    }
    runAll(blocks);
  }

  /**
   * Runs block 0 on the calling thread and the others on the common pool, then waits for all; a block's exception
   * (or error) is rethrown after every block has finished. A join from inside the pool helps run the queued
   * blocks, so a caller that is itself a pool worker cannot deadlock.
   */
  static void runAll(Runnable[] blocks) {
    ForkJoinTask<?>[] forked = new ForkJoinTask<?>[blocks.length];
    for (int q = 1; q < blocks.length; q++) {
      forked[q] = ForkJoinPool.commonPool().submit(blocks[q]);
    }
    Throwable failure = null;
    try {
      blocks[0].run();
    } catch (RuntimeException | Error e) {
      failure = e;
    }
    for (int q = 1; q < blocks.length; q++) {
      try {
        forked[q].join();
      } catch (RuntimeException | Error e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    if (failure instanceof Error err) {
      throw err;
    }
  }
}
