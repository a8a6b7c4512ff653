package dev.cartan.cli.report;

import java.util.ArrayList;
import java.util.List;

/**
 * One axis of a plot: a data range mapped to a pixel range, linear or base-10 logarithmic, with "nice" ticks
 * (1, 2 or 5 times a power of ten for linear axes; powers of ten for log axes).
 */
final class Axis {
  final boolean log;
  final double lo;
  final double hi;

  private Axis(boolean log, double lo, double hi) {
    this.log = log;
    this.lo = lo;
    this.hi = hi;
  }

  /**
   * An axis covering the finite values of {@code values} (positive ones only when {@code log}), widened to nice
   * bounds. An empty or single-valued range becomes a unit-wide range around the value.
   */
  static Axis covering(double[] values, boolean log) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      if (Double.isFinite(v) && (!log || v > 0)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    if (min > max) {
      return log ? new Axis(true, 0, 1) : new Axis(false, 0, 1);
    }
    if (log) {
      double a = Math.floor(Math.log10(min));
      double b = Math.ceil(Math.log10(max));
      if (b <= a) {
        b = a + 1;
      }
      return new Axis(true, a, b);
    }
    if (max == min) {
      double pad = min == 0 ? 1 : Math.abs(min) * 0.5;
      min -= pad;
      max += pad;
    }
    double step = niceStep((max - min) / 5);
    return new Axis(false, Math.floor(min / step) * step, Math.ceil(max / step) * step);
  }

  /** The smallest of 1, 2, 5 times a power of ten that is at least {@code raw} (raw > 0). */
  static double niceStep(double raw) {
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / p;
    double m = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return m * p;
  }

  /** Position of {@code v} in [0, 1] along the axis (outside for values outside the range); NaN if unplottable. */
  double fraction(double v) {
    if (!Double.isFinite(v) || (log && v <= 0)) {
      return Double.NaN;
    }
    double t = log ? Math.log10(v) : v;
    return (t - lo) / (hi - lo);
  }

  /** Tick values in data units, at most about 8 of them. */
  List<Double> ticks() {
    List<Double> t = new ArrayList<>();
    if (log) {
      int decades = (int) Math.round(hi - lo);
      int every = Math.max(1, (int) Math.ceil(decades / 8.0));
      for (int e = (int) lo; e <= (int) hi; e += every) {
        t.add(Math.pow(10, e));
      }
      return t;
    }
    double step = niceStep((hi - lo) / 6);
    long first = (long) Math.ceil(lo / step - 1e-9);
    long last = (long) Math.floor(hi / step + 1e-9);
    for (long i = first; i <= last; i++) {
      t.add(i * step);
    }
    return t;
  }

  /** A short label for a tick value. */
  String label(double v) {
    if (log) {
      return "1e" + (int) Math.round(Math.log10(v));
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e6) {
      return Long.toString((long) v);
    }
    String s = String.format(java.util.Locale.ROOT, "%.3g", v);
    return s.contains("e") ? s : s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}
