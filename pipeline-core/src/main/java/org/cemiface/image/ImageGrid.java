package org.cemiface.image;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A contact sheet: rows of images with a label in front of each row and above each column, for
 * sample sheets and reports. Cells are scaled to one size (nearest neighbour, so small faces stay
 * crisp).
 */
public final class ImageGrid {
  private static final int PAD = 4;

  private ImageGrid() {}

  /**
   * Renders {@code rows} (each row may be shorter than the longest; missing cells stay blank).
   *
   * @param rowLabels one per row, or empty for none
   * @param columnLabels one per column, or empty for none
   * @param cell the side of each square cell in pixels
   */
  public static RgbImage render(
      List<List<RgbImage>> rows, List<String> rowLabels, List<String> columnLabels, int cell) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("a grid needs at least one row");
    }
    if (!rowLabels.isEmpty() && rowLabels.size() != rows.size()) {
      throw new IllegalArgumentException(
          rows.size() + " rows but " + rowLabels.size() + " row labels");
    }
    int columns = Math.max(columnLabels.size(), rows.stream().mapToInt(List::size).max().orElse(0));
    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(10, Math.min(14, cell / 4)));
    BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D pg = probe.createGraphics();
    FontMetrics fm = pg.getFontMetrics(font);
    pg.dispose();
    int labelWidth = rowLabels.stream().mapToInt(fm::stringWidth).max().orElse(-PAD) + PAD;
    int labelHeight = columnLabels.isEmpty() ? 0 : fm.getHeight() + PAD;
    int width = labelWidth + PAD + columns * (cell + PAD);
    int height = labelHeight + PAD + rows.size() * (cell + PAD);

    BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = sheet.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setFont(font);
      g.setColor(Color.BLACK);
      for (int c = 0; c < columnLabels.size(); c++) {
        String label = columnLabels.get(c);
        int x = labelWidth + PAD + c * (cell + PAD) + (cell - fm.stringWidth(label)) / 2;
        g.drawString(label, Math.max(0, x), fm.getAscent() + PAD / 2);
      }
      for (int r = 0; r < rows.size(); r++) {
        int y = labelHeight + PAD + r * (cell + PAD);
        if (!rowLabels.isEmpty()) {
          g.drawString(rowLabels.get(r), PAD / 2, y + (cell + fm.getAscent()) / 2);
        }
        List<RgbImage> row = rows.get(r);
        for (int c = 0; c < row.size(); c++) {
          if (row.get(c) != null) {
            g.drawImage(
                BufferedImages.toBuffered(row.get(c)),
                labelWidth + PAD + c * (cell + PAD),
                y,
                cell,
                cell,
                null);
          }
        }
      }
    } finally {
      g.dispose();
    }
    return BufferedImages.fromBuffered(sheet);
  }
}
