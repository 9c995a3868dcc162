package org.cemiface.model.cemiface;

import java.util.SplittableRandom;
import org.cemiface.config.ConfigReader;

/**
 * The discrete grid the training similarity m is drawn from (default −1 … 1 step 0.02; the paper
 * found the range matters, the step does not, and continuous m collapsed).
 */
public record SimilarityGrid(double min, double max, double step) {
  /** Validates the range. */
  public SimilarityGrid {
    if (!(min >= -1 && max <= 1 && min <= max && step > 0)) {
      throw new IllegalArgumentException(
          "m grid needs -1 <= min <= max <= 1 and step > 0, got "
              + min
              + ".."
              + max
              + " step "
              + step);
    }
  }

  /** Reads {@code min}, {@code max}, {@code step}. */
  public static SimilarityGrid from(ConfigReader r) {
    return new SimilarityGrid(
        r.doubleIn("min", -1, 1), r.doubleIn("max", -1, 1), r.doubleIn("step", 1e-4, 2));
  }

  /** Number of grid values. */
  public int size() {
    return (int) Math.floor((max - min) / step + 1e-9) + 1;
  }

  /** Grid value i (rounded to 1e-6 so 0.02·k prints cleanly). */
  public float value(int i) {
    return (float) (Math.round((min + i * step) * 1e6) / 1e6);
  }

  /** A uniform draw from the grid. */
  public float draw(SplittableRandom r) {
    return value(r.nextInt(size()));
  }
}
