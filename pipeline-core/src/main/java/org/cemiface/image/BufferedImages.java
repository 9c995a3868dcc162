package org.cemiface.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/** Conversions between {@link RgbImage} and Java2D images, for drawing and for ImageIO. */
public final class BufferedImages {
  private BufferedImages() {}

  /** A TYPE_3BYTE_BGR copy of {@code image}. */
  public static BufferedImage toBuffered(RgbImage image) {
    BufferedImage out =
        new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    byte[] rgb = image.data();
    for (int i = 0; i < rgb.length; i += 3) {
      bgr[i] = rgb[i + 2];
      bgr[i + 1] = rgb[i + 1];
      bgr[i + 2] = rgb[i];
    }
    return out;
  }

  /** The RGB pixels of a drawn image (any sRGB type); alpha is dropped. */
  public static RgbImage fromBuffered(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] out = new byte[w * h * 3];
    if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
      byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
      for (int i = 0; i < out.length; i += 3) {
        out[i] = bgr[i + 2];
        out[i + 1] = bgr[i + 1];
        out[i + 2] = bgr[i];
      }
      return new RgbImage(w, h, out);
    }
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    for (int p = 0; p < argb.length; p++) {
      out[p * 3] = (byte) (argb[p] >> 16);
      out[p * 3 + 1] = (byte) (argb[p] >> 8);
      out[p * 3 + 2] = (byte) argb[p];
    }
    return new RgbImage(w, h, out);
  }
}
