package dev.cartan.core;

import java.util.PriorityQueue;
import java.util.function.DoubleUnaryOperator;

/**
 * Globally adaptive Gauss-Kronrod quadrature (7-point Gauss embedded in the 15-point Kronrod rule, as QUADPACK's
 * QK15/QAG: Piessens et al., <i>QUADPACK</i>, Springer 1983, sections 2.2 and 3.3). The interval with the largest
 * error estimate {@code |K15 - G7|} is bisected until the summed estimate is at most
 * {@code max(relTol |I|, absTol)} or the interval cap is reached; the result says which.
 */
public final class Quadrature {
  private static final double[] XGK = {
    0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
    0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
    0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
    0.207784955007898467600689403773245, 0.000000000000000000000000000000000
  };
  private static final double[] WGK = {
    0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
    0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
    0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
    0.204432940075298892414161999234649, 0.209482141084727828012999174891714
  };
  /** Gauss weights of the nodes XGK[1], XGK[3], XGK[5], XGK[7]. */
  private static final double[] WG = {
    0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
    0.381830050505118944950369775488975, 0.417959183673469387755102040816327
  };

  /** Default relative tolerance (THEORY.md 4.3). */
  public static final double DEFAULT_REL_TOL = 1e-10;
  /** Default cap on the number of subintervals. */
  public static final int DEFAULT_MAX_INTERVALS = 2000;

  private Quadrature() {}

  /**
   * A quadrature result: the value, the summed error estimate, whether the tolerance was met within the cap,
   * and the number of integrand evaluations.
   */
  public record Result(double value, double errorEstimate, boolean converged, int evaluations) {}

  private record Piece(double a, double b, double value, double error) {}

  /**
   * {@code integral_a^b f(u) du} (signed: {@code b < a} gives the negative), for a finite integrand on the finite
   * interval.
   *
   * @throws IllegalArgumentException if a bound or a tolerance is not finite or the tolerance is negative, the
   *     interval cap is below 1, or {@code f} returns a non-finite value
   */
  public static Result integrate(DoubleUnaryOperator f, double a, double b, double relTol, double absTol,
      int maxIntervals) {
    if (f == null) {
      throw new IllegalArgumentException("integrand is null");
    }
    if (!Double.isFinite(a) || !Double.isFinite(b)) {
      throw new IllegalArgumentException("integration bounds must be finite: [" + a + ", " + b + "]");
    }
    if (!(relTol >= 0) || !(absTol >= 0) || Double.isInfinite(relTol) || Double.isInfinite(absTol)) {
      throw new IllegalArgumentException("tolerances must be finite and >= 0: relTol " + relTol + ", absTol "
          + absTol);
    }
    if (maxIntervals < 1) {
      throw new IllegalArgumentException("maxIntervals must be >= 1, got " + maxIntervals);
    }
    if (a == b) {
      return new Result(0, 0, true, 0);
    }
    if (b < a) {
      Result r = integrate(f, b, a, relTol, absTol, maxIntervals);
      return new Result(-r.value(), r.errorEstimate(), r.converged(), r.evaluations());
    }
    PriorityQueue<Piece> queue = new PriorityQueue<>((x, y) -> Double.compare(y.error(), x.error()));
    Piece first = rule(f, a, b);
    queue.add(first);
    double total = first.value();
    double error = first.error();
    int evaluations = 15;
    while (error > Math.max(relTol * Math.abs(total), absTol) && queue.size() < maxIntervals) {
      Piece worst = queue.poll();
      double mid = 0.5 * (worst.a() + worst.b());
      if (mid <= worst.a() || mid >= worst.b()) {
        queue.add(worst); // cannot split further in double precision
        break;
      }
      Piece left = rule(f, worst.a(), mid);
      Piece right = rule(f, mid, worst.b());
      evaluations += 30;
      queue.add(left);
      queue.add(right);
      // Re-sum rather than update incrementally, so cancellation in the running sums cannot accumulate.
      total = 0;
      error = 0;
      for (Piece p : queue) {
        total += p.value();
        error += p.error();
      }
    }
    return new Result(total, error, error <= Math.max(relTol * Math.abs(total), absTol), evaluations);
  }

  /** {@link #integrate(DoubleUnaryOperator, double, double, double, double, int)} with the defaults. */
  public static Result integrate(DoubleUnaryOperator f, double a, double b) {
    return integrate(f, a, b, DEFAULT_REL_TOL, 0, DEFAULT_MAX_INTERVALS);
  }

  private static Piece rule(DoubleUnaryOperator f, double a, double b) {
    double c = 0.5 * (a + b);
    double h = 0.5 * (b - a);
    double fc = eval(f, c);
    double kronrod = fc * WGK[7];
    double gauss = fc * WG[3];
    for (int j = 0; j < 7; j++) {
      double x = h * XGK[j];
      double f1 = eval(f, c - x);
      double f2 = eval(f, c + x);
      kronrod += WGK[j] * (f1 + f2);
      if (j % 2 == 1) {
        gauss += WG[j / 2] * (f1 + f2);
      }
    }
    return new Piece(a, b, kronrod * h, Math.abs((kronrod - gauss) * h));
  }

  private static double eval(DoubleUnaryOperator f, double x) {
    double y = f.applyAsDouble(x);
    if (!Double.isFinite(y)) {
      throw new IllegalArgumentException("integrand is " + y + " at " + x);
    }
    return y;
  }
}
