package dev.cartan.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's single-thread FMA peak as the Vector API reaches it: 16 independent accumulator chains of
 * {@code acc = acc * x + y} on the preferred species, all in registers. 16 chains exceed latency x throughput
 * (4-5 cycles x 2 FMA pipes on current x86 cores), so the loop is bound by FMA issue, not by the dependency
 * chains. Throughput is reported in flops per nanosecond, i.e. GFLOP/s (one FMA lane = 2 flops).
 *
 * <p>{@code @OperationsPerInvocation} must be a constant, so it counts 8 float64 / 16 float32 lanes (512-bit
 * vectors, this project's benchmark machine); on a 256-bit machine halve the printed figure.
 *
 * <p>The answer is checked once: with x = 1 and y = 2^-20 every chain grows by exactly y per step, so after
 * {@code STEPS} steps each lane equals its start plus {@code STEPS * y}, exactly.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {BenchJvm.VECTOR_MODULE, BenchJvm.TRAP_LIMIT})
public class FmaPeakBench {
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int STEPS = 1 << 16;
  private static final int CHAINS = 16;

  public double x = 1.0;
  public double y = 0x1p-20;

  @Setup
  public void check() {
    double got = f64();
    // Each of the 16 x lanes chains starts at its index c (0..15) and gains STEPS * y.
    double expect = D.length() * (CHAINS * (CHAINS - 1) / 2.0 + CHAINS * STEPS * y);
    if (got != expect) {
      throw new IllegalStateException("FMA peak kernel wrong: " + got + " vs " + expect);
    }
    float gotF = f32();
    float expectF = (float) (F.length() * (CHAINS * (CHAINS - 1) / 2.0 + CHAINS * STEPS * y));
    if (gotF != expectF) {
      throw new IllegalStateException("FMA peak kernel (f32) wrong: " + gotF + " vs " + expectF);
    }
  }

  @Benchmark
  @OperationsPerInvocation(2 * CHAINS * STEPS * 8)
  public double f64() {
    DoubleVector m = DoubleVector.broadcast(D, x);
    DoubleVector a = DoubleVector.broadcast(D, y);
    DoubleVector c0 = DoubleVector.broadcast(D, 0);
    DoubleVector c1 = DoubleVector.broadcast(D, 1);
    DoubleVector c2 = DoubleVector.broadcast(D, 2);
    DoubleVector c3 = DoubleVector.broadcast(D, 3);
    DoubleVector c4 = DoubleVector.broadcast(D, 4);
    DoubleVector c5 = DoubleVector.broadcast(D, 5);
    DoubleVector c6 = DoubleVector.broadcast(D, 6);
    DoubleVector c7 = DoubleVector.broadcast(D, 7);
    DoubleVector c8 = DoubleVector.broadcast(D, 8);
    DoubleVector c9 = DoubleVector.broadcast(D, 9);
    DoubleVector c10 = DoubleVector.broadcast(D, 10);
    DoubleVector c11 = DoubleVector.broadcast(D, 11);
    DoubleVector c12 = DoubleVector.broadcast(D, 12);
    DoubleVector c13 = DoubleVector.broadcast(D, 13);
    DoubleVector c14 = DoubleVector.broadcast(D, 14);
    DoubleVector c15 = DoubleVector.broadcast(D, 15);
    for (int s = 0; s < STEPS; s++) {
      c0 = c0.fma(m, a);
      c1 = c1.fma(m, a);
      c2 = c2.fma(m, a);
      c3 = c3.fma(m, a);
      c4 = c4.fma(m, a);
      c5 = c5.fma(m, a);
      c6 = c6.fma(m, a);
      c7 = c7.fma(m, a);
      c8 = c8.fma(m, a);
      c9 = c9.fma(m, a);
      c10 = c10.fma(m, a);
      c11 = c11.fma(m, a);
      c12 = c12.fma(m, a);
      c13 = c13.fma(m, a);
      c14 = c14.fma(m, a);
      c15 = c15.fma(m, a);
    }
    DoubleVector t = c0.add(c1).add(c2.add(c3)).add(c4.add(c5).add(c6.add(c7)));
    DoubleVector u = c8.add(c9).add(c10.add(c11)).add(c12.add(c13).add(c14.add(c15)));
    return t.add(u).reduceLanes(VectorOperators.ADD);
  }

  @Benchmark
  @OperationsPerInvocation(2 * CHAINS * STEPS * 16)
  public float f32() {
    FloatVector m = FloatVector.broadcast(F, (float) x);
    FloatVector a = FloatVector.broadcast(F, (float) y);
    FloatVector c0 = FloatVector.broadcast(F, 0);
    FloatVector c1 = FloatVector.broadcast(F, 1);
    FloatVector c2 = FloatVector.broadcast(F, 2);
    FloatVector c3 = FloatVector.broadcast(F, 3);
    FloatVector c4 = FloatVector.broadcast(F, 4);
    FloatVector c5 = FloatVector.broadcast(F, 5);
    FloatVector c6 = FloatVector.broadcast(F, 6);
    FloatVector c7 = FloatVector.broadcast(F, 7);
    FloatVector c8 = FloatVector.broadcast(F, 8);
    FloatVector c9 = FloatVector.broadcast(F, 9);
    FloatVector c10 = FloatVector.broadcast(F, 10);
    FloatVector c11 = FloatVector.broadcast(F, 11);
    FloatVector c12 = FloatVector.broadcast(F, 12);
    FloatVector c13 = FloatVector.broadcast(F, 13);
    FloatVector c14 = FloatVector.broadcast(F, 14);
    FloatVector c15 = FloatVector.broadcast(F, 15);
    for (int s = 0; s < STEPS; s++) {
      c0 = c0.fma(m, a);
      c1 = c1.fma(m, a);
      c2 = c2.fma(m, a);
      c3 = c3.fma(m, a);
      c4 = c4.fma(m, a);
      c5 = c5.fma(m, a);
      c6 = c6.fma(m, a);
      c7 = c7.fma(m, a);
      c8 = c8.fma(m, a);
      c9 = c9.fma(m, a);
      c10 = c10.fma(m, a);
      c11 = c11.fma(m, a);
      c12 = c12.fma(m, a);
      c13 = c13.fma(m, a);
      c14 = c14.fma(m, a);
      c15 = c15.fma(m, a);
    }
    FloatVector t = c0.add(c1).add(c2.add(c3)).add(c4.add(c5).add(c6.add(c7)));
    FloatVector u = c8.add(c9).add(c10.add(c11)).add(c12.add(c13).add(c14.add(c15)));
    return t.add(u).reduceLanes(VectorOperators.ADD);
  }
}
