package org.cemiface.image;

import org.cemiface.config.ConfigReader;

/** The {@code image} section: model input layout and the encoding of written images. */
public record ImageSettings(TensorLayout layout, ImageFormat format, int jpegQuality) {
  /** Reads the {@code image} section. */
  public static ImageSettings from(ConfigReader root) {
    ConfigReader r = root.section("image");
    TensorLayout layout = new TensorLayout(
        r.intIn("size", 8, 1024),
        r.oneOf("channel-order", ChannelOrder.class),
        r.doubles("mean", 3, -10, 10),
        r.doubles("std", 3, 1e-6, 10));
    return new ImageSettings(layout, r.oneOf("format", ImageFormat.class), r.intIn("jpeg-quality", 1, 100));
  }

  /** Encodes an image in the configured format. */
  public byte[] encode(RgbImage image) {
    return ImageEncoder.encode(image, format, jpegQuality);
  }
}
