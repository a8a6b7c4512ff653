package dev.cartan.bench;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.svd.FloatSvdResult;
import dev.cartan.kernels.svd.Svd;
import dev.cartan.kernels.svd.SvdResult;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_FDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F32;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.ojalgo.matrix.decomposition.SingularValue;
import org.ojalgo.matrix.store.R064Store;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cartan's accurate (preconditioned Jacobi) SVD beside EJML's and ojAlgo's SVDs on the same Gaussian matrices, in
 * one run: values only and with thin U and V, float64 and float32 (ojAlgo has no float32 SVD). The ratio between
 * rows of one run is the result; LAPACK's dgejsv/dgesvj/dgesdd are timed on the same shapes by
 * {@code bench/scripts/lapack_svd_peer.py}.
 *
 * <p>Shapes: {@code -p shape=256,512,1024} by default; {@code 2048}, {@code 3072x768} and {@code 4096x1024} are
 * accepted too. EJML overwrites its input, so its benchmarks copy the matrix first (an O(mn) copy beside an
 * O(mn^2) decomposition); Cartan and ojAlgo do not modify their input.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.VECTOR_MODULE, BenchJvm.TRAP_LIMIT, "-Xmx4g"})
public class AccurateSvdBench {

  /** {@code n} for n x n, or {@code m x n}. */
  @Param({"256", "512", "1024"})
  public String shape;

  /** Compute thin U and V too. */
  @Param({"false", "true"})
  public boolean vectors;

  DMatrix a64;
  FMatrix a32;
  DMatrixRMaj ejml64;
  FMatrixRMaj ejml32;
  R064Store oj;

  @Setup(Level.Trial)
  public void setup() {
    String[] mn = shape.split("x");
    int m = Integer.parseInt(mn[0]);
    int n = mn.length > 1 ? Integer.parseInt(mn[1]) : m;
    Random rnd = new Random(42);
    a64 = DMatrix.zeros(m, n);
    a32 = FMatrix.zeros(m, n);
    ejml64 = new DMatrixRMaj(m, n);
    ejml32 = new FMatrixRMaj(m, n);
    double[] colMajor = new double[m * n];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        double v = rnd.nextGaussian();
        a64.set(i, j, v);
        a32.set(i, j, (float) v);
        ejml64.set(i, j, v);
        ejml32.set(i, j, (float) v);
        colMajor[i + j * m] = v;
      }
    }
    oj = R064Store.wrap(colMajor, m);
    // check the answer once: the largest singular value agrees between Cartan and EJML
    double s1 = Svd.values(a64)[0];
    SingularValueDecomposition_F64<DMatrixRMaj> e = DecompositionFactory_DDRM.svd(m, n, false, false, true);
    e.decompose(ejml64.copy());
    double e1 = 0;
    for (double v : e.getSingularValues()) {
      e1 = Math.max(e1, v);
    }
    if (Math.abs(s1 - e1) > 1e-10 * e1) {
      throw new IllegalStateException("Cartan s_1 " + s1 + " differs from EJML's " + e1);
    }
  }

  /**
   * CPU-time mode for a machine shared with other jobs: for each shape, values only and with vectors, the minimum
   * thread CPU time of {@code Svd.decompose} (float64) over {@code reps} runs after {@code reps} warm-up runs, in ms.
   * Compare with the {@code min_cpu_ms} column of {@code bench/scripts/lapack_svd_peer.py}:
   * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar
   * dev.cartan.bench.AccurateSvdBench 512,1024 5}.
   *
   * @param args shapes (comma-separated, as {@link #shape}) and the number of runs (default 5)
   */
  public static void main(String[] args) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    System.out.println("shape vectors min_cpu_ms median_wall_ms sweeps");
    for (String sh : (args.length > 0 ? args[0] : "512,1024").split(",")) {
      AccurateSvdBench b = new AccurateSvdBench();
      b.shape = sh;
      b.setup();
      for (boolean vec : new boolean[] {false, true}) {
        b.vectors = vec;
        double best = Double.POSITIVE_INFINITY;
        double[] wall = new double[reps];
        int sweeps = 0;
        for (int r = -reps; r < reps; r++) {
          long c0 = mx.getCurrentThreadCpuTime();
          long t0 = System.nanoTime();
          SvdResult res = b.cartanF64();
          long t1 = System.nanoTime();
          long c1 = mx.getCurrentThreadCpuTime();
          sweeps = res.sweeps();
          if (r >= 0) {
            best = Math.min(best, (c1 - c0) / 1e6);
            wall[r] = (t1 - t0) / 1e6;
          }
        }
        java.util.Arrays.sort(wall);
        System.out.printf("%s %b %.1f %.1f %d%n", sh, vec, best, wall[reps / 2], sweeps);
      }
    }
  }

  @Benchmark
  public SvdResult cartanF64() {
    return Svd.decompose(a64, vectors);
  }

  @Benchmark
  public double[] ejmlF64() {
    SingularValueDecomposition_F64<DMatrixRMaj> d =
        DecompositionFactory_DDRM.svd(ejml64.numRows, ejml64.numCols, vectors, vectors, true);
    d.decompose(ejml64.copy());
    return d.getSingularValues();
  }

  @Benchmark
  public Object ojalgoF64() {
    SingularValue<Double> d = SingularValue.R064.make(oj, vectors);
    if (vectors) {
      d.decompose(oj);
      return d.getV();
    }
    d.computeValuesOnly(oj);
    return d.getSingularValues();
  }

  @Benchmark
  public FloatSvdResult cartanF32() {
    return Svd.decompose(a32, vectors);
  }

  @Benchmark
  public float[] ejmlF32() {
    SingularValueDecomposition_F32<FMatrixRMaj> d =
        DecompositionFactory_FDRM.svd(ejml32.numRows, ejml32.numCols, vectors, vectors, true);
    d.decompose(ejml32.copy());
    return d.getSingularValues();
  }
}
