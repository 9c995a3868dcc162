package org.cemiface.plan;

import org.cemiface.config.ConfigReader;

/**
 * The {@code plan} section: where the kept inquiries are, where the plan goes, and the m of
 * generated images.
 */
public record PlanSettings(String inquiries, String output, MChoice m, int partitions) {
  /** Reads the {@code plan} section. */
  public static PlanSettings from(ConfigReader root) {
    ConfigReader r = root.section("plan");
    ConfigReader range = r.section("m-range");
    double step = range.doubleIn("step", 0, 2);
    MChoice m;
    if (step > 0) {
      m = MChoice.range(range.doubleIn("min", -1, 1), range.doubleIn("max", -1, 1), step);
    } else {
      double[] values = r.numberOrList("m", -1, 1);
      float[] f = new float[values.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) values[i];
      }
      m = new MChoice(f);
    }
    return new PlanSettings(
        r.string("inquiries"), r.string("output"), m, r.intIn("partitions", 0, 1_000_000));
  }
}
