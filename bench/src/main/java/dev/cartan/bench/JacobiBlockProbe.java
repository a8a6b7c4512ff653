package dev.cartan.bench;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.svd.JacobiSvd;
import dev.cartan.kernels.svd.SvdResult;
import java.util.Random;

/**
 * Times JacobiSvd values-only on a Gaussian n x n for several rotation-block widths (0 = automatic), three
 * rounds, one JVM:
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.cartan.bench.JacobiBlockProbe 512}.
 */
public final class JacobiBlockProbe {
  private JacobiBlockProbe() {}

  /** Argument: n. */
  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    Random rnd = new Random(1);
    DMatrix a = DMatrix.zeros(n, n);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        a.set(i, j, rnd.nextGaussian());
      }
    }
    int[] blocks = {n, 32, 0, 16, 8, 4, 2};
    for (int rep = 0; rep < 3; rep++) {
      for (int b : blocks) {
        JacobiSvd s = new JacobiSvd().blockColumns(b);
        long t0 = System.nanoTime();
        SvdResult r = s.decompose(a, false);
        long t1 = System.nanoTime();
        System.out.printf("n=%d block=%s ms=%.0f sweeps=%d%n", n, b == 0 ? "auto" : b, (t1 - t0) / 1e6, r.sweeps());
      }
    }
  }
}
