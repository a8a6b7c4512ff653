package dev.cartan.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * {@link Parallel}: the slabs of a split operation cover its index exactly once, with and without a team; a slab's
 * failure reaches the caller after the others finished and leaves the team usable; teams of one thread, and teams
 * opened inside an open one, have no helpers.
 */
class ParallelTest {
  /** Runs a split over [0, len) that counts each index; every index must be counted exactly once. */
  private static void coversOnce(int threads, int len, int unit) {
    AtomicIntegerArray hits = new AtomicIntegerArray(len);
    Parallel.forSlabs(threads, 1e12, len, unit, (lo, hi) -> {
      assertTrue(lo == 0 || lo % unit == 0, "slab start " + lo + " is not a multiple of " + unit);
      for (int i = lo; i < hi; i++) {
        hits.incrementAndGet(i);
      }
    });
    for (int i = 0; i < len; i++) {
      assertEquals(1, hits.get(i), "index " + i + " of " + len + " on " + threads + " threads");
    }
  }

  @Test
  void slabsCoverTheIndexOnceWithAndWithoutATeam() {
    for (int threads : new int[] {1, 2, 3, 8}) {
      for (int len : new int[] {1, 5, 24, 25, 1000}) {
        coversOnce(threads, len, 6);
        try (Parallel.Team team = Parallel.team(threads)) {
          for (int rep = 0; rep < 50; rep++) {
            coversOnce(threads, len, 6);
          }
        }
      }
    }
  }

  @Test
  void aSlabFailureReachesTheCallerAndTheTeamGoesOn() {
    try (Parallel.Team team = Parallel.team(2)) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> Parallel.forSlabs(2, 1e12, 100, 10, (lo, hi) -> {
            if (lo >= 50) {
              throw new IllegalStateException("slab " + lo);
            }
          }));
      assertTrue(e.getMessage().startsWith("slab "));
      coversOnce(2, 100, 10);
    }
    coversOnce(2, 100, 10);
  }

  @Test
  void teamsWithoutHelpers() {
    assertSame(Parallel.Team.NONE, Parallel.team(1));
    try (Parallel.Team outer = Parallel.team(2)) {
      try (Parallel.Team inner = Parallel.team(2)) {
        assertSame(Parallel.Team.NONE, inner);
      }
      // The inner close left the outer team in place.
      coversOnce(2, 77, 7);
    }
    assertThrows(IllegalArgumentException.class, () -> Parallel.team(0));
    assertThrows(IllegalArgumentException.class, () -> Parallel.parts(0, 1e12, 10, 1));
    assertEquals(1, Parallel.parts(4, Parallel.MIN_FLOPS - 1, 1000, 1));
    assertEquals(4, Parallel.parts(4, Parallel.MIN_FLOPS, 1000, 1));
    assertEquals(3, Parallel.parts(8, Parallel.MIN_FLOPS, 25, 10));
  }
}
