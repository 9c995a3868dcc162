package org.cemiface.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageGridTest {
  private static RgbImage solid(int r, int g, int b) {
    byte[] rgb = new byte[8 * 8 * 3];
    for (int i = 0; i < rgb.length; i += 3) {
      rgb[i] = (byte) r;
      rgb[i + 1] = (byte) g;
      rgb[i + 2] = (byte) b;
    }
    return new RgbImage(8, 8, rgb);
  }

  @Test
  void cellsAreScaledAndPlacedWithLabelsAround() {
    RgbImage red = solid(255, 0, 0);
    RgbImage blue = solid(0, 0, 255);
    RgbImage sheet =
        ImageGrid.render(
            List.of(List.of(red, blue), List.of(blue)),
            List.of("inquiry 1", "inquiry 2"),
            List.of("m=1.0", "m=0.0"),
            32);
    // Two rows of 32-px cells plus padding and a label band: taller than 2 cells, wider than 2
    // cells + labels.
    assertTrue(sheet.height() > 2 * 32 && sheet.width() > 2 * 32 + 20, sheet.toString());
    int right = sheet.width() - 4 - 16;
    int top = sheet.height() - 4 - 32 - 4 - 16;
    assertEquals(255, sheet.channel(right, top, 2), "first row, second column is blue");
    int bottom = sheet.height() - 4 - 16;
    assertEquals(255, sheet.channel(right, bottom, 0), "missing cell stays white");
    assertEquals(255, sheet.channel(right, bottom, 1));
    long dark = 0;
    byte[] d = sheet.data();
    for (int i = 0; i < sheet.width() * 12 * 3; i++) {
      dark += (d[i] & 0xFF) < 128 ? 1 : 0;
    }
    assertTrue(dark > 10, "column labels draw dark pixels in the top band");
    assertTrue(
        Arrays.equals(
            sheet.data(),
            ImageGrid.render(
                    List.of(List.of(red, blue), List.of(blue)),
                    List.of("inquiry 1", "inquiry 2"),
                    List.of("m=1.0", "m=0.0"),
                    32)
                .data()),
        "rendering is deterministic");
  }

  @Test
  void mismatchedLabelsAreRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ImageGrid.render(List.of(List.of(solid(0, 0, 0))), List.of("a", "b"), List.of(), 8));
  }
}
