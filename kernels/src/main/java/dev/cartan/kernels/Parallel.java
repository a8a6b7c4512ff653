package dev.cartan.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splits one large operation into slabs that run on the calling thread and {@link ForkJoinPool#commonPool()}: the
 * multi-threading inside one matrix ({@link Gemm}'s {@code threads} overloads, the block reflectors' updates, the
 * reductions of the fast SVD). Each slab is a range {@code [lo, hi)} of whole units (micro-tiles, columns) of an
 * index; every element is computed by the same operations whatever the split, so results do not depend on the
 * thread count. Operations below {@link #MIN_FLOPS} ({@link #TEAM_MIN_FLOPS} inside a {@link Team}) stay on the
 * calling thread.
 */
public final class Parallel {
  /**
   * Smallest operation (flops) worth splitting: a fork and join take microseconds; {@code 2^24} flops take about
   * 0.2 ms at a single core's GEMM rate.
   */
  public static final long MIN_FLOPS = 1L << 24;

  /**
   * The threshold inside an open {@link Team}, whose helpers start a slab within microseconds: {@code 2^21} flops
   * are ~50 microseconds of one core's GEMM.
   */
  public static final long TEAM_MIN_FLOPS = 1L << 21;

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
    return parts(threads, flops, MIN_FLOPS, len, unit);
  }

  /** {@link #parts(int, double, int, int)} with the threshold {@code minFlops}. */
  static int parts(int threads, double flops, long minFlops, int len, int unit) {
    if (threads < 1 || unit < 1) {
      throw new IllegalArgumentException("need threads >= 1 and unit >= 1, got threads=" + threads + ", unit="
          + unit);
    }
    if (threads == 1 || flops < minFlops || len <= 0) {
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
    if (threads == 1 && unit >= 1) {
      // The one-thread calls (every default path) skip the team lookup.
      slab.run(0, len);
      return;
    }
    Team team = Team.CURRENT.get();
    int parts = parts(threads, flops, team != null ? TEAM_MIN_FLOPS : MIN_FLOPS, len, unit);
    if (parts == 1) {
      slab.run(0, len);
      return;
    }
    if (team != null) {
      team.run(parts, len, unit, slab);
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

  /**
   * Keeps {@code threads - 1} helpers of the common pool awake for a sequence of split operations on the calling
   * thread, until {@link Team#close()}: while the team is open, {@link #forSlabs} called on this thread hands its
   * slabs to the spinning helpers instead of waking parked pool workers. A parked worker takes tens of
   * microseconds to milliseconds to start on a virtual machine (docs/design-notes.md, "Threads inside one SVD"),
   * paid at every one of the hundreds of split products of a reduction; spinning helpers start at once. The
   * helpers spin on a core each while the caller runs the serial parts in between (panels), so a team spans the
   * GEMM-rich phase of one SVD only. Use with try-with-resources on the thread that opened it.
   *
   * @param threads threads of the team, the caller's included ({@code >= 1}; at most the processor count are
   *     used)
   * @return the open team; with one thread (or one processor), or inside a team this thread already has open, a
   *     team without helpers whose close does nothing (the split operations then run as without a team, or on
   *     the open team)
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public static Team team(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("need threads >= 1, got threads=" + threads);
    }
    // Never more helpers than the other cores: a spinning helper on the caller's core would halve its speed.
    int helpers = Math.min(threads, Runtime.getRuntime().availableProcessors()) - 1;
    if (helpers == 0 || Team.CURRENT.get() != null) {
      return Team.NONE;
    }
    Team t = new Team(helpers);
    Team.CURRENT.set(t);
    t.start();
    return t;
  }

  /**
   * Helpers kept awake for one caller's split operations ({@link #team}). Slabs are claimed from a shared counter
   * by the caller and the helpers alike, so a helper that never gets a core only means the caller does more
   * slabs itself: no operation waits for a helper that has not started one.
   */
  public static final class Team implements AutoCloseable {
    static final ThreadLocal<Team> CURRENT = new ThreadLocal<>();
    /** The team without helpers: never registered, its close does nothing. */
    static final Team NONE = new Team(0);

    private final int helpers;
    private final Thread owner = Thread.currentThread();
    private volatile Job job;
    private volatile boolean closed;

    private Team(int helpers) {
      this.helpers = helpers;
    }

    private void start() {
      for (int h = 0; h < helpers; h++) {
        ForkJoinPool.commonPool().execute(this::help);
      }
    }

    /** A helper: runs the slabs of each published job until the team closes. */
    private void help() {
      Job seen = null;
      while (!closed) {
        Job j = job;
        if (j != null && j != seen) {
          j.work();
          seen = j;
        } else {
          Thread.onSpinWait();
        }
      }
    }

    /** Runs the slabs on the caller and the helpers; returns when all are done, rethrowing a slab's failure. */
    void run(int parts, int len, int unit, Slab slab) {
      Job j = new Job(parts, len, unit, slab);
      job = j;
      j.work();
      while (j.done.get() < parts) {
        Thread.onSpinWait();
      }
      job = null;
      Throwable failure = j.failure;
      if (failure instanceof RuntimeException re) {
        throw re;
      }
      if (failure instanceof Error err) {
        throw err;
      }
    }

    /** Stops the helpers (they exit at their next look) and detaches the team from the calling thread. */
    @Override
    public void close() {
      if (this == NONE) {
        return;
      }
      closed = true;
      if (Thread.currentThread() == owner && CURRENT.get() == this) {
        CURRENT.remove();
      }
    }
  }

  /** One split operation handed to a team: slabs claimed by index, a count of those finished. */
  private static final class Job {
    final int parts;
    final int len;
    final int unit;
    final Slab slab;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger done = new AtomicInteger();
    volatile Throwable failure;

    Job(int parts, int len, int unit, Slab slab) {
      this.parts = parts;
      this.len = len;
      this.unit = unit;
      this.slab = slab;
    }

    /** Claims and runs slabs until none is left; a failure is kept for the caller and the count still advances. */
    void work() {
      for (int q = next.getAndIncrement(); q < parts; q = next.getAndIncrement()) {
        try {
          slab.run(split(len, parts, unit, q), split(len, parts, unit, q + 1));
        } catch (RuntimeException | Error e) {
          failure = e;
        } finally {
          done.incrementAndGet();
        }
      }
    }
  }
}
