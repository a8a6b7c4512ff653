package dev.cartan.kernels.svd;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Times {@link Dqds} on the bidiagonals that bench/scripts/lapack_dqds_peer.py writes and times LAPACK's dlasq1 on
 * (not a test; run by hand, see docs/benchmarks.md): per n, the thread CPU time of the last {@code reps} of
 * {@code 20 + reps} calls (minimum and median) and the steps.
 *
 * <pre>
 * java -cp kernels/target/classes:kernels/target/test-classes dev.cartan.kernels.svd.DqdsProfile DIR 1024 2048
 * </pre>
 */
public final class DqdsProfile {
  private DqdsProfile() {}

  /** Arguments: the directory of {@code bidiag{n}.txt}, then the orders; {@code -Dreps=N} (default 40). */
  public static void main(String[] args) throws IOException {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    int reps = Integer.getInteger("reps", 40);
    for (int k = 1; k < args.length; k++) {
      int n = Integer.parseInt(args[k]);
      double[] all = Files.readAllLines(Path.of(args[0], "bidiag" + n + ".txt")).stream()
          .mapToDouble(Double::parseDouble).toArray();
      if (all.length != 2 * n - 1) {
        throw new IllegalArgumentException("bidiag" + n + ".txt: " + all.length + " numbers, expected " + (2 * n - 1));
      }
      double[] work = new double[5 * n];
      double[] times = new double[reps];
      Dqds.Stats st = null;
      for (int r = 0; r < 20 + reps; r++) {
        double[] d = Arrays.copyOf(all, n);
        double[] e = Arrays.copyOfRange(all, n, 2 * n);
        long t0 = mx.getCurrentThreadCpuTime();
        st = Dqds.singularValues(n, d, e, work);
        if (r >= 20) {
          times[r - 20] = (mx.getCurrentThreadCpuTime() - t0) / 1e6;
        }
      }
      Arrays.sort(times);
      System.out.printf("Dqds n=%d: min %.2f ms, median %.2f ms, steps %d%n", n, times[0], times[reps / 2], st.steps);
    }
  }
}
