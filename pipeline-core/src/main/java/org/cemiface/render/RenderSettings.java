package org.cemiface.render;

import org.cemiface.config.ConfigReader;

/** The {@code render} section: how many synthetic identities to draw, and how much images vary. */
public record RenderSettings(
    int identities,
    int imagesPerIdentity,
    int firstIdentity,
    int size,
    String output,
    Variation variation) {

  /** Per-image variation; 0 disables a kind of variation, 1 is the default strength. */
  public record Variation(
      double pose,
      double lighting,
      double expression,
      double glassesProbability,
      double hatProbability,
      double noiseStd) {}

  /** Reads the {@code render} section. */
  public static RenderSettings from(ConfigReader root) {
    ConfigReader r = root.section("render");
    ConfigReader v = r.section("variation");
    return new RenderSettings(
        r.intIn("identities", 1, 10_000_000),
        r.intIn("images-per-identity", 1, 100_000),
        r.intIn("first-identity", 0, Integer.MAX_VALUE / 2),
        r.intIn("size", 16, 512),
        r.string("output"),
        new Variation(
            v.doubleIn("pose", 0, 3),
            v.doubleIn("lighting", 0, 3),
            v.doubleIn("expression", 0, 3),
            v.doubleIn("glasses-probability", 0, 1),
            v.doubleIn("hat-probability", 0, 1),
            v.doubleIn("noise-std", 0, 64)));
  }
}
