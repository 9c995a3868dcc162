package org.cemiface.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Encodes RGB images as PNG (lossless) or JPEG (configurable quality). */
public final class ImageEncoder {
  static {
    ImageIO.setUseCache(false);
  }

  private ImageEncoder() {}

  /** Encodes in {@code format}; {@code jpegQuality} (1..100) is used for JPEG only. */
  public static byte[] encode(RgbImage image, ImageFormat format, int jpegQuality) {
    return format == ImageFormat.PNG ? png(image) : jpeg(image, jpegQuality);
  }

  /** Lossless PNG bytes. */
  public static byte[] png(RgbImage image) {
    return write(image, "png", -1);
  }

  /** JPEG bytes at {@code quality} in 1..100. */
  public static byte[] jpeg(RgbImage image, int quality) {
    if (quality < 1 || quality > 100) {
      throw new IllegalArgumentException("JPEG quality must be in 1..100, got " + quality);
    }
    return write(image, "jpeg", quality);
  }

  private static byte[] write(RgbImage image, String format, int quality) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(image.width() * image.height());
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (quality > 0) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality / 100f);
      }
      writer.write(null, new IIOImage(BufferedImages.toBuffered(image), null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("encoding " + format + " failed", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
