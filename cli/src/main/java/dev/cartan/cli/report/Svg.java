package dev.cartan.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Self-contained inline SVG charts for the HTML report: line/point plots on linear or log axes, and bar charts.
 * No scripts, no external resources; non-finite points are skipped (never drawn at a wrong place).
 */
public final class Svg {
  /** Colours for successive series (colour-blind-safe palette). */
  static final String[] PALETTE = {"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000"};

  private static final int LEFT = 64;
  private static final int RIGHT = 16;
  private static final int TOP = 28;
  private static final int BOTTOM = 44;

  private Svg() {}

  /** One series of a line plot. */
  public record Series(String name, double[] x, double[] y, boolean lines, boolean points) {
    public Series {
      if (x.length != y.length) {
        throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x and " + y.length + " y");
      }
    }
  }

  /**
   * A plot of the given series.
   *
   * @param title plot title (escaped)
   * @param xLabel x-axis label
   * @param yLabel y-axis label
   * @param logX base-10 log x axis (non-positive x skipped)
   * @param logY base-10 log y axis (non-positive y skipped)
   */
  public static String plot(String title, String xLabel, String yLabel, boolean logX, boolean logY,
      List<Series> series, int width, int height) {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (Series s : series) {
      for (int i = 0; i < s.x.length; i++) {
        xs.add(s.x[i]);
        ys.add(s.y[i]);
      }
    }
    Axis ax = Axis.covering(xs.stream().mapToDouble(Double::doubleValue).toArray(), logX);
    Axis ay = Axis.covering(ys.stream().mapToDouble(Double::doubleValue).toArray(), logY);
    StringBuilder sb = open(title, width, height);
    int pw = width - LEFT - RIGHT;
    int ph = height - TOP - BOTTOM;
    frame(sb, ax, ay, xLabel, yLabel, width, height, pw, ph);
    for (int k = 0; k < series.size(); k++) {
      Series s = series.get(k);
      String colour = PALETTE[k % PALETTE.length];
      StringBuilder path = new StringBuilder();
      StringBuilder dots = new StringBuilder();
      boolean penDown = false;
      for (int i = 0; i < s.x.length; i++) {
        double fx = ax.fraction(s.x[i]);
        double fy = ay.fraction(s.y[i]);
        if (Double.isNaN(fx) || Double.isNaN(fy)) {
          penDown = false; // a gap, not a line through the missing point
          continue;
        }
        double px = LEFT + fx * pw;
        double py = TOP + (1 - fy) * ph;
        path.append(penDown ? 'L' : 'M').append(num(px)).append(',').append(num(py));
        penDown = true;
        if (s.points) {
          dots.append("<circle cx=\"").append(num(px)).append("\" cy=\"").append(num(py))
              .append("\" r=\"2.5\"/>");
        }
      }
      sb.append("<g class=\"series\" data-name=\"").append(Html.escape(s.name)).append("\">");
      if (s.lines && path.length() > 0) {
        sb.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(colour)
            .append("\" stroke-width=\"1.5\"/>");
      }
      if (dots.length() > 0) {
        sb.append("<g fill=\"").append(colour).append("\">").append(dots).append("</g>");
      }
      sb.append("</g>");
    }
    legend(sb, series.stream().map(Series::name).toList(), width);
    return sb.append("</svg>").toString();
  }

  /** A vertical bar chart of {@code values} (non-finite values drawn as an empty slot) with category labels. */
  public static String bars(String title, String yLabel, List<String> labels, double[] values, int width,
      int height) {
    if (labels.size() != values.length) {
      throw new IllegalArgumentException(labels.size() + " labels but " + values.length + " values");
    }
    double[] withZero = java.util.Arrays.copyOf(values, values.length + 1);
    Axis ay = Axis.covering(withZero, false);
    int pw = width - LEFT - RIGHT;
    int ph = height - TOP - BOTTOM;
    StringBuilder sb = open(title, width, height);
    frameY(sb, ay, yLabel, pw, ph);
    double slot = values.length == 0 ? pw : (double) pw / values.length;
    double zero = TOP + (1 - ay.fraction(0)) * ph;
    for (int i = 0; i < values.length; i++) {
      double f = ay.fraction(values[i]);
      if (Double.isNaN(f)) {
        continue;
      }
      double top = TOP + (1 - f) * ph;
      double y = Math.min(top, zero);
      double h = Math.abs(zero - top);
      sb.append("<rect class=\"bar\" x=\"").append(num(LEFT + i * slot + slot * 0.1)).append("\" y=\"")
          .append(num(y)).append("\" width=\"").append(num(slot * 0.8)).append("\" height=\"").append(num(h))
          .append("\" fill=\"").append(PALETTE[0]).append("\"><title>").append(Html.escape(labels.get(i)))
          .append(": ").append(Html.escape(ay.label(values[i]))).append("</title></rect>");
    }
    if (values.length <= 40) {
      for (int i = 0; i < values.length; i++) {
        sb.append("<text x=\"").append(num(LEFT + (i + 0.5) * slot)).append("\" y=\"")
            .append(TOP + ph + 14).append("\" font-size=\"9\" text-anchor=\"middle\">")
            .append(Html.escape(labels.get(i))).append("</text>");
      }
    }
    return sb.append("</svg>").toString();
  }

  private static StringBuilder open(String title, int width, int height) {
    StringBuilder sb = new StringBuilder(4096);
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" width=\"").append(width)
        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
        .append(height).append("\" font-family=\"sans-serif\" font-size=\"11\">");
    sb.append("<title>").append(Html.escape(title)).append("</title>");
    sb.append("<text x=\"").append(width / 2).append("\" y=\"16\" text-anchor=\"middle\" font-size=\"13\">")
        .append(Html.escape(title)).append("</text>");
    return sb;
  }

  private static void frame(StringBuilder sb, Axis ax, Axis ay, String xLabel, String yLabel, int width,
      int height, int pw, int ph) {
    frameY(sb, ay, yLabel, pw, ph);
    for (double t : ax.ticks()) {
      double f = ax.fraction(t);
      if (f < -1e-9 || f > 1 + 1e-9) {
        continue;
      }
      double px = LEFT + f * pw;
      sb.append("<line x1=\"").append(num(px)).append("\" y1=\"").append(TOP).append("\" x2=\"").append(num(px))
          .append("\" y2=\"").append(TOP + ph).append("\" stroke=\"#e5e5e5\"/>");
      sb.append("<text x=\"").append(num(px)).append("\" y=\"").append(TOP + ph + 14)
          .append("\" text-anchor=\"middle\">").append(Html.escape(ax.label(t))).append("</text>");
    }
    sb.append("<text x=\"").append(LEFT + pw / 2).append("\" y=\"").append(height - 8)
        .append("\" text-anchor=\"middle\">").append(Html.escape(xLabel)).append("</text>");
  }

  private static void frameY(StringBuilder sb, Axis ay, String yLabel, int pw, int ph) {
    sb.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(pw)
        .append("\" height=\"").append(ph).append("\" fill=\"none\" stroke=\"#888\"/>");
    for (double t : ay.ticks()) {
      double f = ay.fraction(t);
      if (f < -1e-9 || f > 1 + 1e-9) {
        continue;
      }
      double py = TOP + (1 - f) * ph;
      sb.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(num(py)).append("\" x2=\"")
          .append(LEFT + pw).append("\" y2=\"").append(num(py)).append("\" stroke=\"#e5e5e5\"/>");
      sb.append("<text x=\"").append(LEFT - 4).append("\" y=\"").append(num(py + 4))
          .append("\" text-anchor=\"end\">").append(Html.escape(ay.label(t))).append("</text>");
    }
    sb.append("<text transform=\"translate(14,").append(TOP + ph / 2).append(") rotate(-90)\" text-anchor=\"middle\">")
        .append(Html.escape(yLabel)).append("</text>");
  }

  private static void legend(StringBuilder sb, List<String> names, int width) {
    if (names.size() < 2) {
      return;
    }
    int y = TOP + 12;
    for (int k = 0; k < names.size(); k++) {
      sb.append("<g class=\"legend\"><rect x=\"").append(width - RIGHT - 120).append("\" y=\"").append(y - 8)
          .append("\" width=\"10\" height=\"10\" fill=\"").append(PALETTE[k % PALETTE.length])
          .append("\"/><text x=\"").append(width - RIGHT - 106).append("\" y=\"").append(y).append("\">")
          .append(Html.escape(names.get(k))).append("</text></g>");
      y += 14;
    }
  }

  static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
