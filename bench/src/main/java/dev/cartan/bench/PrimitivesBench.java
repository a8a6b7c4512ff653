package dev.cartan.bench;

import dev.cartan.kernels.DoubleKernels;
import dev.cartan.kernels.FloatKernels;
import dev.cartan.kernels.KernelProvider;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * Every primitive of {@link DoubleKernels} and {@link FloatKernels} except the GEMM micro-kernel, on the scalar
 * and the SIMD provider, same inputs, same run: the ratio is the result. Vectors have n elements; the matrix
 * primitives work on an n x 8 block (8 columns: two of the SIMD kernels' four-column blocks).
 *
 * <p>Kernels that overwrite their input (axpy, scal, rotate, the Householder updates) run on it repeatedly
 * without a copy, because repetition keeps the data in range: scal multiplies by 1, axpy adds 1e-12 x, the
 * rotation and the reflectors are orthogonal. Only householder, whose output is not a valid input, copies x
 * first, inside the measured method (both providers pay the same O(n) copy, which dilutes that ratio).
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar PrimitivesBench -p n=1024}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.VECTOR_MODULE, BenchJvm.TRAP_LIMIT})
public class PrimitivesBench {
  private static final int COLS = 8;

  @Param({"scalar", "simd"})
  public String provider;

  @Param({"64", "1021", "1024", "16384"})
  public int n;

  // Non-final inputs, so the JIT cannot constant-fold them.
  public DoubleKernels d;
  public FloatKernels f;
  public double[] dx;
  public double[] dy;
  public double[] dwork;
  public double[] dmat;
  public double[] dv;
  public double[] dvCols;
  public double[] dout;
  public double dtau;
  public double dtauCols;
  public float[] fx;
  public float[] fy;
  public float[] fwork;
  public float[] fmat;
  public float[] fv;
  public float[] fvCols;
  public float ftau;
  public float ftauCols;
  public double one = 1.0;
  public double tiny = 1e-12;
  public double cos = Math.cos(0.3);
  public double sin = Math.sin(0.3);

  @Setup(Level.Trial)
  public void setUp() {
    KernelProvider p = "simd".equals(provider)
        ? KernelProvider.simd().orElseThrow(() -> new IllegalStateException("SIMD provider unavailable"))
        : KernelProvider.scalar();
    d = p.f64();
    f = p.f32();
    Random r = new Random(42);
    dx = gaussian(r, n);
    dy = gaussian(r, n);
    dwork = new double[Math.max(n, COLS)];
    dmat = gaussian(r, n * COLS);
    dv = gaussian(r, n);
    dtau = d.householder(n, dv, 0);
    dvCols = gaussian(r, COLS);
    dtauCols = d.householder(COLS, dvCols, 0);
    dout = new double[3];
    fx = toFloat(dx);
    fy = toFloat(dy);
    fwork = new float[Math.max(n, COLS)];
    fmat = toFloat(dmat);
    fv = toFloat(gaussian(r, n));
    ftau = f.householder(n, fv, 0);
    fvCols = toFloat(dvCols);
    ftauCols = (float) dtauCols;
    checkAgainstScalar(p);
  }

  private static double[] gaussian(Random r, int len) {
    double[] a = new double[len];
    for (int i = 0; i < len; i++) {
      a[i] = r.nextGaussian();
    }
    return a;
  }

  private static float[] toFloat(double[] a) {
    float[] b = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = (float) a[i];
    }
    return b;
  }

  /** Checks the answers once: the chosen provider against the scalar one on this trial's inputs. */
  private void checkAgainstScalar(KernelProvider p) {
    DoubleKernels s = KernelProvider.scalar().f64();
    FloatKernels sf = KernelProvider.scalar().f32();
    double ref = s.sumSquares(n, dx, 0);
    close("dot", s.dot(n, dx, 0, dx, 0), d.dot(n, dx, 0, dx, 0), ref, 1e-12);
    close("nrm2", s.nrm2(n, dx, 0), d.nrm2(n, dx, 0), Math.sqrt(ref), 1e-12);
    close("amax", s.amax(n, dx, 0), d.amax(n, dx, 0), 1, 0);
    double[] ys = new double[n];
    double[] yv = new double[n];
    s.gemvTransposed(n, COLS, 1.0, dmat, 0, n, dx, 0, 0.0, ys, 0);
    d.gemvTransposed(n, COLS, 1.0, dmat, 0, n, dx, 0, 0.0, yv, 0);
    for (int j = 0; j < COLS; j++) {
      close("gemvTransposed", ys[j], yv[j], Math.sqrt(ref * n), 1e-12);
    }
    double[][] a = {dmat.clone(), dmat.clone()};
    double[] w = new double[Math.max(n, COLS)];
    DoubleKernels[] ks = {s, d};
    double[][] g = new double[2][n];
    for (int k = 0; k < 2; k++) {
      ks[k].applyHouseholderLeft(n, COLS, dv, 0, dtau, a[k], 0, n, w);
      ks[k].applyHouseholderRight(n, COLS, dvCols, 0, dtauCols, a[k], 0, n, w);
      ks[k].gemv(n, COLS, 1.0, a[k], 0, n, dx, 0, 0.0, g[k], 0);
    }
    closeArrays("Householder updates", a[0], a[1], 1e-10);
    closeArrays("gemv", g[0], g[1], 1e-10);
    double[][] xy = {dx.clone(), dy.clone(), dx.clone(), dy.clone()};
    double[][] outs = new double[2][3];
    s.rotate(n, xy[0], 0, xy[1], 0, cos, sin, outs[0]);
    d.rotate(n, xy[2], 0, xy[3], 0, cos, sin, outs[1]);
    closeArrays("rotate", xy[0], xy[2], 1e-12);
    closeArrays("rotate by-products", outs[0], outs[1], 1e-12);
    close("householder", s.householder(n, xy[0], 0), d.householder(n, xy[2], 0), 1, 1e-12);

    double fref = sf.sumSquares(n, fx, 0);
    close("f32 dot", sf.dot(n, fx, 0, fx, 0), f.dot(n, fx, 0, fx, 0), fref, 1e-5);
    close("f32 nrm2", sf.nrm2(n, fx, 0), f.nrm2(n, fx, 0), Math.sqrt(fref), 1e-12);
    close("f32 amax", sf.amax(n, fx, 0), f.amax(n, fx, 0), 1, 0);
    float[][] fa = {fmat.clone(), fmat.clone()};
    float[] fw = new float[Math.max(n, COLS)];
    FloatKernels[] fks = {sf, f};
    float[][] fg = new float[2][COLS];
    for (int k = 0; k < 2; k++) {
      fks[k].applyHouseholderLeft(n, COLS, fv, 0, ftau, fa[k], 0, n, fw);
      fks[k].applyHouseholderRight(n, COLS, fvCols, 0, ftauCols, fa[k], 0, n, fw);
      fks[k].gemvTransposed(n, COLS, 1f, fa[k], 0, n, fx, 0, 0f, fg[k], 0);
    }
    closeArrays("f32 Householder updates", toDouble(fa[0]), toDouble(fa[1]), 1e-4);
    closeArrays("f32 gemvTransposed", toDouble(fg[0]), toDouble(fg[1]), 1e-4);
    float[][] fxy = {fx.clone(), fy.clone(), fx.clone(), fy.clone()};
    sf.rotate(n, fxy[0], 0, fxy[1], 0, (float) cos, (float) sin, outs[0]);
    f.rotate(n, fxy[2], 0, fxy[3], 0, (float) cos, (float) sin, outs[1]);
    closeArrays("f32 rotate", toDouble(fxy[0]), toDouble(fxy[2]), 1e-6);
    closeArrays("f32 rotate by-products", outs[0], outs[1], 1e-6);
  }

  private static double[] toDouble(float[] a) {
    double[] b = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      b[i] = a[i];
    }
    return b;
  }

  /** max |expected - actual| <= rel * max |expected|. */
  private void closeArrays(String what, double[] expected, double[] actual, double rel) {
    double scale = 0;
    double diff = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
    }
    if (!(diff <= rel * scale)) {
      throw new IllegalStateException(provider + " " + what + " n=" + n + ": max difference " + diff
          + " from scalar at scale " + scale);
    }
  }

  private void close(String what, double expected, double actual, double scale, double rel) {
    if (!(Math.abs(expected - actual) <= rel * scale)) {
      throw new IllegalStateException(provider + " " + what + " n=" + n + ": " + actual + " vs scalar " + expected);
    }
  }

  // ---------------------------------------------------------------- float64

  @Benchmark
  public double dotF64() {
    return d.dot(n, dx, 0, dy, 0);
  }

  @Benchmark
  public double[] axpyF64() {
    d.axpy(n, tiny, dx, 0, dy, 0);
    return dy;
  }

  @Benchmark
  public double[] scalF64() {
    d.scal(n, one, dy, 0);
    return dy;
  }

  @Benchmark
  public double amaxF64() {
    return d.amax(n, dx, 0);
  }

  @Benchmark
  public double sumSquaresF64() {
    return d.sumSquares(n, dx, 0);
  }

  @Benchmark
  public double nrm2F64() {
    return d.nrm2(n, dx, 0);
  }

  @Benchmark
  public double[] rotateF64() {
    d.rotate(n, dx, 0, dy, 0, cos, sin, dout);
    return dout;
  }

  @Benchmark
  public double householderF64() {
    System.arraycopy(dy, 0, dwork, 0, n);
    return d.householder(n, dwork, 0);
  }

  @Benchmark
  public double[] householderLeftF64() {
    d.applyHouseholderLeft(n, COLS, dv, 0, dtau, dmat, 0, n, dwork);
    return dmat;
  }

  @Benchmark
  public double[] householderRightF64() {
    d.applyHouseholderRight(n, COLS, dvCols, 0, dtauCols, dmat, 0, n, dwork);
    return dmat;
  }

  @Benchmark
  public double[] gemvF64() {
    d.gemv(n, COLS, 1.0, dmat, 0, n, dx, 0, 0.0, dwork, 0);
    return dwork;
  }

  @Benchmark
  public double[] gemvTransposedF64() {
    d.gemvTransposed(n, COLS, 1.0, dmat, 0, n, dx, 0, 0.0, dwork, 0);
    return dwork;
  }

  // ---------------------------------------------------------------- float32

  @Benchmark
  public float dotF32() {
    return f.dot(n, fx, 0, fy, 0);
  }

  @Benchmark
  public float[] axpyF32() {
    f.axpy(n, (float) tiny, fx, 0, fy, 0);
    return fy;
  }

  @Benchmark
  public float[] scalF32() {
    f.scal(n, (float) one, fy, 0);
    return fy;
  }

  @Benchmark
  public float amaxF32() {
    return f.amax(n, fx, 0);
  }

  @Benchmark
  public double sumSquaresF32() {
    return f.sumSquares(n, fx, 0);
  }

  @Benchmark
  public double nrm2F32() {
    return f.nrm2(n, fx, 0);
  }

  @Benchmark
  public double[] rotateF32() {
    f.rotate(n, fx, 0, fy, 0, (float) cos, (float) sin, dout);
    return dout;
  }

  @Benchmark
  public float householderF32() {
    System.arraycopy(fy, 0, fwork, 0, n);
    return f.householder(n, fwork, 0);
  }

  @Benchmark
  public float[] householderLeftF32() {
    f.applyHouseholderLeft(n, COLS, fv, 0, ftau, fmat, 0, n, fwork);
    return fmat;
  }

  @Benchmark
  public float[] householderRightF32() {
    f.applyHouseholderRight(n, COLS, fvCols, 0, ftauCols, fmat, 0, n, fwork);
    return fmat;
  }

  @Benchmark
  public float[] gemvF32() {
    f.gemv(n, COLS, 1f, fmat, 0, n, fx, 0, 0f, fwork, 0);
    return fwork;
  }

  @Benchmark
  public float[] gemvTransposedF32() {
    f.gemvTransposed(n, COLS, 1f, fmat, 0, n, fx, 0, 0f, fwork, 0);
    return fwork;
  }
}
