package org.cemiface.filter;

import java.io.Serializable;
import org.cemiface.config.ConfigReader;

/** The {@code filter} section. */
public record FilterSettings(
    String candidates,
    String gallery,
    String output,
    double threshold,
    double galleryThreshold,
    int blockSize,
    int imageSize,
    double blankStd,
    Order order)
    implements Serializable {
  /** The greedy pass's visiting order. */
  public enum Order {
    /** The candidates' listing order. */
    INPUT,
    /** Descending raw feature norm (AdaFace's quality score), ties in input order. */
    NORM
  }

  /** Reads the {@code filter} section. */
  public static FilterSettings from(ConfigReader root) {
    ConfigReader r = root.section("filter");
    return new FilterSettings(
        r.string("candidates"),
        r.text("gallery"),
        r.string("output"),
        r.doubleIn("threshold", -1, 1),
        r.doubleIn("gallery-threshold", -1, 1),
        r.intIn("block-size", 1, 1 << 20),
        r.intIn("image-size", 0, 4096),
        r.doubleIn("blank-std", 0, 255),
        r.oneOf("order", Order.class));
  }
}
