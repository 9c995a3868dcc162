package org.cemiface.image;

import java.util.List;

/**
 * How images become model input: size, channel order and per-channel normalisation {@code v =
 * (pixel/255 − mean[c]) / std[c]}, laid out as NCHW floats.
 *
 * <p>AdaFace: BGR, mean 0.5, std 0.5. insightface ONNX: RGB, {@code (x − 127.5)/127.5}, which is
 * the same numbers with RGB order.
 */
public record TensorLayout(int size, ChannelOrder order, double[] mean, double[] std) {
  /** Validates the arrays. */
  public TensorLayout {
    if (size <= 0) {
      throw new IllegalArgumentException("tensor size must be positive, got " + size);
    }
    if (mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException("mean and std need 3 values each");
    }
    for (double s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("std values must be positive");
      }
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** Floats per image (3·size·size). */
  public int imageLength() {
    return 3 * size * size;
  }

  /** One image as CHW floats, resized bilinearly to {@link #size()} when needed. */
  public float[] toChw(RgbImage image) {
    float[] out = new float[imageLength()];
    writeChw(image, out, 0);
    return out;
  }

  /** A batch as NCHW floats. */
  public float[] toNchw(List<RgbImage> images) {
    float[] out = new float[images.size() * imageLength()];
    for (int i = 0; i < images.size(); i++) {
      writeChw(images.get(i), out, i * imageLength());
    }
    return out;
  }

  /** Writes one image's CHW floats into {@code dst} at {@code offset}. */
  public void writeChw(RgbImage image, float[] dst, int offset) {
    RgbImage sized = Resize.bilinear(image, size, size);
    byte[] rgb = sized.data();
    int plane = size * size;
    for (int c = 0; c < 3; c++) {
      int src = order.sourceChannel(c);
      double m = mean[c];
      double s = std[c];
      int base = offset + c * plane;
      for (int p = 0; p < plane; p++) {
        dst[base + p] = (float) (((rgb[p * 3 + src] & 0xFF) / 255.0 - m) / s);
      }
    }
  }

  /**
   * The image whose tensor is {@code chw} at {@code offset}; values are rounded and clipped to
   * 0..255.
   */
  public RgbImage fromChw(float[] chw, int offset) {
    int plane = size * size;
    byte[] rgb = new byte[plane * 3];
    for (int c = 0; c < 3; c++) {
      int dstChannel = order.sourceChannel(c);
      int base = offset + c * plane;
      for (int p = 0; p < plane; p++) {
        double v = (chw[base + p] * std[c] + mean[c]) * 255.0;
        rgb[p * 3 + dstChannel] = (byte) Math.max(0, Math.min(255, Math.round(v)));
      }
    }
    return new RgbImage(size, size, rgb);
  }
}
