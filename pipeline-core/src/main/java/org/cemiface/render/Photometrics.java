package org.cemiface.render;

import java.util.SplittableRandom;
import org.cemiface.image.RgbImage;
import org.cemiface.random.Gaussian;

/**
 * Camera-side effects applied after drawing: directional light, exposure and Gaussian sensor noise.
 */
final class Photometrics {
  private Photometrics() {}

  static RgbImage apply(RgbImage image, ImageConditions c, SplittableRandom noise) {
    int w = image.width();
    int h = image.height();
    byte[] src = image.data();
    byte[] out = new byte[src.length];
    double dx = Math.cos(c.lightAngle());
    double dy = Math.sin(c.lightAngle());
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        // Light falls off linearly across the image along the light direction.
        double u = ((x + 0.5) / w - 0.5) * dx + ((y + 0.5) / h - 0.5) * dy;
        double gain = c.exposure() * (1 + 2 * c.lightStrength() * u);
        for (int ch = 0; ch < 3; ch++) {
          int i = (y * w + x) * 3 + ch;
          double v = (src[i] & 0xFF) * gain + Gaussian.next(noise) * c.noiseStd();
          out[i] = (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
        }
      }
    }
    return new RgbImage(w, h, out);
  }
}
