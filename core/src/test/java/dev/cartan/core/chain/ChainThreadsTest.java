package dev.cartan.core.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cartan.kernels.DMatrix;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ChainOptions#threads()} = 2 against the sequential analysis: the same report, field by field, on chains of
 * every generator in both modes (with certified and exact amplitudes, near-identity expansion on), and the same
 * exception, message included, for each kind of bad input.
 *
 * <p>Both runs compute every number with the same single-threaded code on the same inputs, and the kernels give the
 * same bits in every JIT tier (their lane sums have one order, {@code simd.Lanes}), so every field is compared
 * exactly. A mix-up of states, interfaces or steps moves the numbers by far more than their last bits.
 */
class ChainThreadsTest {
  private static ChainReport both(List<DMatrix> m, ChainMode mode, ChainOptions o, String what) {
    ChainReport one = Chains.analyze(m, null, mode, o.withThreads(1));
    ChainReport two = Chains.analyze(m, null, mode, o.withThreads(2));
    same(one, two, what);
    return two;
  }

  /** Every component of two reports, recursively through records, lists and arrays. */
  static void same(Object want, Object got, String at) {
    if (want == null || got == null) {
      assertEquals(want, got, at);
    } else if (want instanceof Double w) {
      assertEquals(w, (Double) got, at);
    } else if (want instanceof double[] w) {
      double[] g = (double[]) got;
      assertEquals(w.length, g.length, at + " length");
      for (int i = 0; i < w.length; i++) {
        same(w[i], g[i], at + "[" + i + "]");
      }
    } else if (want instanceof List<?> w) {
      List<?> g = (List<?>) got;
      assertEquals(w.size(), g.size(), at + " size");
      for (int i = 0; i < w.size(); i++) {
        same(w.get(i), g.get(i), at + "[" + i + "]");
      }
    } else if (want.getClass().isRecord()) {
      assertEquals(want.getClass(), got.getClass(), at);
      for (RecordComponent c : want.getClass().getRecordComponents()) {
        try {
          same(c.getAccessor().invoke(want), c.getAccessor().invoke(got), at + "." + c.getName());
        } catch (ReflectiveOperationException e) {
          fail(at + "." + c.getName() + ": " + e);
        }
      }
    } else {
      assertEquals(want, got, at);
    }
  }

  @Test
  void twoThreadsGiveTheSequentialReport() {
    int[] dims = {5, 12, 70};
    int chains = 0;
    for (int seed = 0; seed < 3; seed++) {
      int d = dims[seed];
      for (ChainOptions.Amplitudes amp : ChainOptions.Amplitudes.values()) {
        ChainOptions o = ChainOptions.DEFAULTS.withAmplitudes(amp);
        for (ChainGenerators.Noise noise : ChainGenerators.Noise.values()) {
          ChainReport r = both(ChainGenerators.nearIdentity(d, 4, 0.05, noise, seed), ChainMode.FACTORS, o,
              noise + " " + amp + " d = " + d);
          assertEquals(4, r.nearIdentity().size());
          chains++;
        }
        both(ChainGenerators.orbit(d, 4, 0.2, 0.9, true, seed), ChainMode.STATES, o, "orbit " + amp);
        both(ChainGenerators.backtracking(d, 5, 0.2, 1.5, 0.6, 0.05, seed), ChainMode.STATES, o, "backtracking");
        both(ChainsTest.randomStates(d, 3, seed), ChainMode.STATES, o, "random states " + amp);
        chains += 3;
      }
    }
    assertEquals(3 * 3 * (ChainGenerators.Noise.values().length + 3), chains);
    // Without the near-identity expansion the second thread ends after the amplitudes.
    ChainReport r = both(ChainGenerators.nearIdentity(9, 6, 0.1, ChainGenerators.Noise.LOW_RANK, 7),
        ChainMode.FACTORS, ChainOptions.DEFAULTS.withNearIdentity(false), "no near-identity");
    assertTrue(r.nearIdentity().isEmpty());
  }

  /** The report of a chain is the same object graph whichever thread count: the comparison itself can fail. */
  @Test
  void theComparisonSeesADifferentChain() {
    List<DMatrix> f = ChainGenerators.nearIdentity(8, 3, 0.05, ChainGenerators.Noise.GAUSSIAN, 1);
    List<DMatrix> g = new ArrayList<>(f);
    DMatrix last = f.get(2).copy();
    last.set(0, 0, last.get(0, 0) * (1 + 1e-9));
    g.set(2, last);
    ChainReport a = Chains.analyze(f, null, ChainMode.FACTORS, ChainOptions.DEFAULTS.withThreads(2));
    ChainReport b = Chains.analyze(g, null, ChainMode.FACTORS, ChainOptions.DEFAULTS.withThreads(2));
    assertThrows(AssertionError.class, () -> same(a, b, "perturbed"));
  }

  @Test
  void twoThreadsThrowTheSequentialException() {
    // A singular state (states mode), found by the spectra on the calling thread.
    List<DMatrix> states = new ArrayList<>(ChainGenerators.orbit(8, 4, 0.2, 0.8, true, 1));
    DMatrix bad = states.get(2).copy();
    for (int i = 0; i < 8; i++) {
      bad.set(i, 3, 2 * bad.get(i, 5));
    }
    states.set(2, bad);
    sameException(states, ChainMode.STATES, "singular", "index 2");

    // A zero product (factors mode), found on the second thread before the state is needed.
    List<DMatrix> f = new ArrayList<>(ChainGenerators.nearIdentity(8, 5, 0.05, ChainGenerators.Noise.GAUSSIAN, 2));
    DMatrix nil = DMatrix.zeros(8, 8);
    nil.set(0, 0, 1);
    f.set(2, nil);
    f.set(3, DMatrix.zeros(8, 8));
    sameException(f, ChainMode.FACTORS, "zero", "index 3");

    // A singular interface whose product is not zero: the amplitude's failure, after all spectra.
    List<DMatrix> g = new ArrayList<>(ChainGenerators.nearIdentity(8, 4, 0.05, ChainGenerators.Noise.GAUSSIAN, 3));
    g.set(1, nil);
    sameException(g, ChainMode.FACTORS, "singular", "A_2");
  }

  private static void sameException(List<DMatrix> m, ChainMode mode, String... words) {
    for (ChainOptions.Amplitudes amp : ChainOptions.Amplitudes.values()) {
      ChainOptions o = ChainOptions.DEFAULTS.withAmplitudes(amp);
      IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
          () -> Chains.analyze(m, null, mode, o.withThreads(1)));
      IllegalArgumentException two = assertThrows(IllegalArgumentException.class,
          () -> Chains.analyze(m, null, mode, o.withThreads(2)));
      assertEquals(one.getMessage(), two.getMessage());
      for (String w : words) {
        assertTrue(two.getMessage().contains(w), two.getMessage());
      }
    }
  }

  @Test
  void threadCountIsChecked() {
    assertEquals(1, ChainOptions.DEFAULTS.threads());
    assertEquals(2, ChainOptions.DEFAULTS.withThreads(2).threads());
    for (int bad : new int[] {0, -1, ChainOptions.MAX_THREADS + 1}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ChainOptions.DEFAULTS.withThreads(bad));
      assertTrue(e.getMessage().contains("threads"), e.getMessage());
    }
    assertEquals(2, ChainOptions.DEFAULTS.withThreads(2).withSvd(null).withNearIdentity(false).threads());
  }
}
