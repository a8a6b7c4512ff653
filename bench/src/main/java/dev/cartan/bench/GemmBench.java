package dev.cartan.bench;

import dev.cartan.kernels.DMatrix;
import dev.cartan.kernels.FMatrix;
import dev.cartan.kernels.Gemm;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ojalgo.OjAlgoUtils;
import org.ojalgo.matrix.store.R032Store;
import org.ojalgo.matrix.store.R064Store;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Square {@code C = A B} of size n in one thread: Cartan's packed GEMM beside EJML ({@code CommonOps_DDRM.mult},
 * {@code CommonOps_FDRM.mult}) and ojAlgo ({@code R064Store/R032Store.fillByMultiplying}, limited to one thread
 * with {@code OjAlgoUtils.limitThreadsTo(1)}), on the same matrices. Reports time per multiply; GFLOP/s is
 * {@code 2 n^3 / t} (bench/scripts/run_gemm_comparison.sh prints it). Every library's product is checked once, at
 * setup, on sampled elements against a dot product in double.
 *
 * <p>C is overwritten by each call (beta = 0), so no per-invocation copy is needed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.VECTOR_MODULE, BenchJvm.TRAP_LIMIT})
public class GemmBench {
  @Param({"64", "128", "256", "512", "1024", "2048"})
  public int size;

  DMatrix ca;
  DMatrix cb;
  DMatrix cc;
  FMatrix fa;
  FMatrix fb;
  FMatrix fc;
  DMatrixRMaj ea;
  DMatrixRMaj eb;
  DMatrixRMaj ec;
  FMatrixRMaj efa;
  FMatrixRMaj efb;
  FMatrixRMaj efc;
  R064Store oa;
  R064Store ob;
  R064Store oc;
  R032Store ofa;
  R032Store ofb;
  R032Store ofc;

  @Setup
  public void setup() {
    OjAlgoUtils.limitThreadsTo(1);
    int n = size;
    Random rnd = new Random(42);
    ca = DMatrix.zeros(n, n);
    cb = DMatrix.zeros(n, n);
    cc = DMatrix.zeros(n, n);
    fa = FMatrix.zeros(n, n);
    fb = FMatrix.zeros(n, n);
    fc = FMatrix.zeros(n, n);
    ea = new DMatrixRMaj(n, n);
    eb = new DMatrixRMaj(n, n);
    ec = new DMatrixRMaj(n, n);
    efa = new FMatrixRMaj(n, n);
    efb = new FMatrixRMaj(n, n);
    efc = new FMatrixRMaj(n, n);
    oa = R064Store.FACTORY.make(n, n);
    ob = R064Store.FACTORY.make(n, n);
    oc = R064Store.FACTORY.make(n, n);
    ofa = R032Store.FACTORY.make(n, n);
    ofb = R032Store.FACTORY.make(n, n);
    ofc = R032Store.FACTORY.make(n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double x = rnd.nextDouble() * 2 - 1;
        double y = rnd.nextDouble() * 2 - 1;
        ca.set(i, j, x);
        cb.set(i, j, y);
        fa.set(i, j, (float) x);
        fb.set(i, j, (float) y);
        ea.set(i, j, x);
        eb.set(i, j, y);
        efa.set(i, j, (float) x);
        efb.set(i, j, (float) y);
        oa.set(i, j, x);
        ob.set(i, j, y);
        ofa.set(i, j, (float) x);
        ofb.set(i, j, (float) y);
      }
    }
    checkAnswers();
  }

  private void checkAnswers() {
    cartanF64();
    cartanF32();
    ejmlF64();
    ejmlF32();
    ojalgoF64();
    ojalgoF32();
    Random rnd = new Random(7);
    for (int t = 0; t < 64; t++) {
      int i = rnd.nextInt(size);
      int j = rnd.nextInt(size);
      double s = 0;
      double abs = 0;
      for (int p = 0; p < size; p++) {
        s += ca.get(i, p) * cb.get(p, j);
        abs += Math.abs(ca.get(i, p) * cb.get(p, j));
      }
      double tol64 = 1e-14 * size * abs + 1e-300;
      double tol32 = 1e-6 * size * abs;
      check("Cartan f64", cc.get(i, j), s, tol64);
      check("EJML f64", ec.get(i, j), s, tol64);
      check("ojAlgo f64", oc.doubleValue(i, j), s, tol64);
      check("Cartan f32", fc.get(i, j), s, tol32);
      check("EJML f32", efc.get(i, j), s, tol32);
      check("ojAlgo f32", ofc.doubleValue(i, j), s, tol32);
    }
  }

  private static void check(String who, double got, double expect, double tol) {
    if (!(Math.abs(got - expect) <= tol)) {
      throw new IllegalStateException(who + " product is wrong: " + got + " vs " + expect);
    }
  }

  /** Cartan f64 on the provider this JVM chose (SIMD under the fork's --add-modules). */
  @Benchmark
  public DMatrix cartanF64() {
    Gemm.gemm(1.0, ca, cb, 0.0, cc);
    return cc;
  }

  /** The same product on two threads ({@code Gemm.gemm(..., threads)}); compare with cartanF64 in one run. */
  @Benchmark
  public DMatrix cartanF64TwoThreads() {
    Gemm.gemm(1.0, ca, cb, 0.0, cc, 2);
    return cc;
  }

  @Benchmark
  public DMatrixRMaj ejmlF64() {
    CommonOps_DDRM.mult(ea, eb, ec);
    return ec;
  }

  @Benchmark
  public R064Store ojalgoF64() {
    oc.fillByMultiplying(oa, ob);
    return oc;
  }

  @Benchmark
  public FMatrix cartanF32() {
    Gemm.gemm(1f, fa, fb, 0f, fc);
    return fc;
  }

  @Benchmark
  public FMatrixRMaj ejmlF32() {
    CommonOps_FDRM.mult(efa, efb, efc);
    return efc;
  }

  @Benchmark
  public R032Store ojalgoF32() {
    ofc.fillByMultiplying(ofa, ofb);
    return ofc;
  }
}
