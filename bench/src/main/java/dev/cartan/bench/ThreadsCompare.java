package dev.cartan.bench;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.KernelProvider;
import dev.cartan.kernels.svd.BidiagonalSvd;
import java.util.Arrays;
import java.util.Random;

/**
 * The fast SVD of one Gaussian matrix on one thread and on more, interleaved round by round in one JVM: wall-clock
 * milliseconds (the helpers' CPU is not the caller's), min and median, and the speed-up of the minima. Float64
 * values by default; {@code f32} for float32 values, {@code vectors} for the thin float64 SVD.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.cartan.bench.ThreadsCompare \
 *     2048x2048 5 [f32|vectors] [threads ...]
 * </pre>
 */
public final class ThreadsCompare {
  private ThreadsCompare() {}

  /** Arguments: shape {@code MxN}, rounds, optionally {@code f32} or {@code vectors}, then thread counts (1 2). */
  public static void main(String[] args) {
    String[] p = args[0].split("x");
    int m = Integer.parseInt(p[0]);
    int n = Integer.parseInt(p[1]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int next = 2;
    String mode = "values";
    if (args.length > next && (args[next].equals("f32") || args[next].equals("vectors"))) {
      mode = args[next++];
    }
    int[] counts = args.length > next
        ? Arrays.stream(args, next, args.length).mapToInt(Integer::parseInt).toArray()
        : new int[] {1, 2};
    Random rnd = new Random(42);
    DMatrix a = DMatrix.zeros(m, n);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        a.set(i, j, rnd.nextGaussian());
      }
    }
    FMatrix af = a.toFloat();
    BidiagonalSvd svd = new BidiagonalSvd();
    double[][] ms = new double[counts.length][rounds];
    for (int round = 0; round <= rounds; round++) {
      for (int c = 0; c < counts.length; c++) {
        long t0 = System.nanoTime();
        switch (mode) {
          case "f32" -> svd.computeValues(af, counts[c]);
          case "vectors" -> svd.compute(a, false, counts[c]);
          default -> svd.computeValues(a, counts[c]);
        }
        double t = (System.nanoTime() - t0) / 1e6;
        if (round > 0) {
          ms[c][round - 1] = t;
        }
      }
    }
    System.out.printf("%dx%d %s, %s, %d cores, %d rounds after one warm-up (wall ms)%n", m, n, mode,
        KernelProvider.get().species(), Runtime.getRuntime().availableProcessors(), rounds);
    double base = 0;
    for (int c = 0; c < counts.length; c++) {
      double[] t = ms[c].clone();
      Arrays.sort(t);
      if (c == 0) {
        base = t[0];
      }
      System.out.printf("threads %d   min %9.1f  median %9.1f  speed-up (min) %.2f%n", counts[c], t[0],
          t[t.length / 2], base / t[0]);
    }
  }
}
