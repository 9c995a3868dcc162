package org.cemiface.image;

import java.util.Arrays;

/**
 * An 8-bit RGB image stored as interleaved bytes, row by row; the common currency of all image
 * code.
 */
public final class RgbImage {
  private final int width;
  private final int height;
  private final byte[] rgb;

  /** Wraps interleaved RGB bytes (length width·height·3); the array is not copied. */
  public RgbImage(int width, int height, byte[] rgb) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "image size must be positive, got " + width + "x" + height);
    }
    if (rgb.length != width * height * 3) {
      throw new IllegalArgumentException(
          "expected "
              + width * height * 3
              + " bytes for "
              + width
              + "x"
              + height
              + " RGB, got "
              + rgb.length);
    }
    this.width = width;
    this.height = height;
    this.rgb = rgb;
  }

  /** Width in pixels. */
  public int width() {
    return width;
  }

  /** Height in pixels. */
  public int height() {
    return height;
  }

  /** The interleaved bytes (shared, not copied). */
  public byte[] data() {
    return rgb;
  }

  /** Channel c (0 = R, 1 = G, 2 = B) of pixel (x, y), as 0..255. */
  public int channel(int x, int y, int c) {
    return rgb[(y * width + x) * 3 + c] & 0xFF;
  }

  /** A new image mirrored left to right (the horizontal flip of augmentation and test-time use). */
  public RgbImage mirrored() {
    byte[] out = new byte[rgb.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        System.arraycopy(rgb, (y * width + x) * 3, out, (y * width + width - 1 - x) * 3, 3);
      }
    }
    return new RgbImage(width, height, out);
  }

  /** The mean absolute difference per channel value to another image of the same size. */
  public double meanAbsDifference(RgbImage other) {
    if (other.width != width || other.height != height) {
      throw new IllegalArgumentException(
          "sizes differ: " + width + "x" + height + " vs " + other.width + "x" + other.height);
    }
    long sum = 0;
    for (int i = 0; i < rgb.length; i++) {
      sum += Math.abs((rgb[i] & 0xFF) - (other.rgb[i] & 0xFF));
    }
    return (double) sum / rgb.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RgbImage other
        && other.width == width
        && other.height == height
        && Arrays.equals(other.rgb, rgb);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(rgb);
  }

  @Override
  public String toString() {
    return "RgbImage[" + width + "x" + height + "]";
  }
}
