package org.cemiface.encoder;

import org.cemiface.config.ConfigReader;
import org.cemiface.config.RunSettings;
import org.cemiface.image.ChannelOrder;
import org.cemiface.image.TensorLayout;

/** The {@code encoder} section: which identity encoder to use and how its inputs are prepared. */
public record EncoderSettings(String source, String arch, TensorLayout layout, int batchSize) {
  /** Reads the {@code encoder} section. */
  public static EncoderSettings from(ConfigReader root) {
    ConfigReader r = root.section("encoder");
    String source = r.text("source");
    String arch = r.text("arch");
    TensorLayout layout =
        new TensorLayout(
            r.intIn("input-size", 8, 1024),
            r.oneOf("channel-order", ChannelOrder.class),
            r.doubles("mean", 3, -10, 10),
            r.doubles("std", 3, 1e-6, 10));
    return new EncoderSettings(source, arch, layout, r.intIn("batch-size", 1, 4096));
  }

  /**
   * The source with a relative PATH resolved against the work directory (KIND:PATH stays KIND:...).
   */
  public EncoderSettings resolvedAgainst(RunSettings run) {
    int colon = source.indexOf(':');
    if (colon <= 0) {
      return this;
    }
    return withSource(source.substring(0, colon + 1) + run.resolve(source.substring(colon + 1)));
  }

  /** A copy with another source. */
  public EncoderSettings withSource(String newSource) {
    return new EncoderSettings(newSource, arch, layout, batchSize);
  }
}
