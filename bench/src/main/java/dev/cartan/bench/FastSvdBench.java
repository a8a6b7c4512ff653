package dev.cartan.bench;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.KernelProvider;
import dev.cartan.kernels.svd.BidiagonalSvd;
import dev.cartan.kernels.svd.Svd;
import dev.cartan.kernels.svd.SvdOptions;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
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
 * Cartan's fast SVD ({@link BidiagonalSvd}: bidiagonalization + dqds / implicit QR) beside ojAlgo, EJML and
 * Commons Math on the same Gaussian matrices in one run: values only and thin vectors, float64 and float32.
 *
 * <p>Shapes via {@code -p shape=1024x1024,3072x768} (also 2048x2048, 4096x4096, 4096x1024, 768x50257). Commons
 * Math runs only up to 512x512 (it takes minutes beyond); larger shapes make its method throw, which JMH reports
 * as an error for that one combination. EJML decomposes its input in place, so it gets a fresh copy per call
 * (an O(mn) copy, negligible next to the O(mn^2) SVD); Cartan and ojAlgo leave the input untouched.
 * {@code -p threads=2} applies to Cartan's methods only (the peers run on one thread whatever it says).
 * The whole comparison, with OpenBLAS's dgesdd/sgesdd/dgesvd on the same shapes in the same run and one table of
 * ratios: {@code bench/scripts/run_svd_comparison.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.VECTOR_MODULE, BenchJvm.TRAP_LIMIT, "-Xmx6g"})
public class FastSvdBench {

  @Param({"256x256", "512x512", "1024x1024"})
  public String shape;

  /** Panel width of the blocked reduction; 0 = unblocked (compare while the interim GEMM is a naive loop). */
  @Param({"32"})
  public int panel;

  /**
   * Threads inside one Cartan SVD ({@code -p threads=1,2}): the GEMM-rich steps split over the common fork-join
   * pool (the peers run on one thread).
   */
  @Param({"1"})
  public int threads;

  private BidiagonalSvd cartan;

  private int m;
  private int n;
  private DMatrix a;
  private FMatrix af;
  private double[] rowMajor;
  private float[] rowMajorF;
  private R064Store ojalgo;
  private double[][] rows;

  @Setup(Level.Trial)
  public void setup() {
    cartan = new BidiagonalSvd(KernelProvider.get(), panel, BidiagonalSvd.DEFAULT_CROSSOVER,
        BidiagonalSvd.DEFAULT_QR_RATIO_SIXTHS);
    String[] p = shape.split("x");
    m = Integer.parseInt(p[0]);
    n = Integer.parseInt(p[1]);
    Random r = new Random(42);
    a = DMatrix.zeros(m, n);
    af = FMatrix.zeros(m, n);
    rowMajor = new double[m * n];
    rowMajorF = new float[m * n];
    double[] colMajor = new double[m * n];
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        double v = r.nextGaussian();
        a.set(i, j, v);
        af.set(i, j, (float) v);
        rowMajor[i * n + j] = v;
        rowMajorF[i * n + j] = (float) v;
        colMajor[i + j * m] = v;
      }
    }
    ojalgo = R064Store.wrap(colMajor, m);
    if ((long) m * n <= 512 * 512) {
      rows = a.toRows();
    }
    if ((long) m * n <= CHECK_LIMIT) {
      checkOnce();
    }
  }

  /**
   * Largest input (elements) whose values are checked against ojAlgo's in the setup: beyond it ojAlgo's SVD alone
   * takes tens of seconds per trial (the test suites check the fast SVD's accuracy at every size).
   */
  static final long CHECK_LIMIT = 1L << 22;

  /** Cartan's values agree with ojAlgo's to backward-stable accuracy (checked once per trial). */
  private void checkOnce() {
    double[] ours = cartan.computeValues(a).values();
    SingularValue<Double> svd = SingularValue.R064.make(ojalgo, false);
    svd.computeValuesOnly(ojalgo);
    double[] theirs = new double[ours.length];
    svd.getSingularValues(theirs);
    double tol = 1e-10 * ours[0];
    for (int i = 0; i < ours.length; i++) {
      if (Math.abs(ours[i] - theirs[i]) > tol) {
        throw new IllegalStateException(
            "value " + i + " differs: cartan " + ours[i] + ", ojAlgo " + theirs[i] + " (" + shape + ")");
      }
    }
  }

  @Benchmark
  public double[] cartanValues() {
    return cartan.computeValues(a, threads).values();
  }

  @Benchmark
  public Object cartanVectors() {
    return cartan.compute(a, false, threads);
  }

  @Benchmark
  public double[] cartanValuesF32() {
    return cartan.computeValues(af, threads).values();
  }

  @Benchmark
  public Object cartanVectorsF32() {
    return Svd.decompose(af, SvdOptions.thin().withMethod(SvdOptions.Method.FAST).withThreads(threads));
  }

  @Benchmark
  public double[] ojalgoValues() {
    SingularValue<Double> svd = SingularValue.R064.make(ojalgo, false);
    svd.computeValuesOnly(ojalgo);
    double[] s = new double[Math.min(m, n)];
    svd.getSingularValues(s);
    return s;
  }

  @Benchmark
  public Object ojalgoVectors() {
    SingularValue<Double> svd = SingularValue.R064.make(ojalgo, false);
    svd.decompose(ojalgo);
    return svd.getU();
  }

  @Benchmark
  public double[] ejmlValues() {
    SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m, n, false, false, true);
    svd.decompose(new DMatrixRMaj(m, n, true, rowMajor));
    return svd.getSingularValues();
  }

  @Benchmark
  public Object ejmlVectors() {
    SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m, n, true, true, true);
    svd.decompose(new DMatrixRMaj(m, n, true, rowMajor));
    return svd.getU(null, false);
  }

  @Benchmark
  public float[] ejmlValuesF32() {
    SingularValueDecomposition_F32<FMatrixRMaj> svd = DecompositionFactory_FDRM.svd(m, n, false, false, true);
    svd.decompose(new FMatrixRMaj(m, n, true, rowMajorF));
    return svd.getSingularValues();
  }

  @Benchmark
  public Object ejmlVectorsF32() {
    SingularValueDecomposition_F32<FMatrixRMaj> svd = DecompositionFactory_FDRM.svd(m, n, true, true, true);
    svd.decompose(new FMatrixRMaj(m, n, true, rowMajorF));
    return svd.getU(null, false);
  }

  @Benchmark
  public double[] commonsVectors() {
    if (rows == null) {
      throw new IllegalStateException("Commons Math skipped above 512x512 (" + shape + ")");
    }
    return new SingularValueDecomposition(new Array2DRowRealMatrix(rows, false)).getSingularValues();
  }
}
