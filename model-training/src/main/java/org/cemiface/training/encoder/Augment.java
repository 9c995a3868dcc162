package org.cemiface.training.encoder;

import java.util.SplittableRandom;
import org.cemiface.image.Resize;
import org.cemiface.image.RgbImage;

/**
 * Training augmentations for face-recognition encoders: horizontal flip, random resized crop,
 * brightness/contrast/saturation and hue jitter, and random erasing, each drawn from the image's
 * own generator so epochs are reproducible.
 */
public record Augment(
    boolean flip,
    double cropMin,
    double cropMax,
    double colorJitter,
    double hueJitter,
    double eraseProbability,
    double eraseMin,
    double eraseMax) {

  /** No augmentation. */
  public static Augment none() {
    return new Augment(false, 1, 1, 0, 0, 0, 0, 0);
  }

  /** The augmented image at {@code size}×{@code size}. */
  public RgbImage apply(RgbImage image, int size, SplittableRandom r) {
    RgbImage out = crop(image, r);
    out = Resize.bilinear(out, size, size);
    if (flip && r.nextBoolean()) {
      out = out.mirrored();
    }
    byte[] px = out.data().clone();
    if (colorJitter > 0) {
      jitterInPlace(px, r);
    }
    if (hueJitter > 0) {
      shiftHueInPlace(px, hueJitter * (2 * r.nextDouble() - 1));
    }
    if (eraseProbability > 0 && r.nextDouble() < eraseProbability) {
      eraseInPlace(px, size, r);
    }
    return new RgbImage(size, size, px);
  }

  private RgbImage crop(RgbImage image, SplittableRandom r) {
    if (cropMin >= 1) {
      return image;
    }
    double area = cropMin + (cropMax - cropMin) * r.nextDouble();
    int w = image.width();
    int h = image.height();
    int cw = Math.max(1, (int) Math.round(w * Math.sqrt(area)));
    int ch = Math.max(1, (int) Math.round(h * Math.sqrt(area)));
    int x0 = r.nextInt(w - cw + 1);
    int y0 = r.nextInt(h - ch + 1);
    byte[] src = image.data();
    byte[] out = new byte[cw * ch * 3];
    for (int y = 0; y < ch; y++) {
      System.arraycopy(src, ((y0 + y) * w + x0) * 3, out, y * cw * 3, cw * 3);
    }
    return new RgbImage(cw, ch, out);
  }

  private void jitterInPlace(byte[] px, SplittableRandom r) {
    double brightness = 1 + colorJitter * (2 * r.nextDouble() - 1);
    double contrast = 1 + colorJitter * (2 * r.nextDouble() - 1);
    double saturation = 1 + colorJitter * (2 * r.nextDouble() - 1);
    double mean = 0;
    for (byte b : px) {
      mean += b & 0xFF;
    }
    mean /= px.length;
    for (int i = 0; i < px.length; i += 3) {
      double gray =
          0.299 * (px[i] & 0xFF) + 0.587 * (px[i + 1] & 0xFF) + 0.114 * (px[i + 2] & 0xFF);
      for (int c = 0; c < 3; c++) {
        double v = (px[i + c] & 0xFF) * brightness;
        v = gray * brightness + (v - gray * brightness) * saturation;
        v = mean + (v - mean) * contrast;
        px[i + c] = (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
      }
    }
  }

  /**
   * Rotates every pixel's hue by {@code shift} turns (torchvision's ColorJitter hue: a shift drawn
   * from [−h, h] of the full circle), keeping saturation and value.
   */
  static void shiftHueInPlace(byte[] px, double shift) {
    for (int i = 0; i < px.length; i += 3) {
      double r = (px[i] & 0xFF) / 255.0;
      double g = (px[i + 1] & 0xFF) / 255.0;
      double b = (px[i + 2] & 0xFF) / 255.0;
      double max = Math.max(r, Math.max(g, b));
      double min = Math.min(r, Math.min(g, b));
      double chroma = max - min;
      if (chroma == 0) {
        continue; // grey has no hue
      }
      double h;
      if (max == r) {
        h = ((g - b) / chroma) / 6;
      } else if (max == g) {
        h = ((b - r) / chroma + 2) / 6;
      } else {
        h = ((r - g) / chroma + 4) / 6;
      }
      h = h + shift;
      h -= Math.floor(h);
      double sector = h * 6;
      int k = Math.min(5, (int) sector);
      double x = chroma * (1 - Math.abs(sector % 2 - 1));
      // Sectors of the colour circle: which channel holds the chroma, which x, which 0.
      double red = k == 0 || k == 5 ? chroma : k == 1 || k == 4 ? x : 0;
      double green = k == 1 || k == 2 ? chroma : k == 0 || k == 3 ? x : 0;
      double blue = k == 3 || k == 4 ? chroma : k == 2 || k == 5 ? x : 0;
      px[i] = (byte) Math.round(255 * (red + min));
      px[i + 1] = (byte) Math.round(255 * (green + min));
      px[i + 2] = (byte) Math.round(255 * (blue + min));
    }
  }

  private void eraseInPlace(byte[] px, int size, SplittableRandom r) {
    double area = eraseMin + (eraseMax - eraseMin) * r.nextDouble();
    int side = Math.max(1, (int) Math.round(size * Math.sqrt(area)));
    int x0 = r.nextInt(size - side + 1);
    int y0 = r.nextInt(size - side + 1);
    for (int y = y0; y < y0 + side; y++) {
      for (int x = x0; x < x0 + side; x++) {
        for (int c = 0; c < 3; c++) {
          px[(y * size + x) * 3 + c] = (byte) r.nextInt(256);
        }
      }
    }
  }
}
