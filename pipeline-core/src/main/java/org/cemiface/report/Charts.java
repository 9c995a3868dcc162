package org.cemiface.report;

import java.awt.Color;
import java.util.List;
import org.cemiface.image.RgbImage;

/** The report's plots, drawn with Java2D so they need no plotting library. */
public final class Charts {
  private static final Color BAR = new Color(70, 110, 170);
  private static final Color POINT = new Color(200, 80, 40);

  private Charts() {}

  /** A histogram: {@code counts[i]} over [{@code lower}[i], {@code lower}[i] + width). */
  public static RgbImage histogram(
      String title, String xLabel, double[] lower, double width, long[] counts) {
    long max = 1;
    for (long c : counts) {
      max = Math.max(max, c);
    }
    double xMin = lower.length == 0 ? 0 : lower[0];
    double xMax = lower.length == 0 ? 1 : lower[lower.length - 1] + width;
    ChartFrame f = new ChartFrame(title, xLabel, "images", xMin, xMax, 0, max);
    f.g.setColor(BAR);
    for (int i = 0; i < counts.length; i++) {
      int x0 = f.x(lower[i]) + 1;
      int x1 = f.x(lower[i] + width) - 1;
      int top = f.y(counts[i]);
      f.g.fillRect(x0, top, Math.max(1, x1 - x0), f.y(0) - top);
    }
    return f.finish();
  }

  /**
   * One point per requested value: mean achieved value with ± std bars, and the line achieved =
   * requested.
   */
  public record Point(double requested, double mean, double std) {}

  /** Requested m against mean achieved similarity, with the ideal diagonal. */
  public static RgbImage control(String title, List<Point> points) {
    ChartFrame f =
        new ChartFrame(title, "requested m", "achieved similarity to the inquiry", -1, 1, -1, 1);
    f.g.setColor(Color.LIGHT_GRAY);
    f.g.drawLine(f.x(-1), f.y(-1), f.x(1), f.y(1));
    f.g.setColor(POINT);
    for (Point p : points) {
      int px = f.x(p.requested());
      f.g.drawLine(px, f.y(p.mean() - p.std()), px, f.y(p.mean() + p.std()));
      f.g.fillOval(px - 4, f.y(p.mean()) - 4, 8, 8);
    }
    return f.finish();
  }

  /** A named ROC curve: false-accept rates (ascending) and the true-accept rates there. */
  public record Curve(String name, double[] far, double[] tar) {}

  private static final Color[] SERIES = {
    new Color(70, 110, 170),
    new Color(200, 80, 40),
    new Color(60, 150, 80),
    new Color(150, 70, 160),
    new Color(120, 120, 120),
    new Color(200, 160, 30)
  };

  /**
   * ROC curves with the false-accept rate on a log10 axis from 1e-4 to 1 (where verification
   * benchmarks differ) and a legend.
   */
  public static RgbImage roc(String title, List<Curve> curves) {
    double lowest = -4;
    ChartFrame f =
        new ChartFrame(title, "log10 false accept rate", "true accept rate", lowest, 0, 0, 1);
    for (int c = 0; c < curves.size(); c++) {
      Curve curve = curves.get(c);
      f.g.setColor(SERIES[c % SERIES.length]);
      int prevX = -1;
      int prevY = -1;
      for (int i = 0; i < curve.far().length; i++) {
        if (curve.far()[i] <= 0) {
          continue;
        }
        double lx = Math.max(lowest, Math.log10(curve.far()[i]));
        int px = f.x(lx);
        int py = f.y(curve.tar()[i]);
        if (prevX >= 0) {
          f.g.drawLine(prevX, prevY, px, py);
        }
        prevX = px;
        prevY = py;
      }
      int ly = f.y(0.05) - 16 * (curves.size() - 1 - c);
      f.g.fillRect(f.x(-1.4), ly - 8, 14, 4);
      f.g.setColor(Color.BLACK);
      f.g.drawString(curve.name(), f.x(-1.4) + 20, ly - 2);
    }
    return f.finish();
  }

  /**
   * One value per category in the order given, joined by a line: e.g. the verification AVG of FR
   * models trained on datasets made at increasing m (the paper's Figure 4).
   */
  public static RgbImage categories(
      String title, String yLabel, List<String> labels, double[] values) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    double pad = Math.max(0.01, (hi - lo) * 0.15);
    ChartFrame f =
        new ChartFrame(title, "", yLabel, -0.5, labels.size() - 0.5, lo - pad, hi + pad, false);
    f.g.setColor(POINT);
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        f.g.drawLine(f.x(i - 1), f.y(values[i - 1]), f.x(i), f.y(values[i]));
      }
      f.g.fillOval(f.x(i) - 4, f.y(values[i]) - 4, 8, 8);
    }
    int slot = labels.size() < 2 ? Integer.MAX_VALUE : f.x(1) - f.x(0);
    boolean crowded = labels.stream().anyMatch(l -> f.textWidth(l) > slot - 6);
    for (int i = 0; i < labels.size(); i++) {
      f.xLabel(i, labels.get(i), crowded ? i % 2 : 0);
    }
    return f.finish();
  }

  private static final Color[] GROUP_COLORS = {
    new Color(200, 80, 40),
    new Color(220, 160, 40),
    new Color(90, 160, 80),
    new Color(70, 130, 190),
    new Color(110, 80, 170),
    new Color(150, 150, 150)
  };

  /**
   * A histogram whose bars are stacked by group: {@code counts[g][i]} images of group g fall in bin
   * [{@code lower}[i], {@code lower}[i] + width) (e.g. the similarity groups of Table 1).
   */
  public static RgbImage stackedHistogram(
      String title, String xLabel, double[] lower, double width, long[][] counts) {
    long max = 1;
    for (int i = 0; i < lower.length; i++) {
      long total = 0;
      for (long[] group : counts) {
        total += group[i];
      }
      max = Math.max(max, total);
    }
    double xMin = lower.length == 0 ? 0 : lower[0];
    double xMax = lower.length == 0 ? 1 : lower[lower.length - 1] + width;
    ChartFrame f = new ChartFrame(title, xLabel, "images", xMin, xMax, 0, max);
    for (int i = 0; i < lower.length; i++) {
      int x0 = f.x(lower[i]) + 1;
      int x1 = f.x(lower[i] + width) - 1;
      long below = 0;
      for (int g = 0; g < counts.length; g++) {
        if (counts[g][i] == 0) {
          continue;
        }
        f.g.setColor(GROUP_COLORS[g % GROUP_COLORS.length]);
        int top = f.y(below + counts[g][i]);
        f.g.fillRect(x0, top, Math.max(1, x1 - x0), f.y(below) - top);
        below += counts[g][i];
      }
    }
    for (int g = 0; g < counts.length; g++) {
      int ly = f.y(max) + 14 + 16 * g;
      f.g.setColor(GROUP_COLORS[g % GROUP_COLORS.length]);
      f.g.fillRect(f.x(xMin) + 8, ly - 9, 12, 10);
      f.g.setColor(Color.BLACK);
      f.g.drawString("group " + g, f.x(xMin) + 26, ly);
    }
    return f.finish();
  }
}
