package org.cemiface.image;

/**
 * Bilinear resizing with half-pixel centres (the convention of PyTorch's {@code interpolate(...,
 * align_corners=False)}), so tensors match what Python face pipelines feed their models.
 */
public final class Resize {
  private Resize() {}

  /**
   * {@code image} resized to width × height; returns the same instance when the size already
   * matches.
   */
  public static RgbImage bilinear(RgbImage image, int width, int height) {
    if (image.width() == width && image.height() == height) {
      return image;
    }
    int sw = image.width();
    int sh = image.height();
    byte[] src = image.data();
    byte[] out = new byte[width * height * 3];
    double sx = (double) sw / width;
    double sy = (double) sh / height;
    for (int y = 0; y < height; y++) {
      double fy = Math.max(0, (y + 0.5) * sy - 0.5);
      int y0 = Math.min((int) fy, sh - 1);
      int y1 = Math.min(y0 + 1, sh - 1);
      double wy = fy - y0;
      for (int x = 0; x < width; x++) {
        double fx = Math.max(0, (x + 0.5) * sx - 0.5);
        int x0 = Math.min((int) fx, sw - 1);
        int x1 = Math.min(x0 + 1, sw - 1);
        double wx = fx - x0;
        for (int c = 0; c < 3; c++) {
          double top =
              (src[(y0 * sw + x0) * 3 + c] & 0xFF) * (1 - wx)
                  + (src[(y0 * sw + x1) * 3 + c] & 0xFF) * wx;
          double bottom =
              (src[(y1 * sw + x0) * 3 + c] & 0xFF) * (1 - wx)
                  + (src[(y1 * sw + x1) * 3 + c] & 0xFF) * wx;
          out[(y * width + x) * 3 + c] = (byte) Math.round(top * (1 - wy) + bottom * wy);
        }
      }
    }
    return new RgbImage(width, height, out);
  }
}
