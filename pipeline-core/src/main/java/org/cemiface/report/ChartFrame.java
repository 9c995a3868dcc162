package org.cemiface.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Locale;
import org.cemiface.image.BufferedImages;
import org.cemiface.image.RgbImage;

/**
 * A white canvas with a title, labelled axes and ticks; charts draw their data through {@link #x}
 * and {@link #y}.
 */
final class ChartFrame {
  static final int WIDTH = 640;
  static final int HEIGHT = 420;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 40;
  private static final int BOTTOM = 55;
  final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
  final Graphics2D g = image.createGraphics();
  private final double xMin;
  private final double xMax;
  private final double yMin;
  private final double yMax;

  ChartFrame(
      String title,
      String xLabel,
      String yLabel,
      double xMin,
      double xMax,
      double yMin,
      double yMax) {
    this(title, xLabel, yLabel, xMin, xMax, yMin, yMax, true);
  }

  /** As above; without {@code numericX} the x axis has no number ticks (a chart labels it). */
  ChartFrame(
      String title,
      String xLabel,
      String yLabel,
      double xMin,
      double xMax,
      double yMin,
      double yMax,
      boolean numericX) {
    this.xMin = xMin;
    this.xMax = xMax;
    this.yMin = yMin;
    this.yMax = yMax == yMin ? yMin + 1 : yMax;
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, LEFT, 24);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawString(
        xLabel,
        LEFT + (WIDTH - LEFT - RIGHT) / 2 - g.getFontMetrics().stringWidth(xLabel) / 2,
        HEIGHT - 12);
    Graphics2D rotated = (Graphics2D) g.create();
    rotated.rotate(-Math.PI / 2);
    rotated.drawString(
        yLabel,
        -(TOP + (HEIGHT - TOP - BOTTOM) / 2) - g.getFontMetrics().stringWidth(yLabel) / 2,
        16);
    rotated.dispose();
    g.drawLine(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM);
    g.drawLine(LEFT, TOP, LEFT, HEIGHT - BOTTOM);
    for (int i = 0; i <= 4; i++) {
      if (numericX) {
        double xv = xMin + (xMax - xMin) * i / 4;
        int px = x(xv);
        g.drawLine(px, HEIGHT - BOTTOM, px, HEIGHT - BOTTOM + 4);
        String label = format(xv);
        g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, HEIGHT - BOTTOM + 18);
      }
      double yv = this.yMin + (this.yMax - this.yMin) * i / 4;
      int py = y(yv);
      g.drawLine(LEFT - 4, py, LEFT, py);
      String yl = format(yv);
      g.drawString(yl, LEFT - 8 - g.getFontMetrics().stringWidth(yl), py + 4);
    }
    g.setStroke(new BasicStroke(1.5f));
  }

  int x(double v) {
    return (int) Math.round(LEFT + (v - xMin) / (xMax - xMin) * (WIDTH - LEFT - RIGHT));
  }

  int y(double v) {
    return (int) Math.round(HEIGHT - BOTTOM - (v - yMin) / (yMax - yMin) * (HEIGHT - TOP - BOTTOM));
  }

  RgbImage finish() {
    g.dispose();
    return BufferedImages.fromBuffered(image);
  }

  /**
   * Writes {@code label} centred under x position {@code v}, with a tick, in text row {@code row}
   * (0 or 1: alternate rows keep wide neighbouring labels apart).
   */
  void xLabel(double v, String label, int row) {
    int px = x(v);
    g.setColor(Color.BLACK);
    g.drawLine(px, HEIGHT - BOTTOM, px, HEIGHT - BOTTOM + 4 + 14 * row);
    int width = g.getFontMetrics().stringWidth(label);
    int left = Math.max(2, Math.min(WIDTH - width - 2, px - width / 2)); // stays on the canvas
    g.drawString(label, left, HEIGHT - BOTTOM + 18 + 14 * row);
  }

  /** The width of {@code label} in the axis font, in pixels. */
  int textWidth(String label) {
    return g.getFontMetrics().stringWidth(label);
  }

  static String format(double v) {
    return Math.abs(v) >= 100
        ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%.2f", v);
  }
}
