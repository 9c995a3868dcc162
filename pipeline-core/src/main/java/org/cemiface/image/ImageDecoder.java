package org.cemiface.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes PNG and JPEG bytes to 8-bit RGB: grayscale, palette, alpha (dropped) and 16-bit PNGs
 * included.
 *
 * <p>Gray and 16-bit samples are read from the raster rather than through {@code getRGB}, which
 * would apply a linear-to-sRGB conversion to gray images and change their values.
 */
public final class ImageDecoder {
  static {
    ImageIO.setUseCache(false);
  }

  /**
   * Images above this many pixels are refused from their header, before a raster is allocated: a
   * few-kilobyte PNG can declare 100,000 × 100,000 pixels (a decompression bomb). 50 megapixels
   * take any camera frame; face crops are far smaller.
   */
  public static final long MAX_PIXELS = 50_000_000L;

  private ImageDecoder() {}

  /** Decodes {@code bytes}; {@code source} names the file in errors. */
  public static RgbImage decode(byte[] bytes, String source) {
    if (bytes.length == 0) {
      throw new ImageDecodeException(source, "file is empty", null);
    }
    ImageFormat format =
        ImageFormat.sniff(bytes)
            .orElseThrow(
                () ->
                    new ImageDecodeException(
                        source,
                        "not a PNG or JPEG image (starts with bytes "
                            + HexFormat.of().formatHex(bytes, 0, Math.min(8, bytes.length))
                            + ")",
                        null));
    if (format == ImageFormat.PNG && !hasPngEnd(bytes)) {
      throw new ImageDecodeException(source, "truncated PNG (no IEND chunk at the end)", null);
    }
    BufferedImage image = read(bytes, format, source);
    return toRgb(image, source);
  }

  private static boolean hasPngEnd(byte[] b) {
    int n = b.length;
    return n >= 12 && b[n - 8] == 'I' && b[n - 7] == 'E' && b[n - 6] == 'N' && b[n - 5] == 'D';
  }

  private static BufferedImage read(byte[] bytes, ImageFormat format, String source) {
    Iterator<ImageReader> readers =
        ImageIO.getImageReadersByFormatName(format == ImageFormat.PNG ? "png" : "jpeg");
    if (!readers.hasNext()) {
      throw new ImageDecodeException(source, "no " + format + " decoder in this JVM", null);
    }
    ImageReader reader = readers.next();
    List<String> warnings = new ArrayList<>();
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      reader.setInput(in, true, true);
      reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
      long width = reader.getWidth(0);
      long height = reader.getHeight(0);
      if (width * height > MAX_PIXELS) {
        throw new ImageDecodeException(
            source,
            "declares "
                + width
                + " × "
                + height
                + " pixels, over the limit of "
                + MAX_PIXELS
                + " (a decompression bomb, or a photo to downscale before use); nothing was decoded",
            null);
      }
      BufferedImage image = reader.read(0);
      if (!warnings.isEmpty()) {
        // ImageIO fills the missing part of a truncated JPEG with gray and only warns; such an
        // image is corrupt.
        throw new ImageDecodeException(
            source, "corrupt " + format + ": " + String.join("; ", warnings), null);
      }
      return image;
    } catch (IOException | RuntimeException e) {
      if (e instanceof ImageDecodeException ide) {
        throw ide;
      }
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new ImageDecodeException(
          source, "corrupt or truncated " + format + " (" + why + ")", e);
    } finally {
      reader.dispose();
    }
  }

  private static RgbImage toRgb(BufferedImage image, String source) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] out = new byte[w * h * 3];
    Raster raster = image.getRaster();
    if (image.getColorModel() instanceof ComponentColorModel cm
        && isGrayOrRgb(cm.getColorSpace())) {
      boolean gray = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
      int bits = cm.getComponentSize(0);
      long max = (1L << bits) - 1;
      int[] pixel = new int[raster.getNumBands()];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          raster.getPixel(x, y, pixel);
          for (int c = 0; c < 3; c++) {
            long v = pixel[gray ? 0 : c] & 0xFFFFFFFFL;
            out[(y * w + x) * 3 + c] = (byte) ((v * 255 + max / 2) / max);
          }
        }
      }
    } else {
      // Palette and packed images: their colour models are sRGB, so getRGB is exact.
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int argb = image.getRGB(x, y);
          int i = (y * w + x) * 3;
          out[i] = (byte) (argb >> 16);
          out[i + 1] = (byte) (argb >> 8);
          out[i + 2] = (byte) argb;
        }
      }
    }
    if (w <= 0 || h <= 0) {
      throw new ImageDecodeException(source, "image has no pixels", null);
    }
    return new RgbImage(w, h, out);
  }

  private static boolean isGrayOrRgb(ColorSpace cs) {
    return cs.getType() == ColorSpace.TYPE_GRAY || cs.getType() == ColorSpace.TYPE_RGB;
  }
}
