package org.cemiface.image;

import org.cemiface.config.ConfigReader;

/** The {@code image} section: how written images are encoded. */
public record ImageSettings(ImageFormat format, int jpegQuality) {
  /** Reads the {@code image} section. */
  public static ImageSettings from(ConfigReader root) {
    ConfigReader r = root.section("image");
    return new ImageSettings(r.oneOf("format", ImageFormat.class), r.intIn("jpeg-quality", 1, 100));
  }

  /** Encodes an image in the configured format. */
  public byte[] encode(RgbImage image) {
    return ImageEncoder.encode(image, format, jpegQuality);
  }
}
