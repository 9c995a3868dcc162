package org.cemiface.demo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.cemiface.config.ConfigReader;

/**
 * What the demo must show for the method to count as working (keys demo.goal.*): achieved
 * similarity rising with the requested m over the sweep, a spread achieved(max m) − achieved(min m)
 * of at least {@code minSpread}, the m = 0 row's mean |achieved − m| at most {@code maxZeroError},
 * and the m = 0 set's FID within the lowest {@code maxFidShare} of the scale from the floor (other
 * rendered people) to the ceiling (noise).
 */
public record DemoGoal(double minSpread, double maxZeroError, double maxFidShare) {
  /** One row of the sweep's control table. */
  public record ControlRow(double m, long images, double meanSimilarity, double meanAbsError) {}

  /** The FID of the generated set with its floor and ceiling, all against the same reference. */
  public record FidScale(double generated, double floor, double ceiling) {
    /** Where the generated set lies from floor (0) to ceiling (1). */
    public double share() {
      return (generated - floor) / (ceiling - floor);
    }
  }

  /** One checked claim. */
  public record Check(String claim, String measured, boolean holds) {
    /** "PASS"/"FAIL" with the claim and the measurement. */
    public String line() {
      return (holds ? "PASS " : "FAIL ") + claim + ": " + measured;
    }
  }

  /** Reads {@code demo.goal}. */
  public static DemoGoal from(ConfigReader demo) {
    ConfigReader r = demo.section("goal");
    return new DemoGoal(
        r.doubleIn("min-spread", 0, 2),
        r.doubleIn("max-zero-error", 0, 2),
        r.doubleIn("max-fid-share", 0, 1));
  }

  /** Checks the goal on a control table (any order) and a FID scale. */
  public List<Check> evaluate(List<ControlRow> control, FidScale fid) {
    List<ControlRow> rows = new ArrayList<>(control);
    rows.sort(Comparator.comparingDouble(ControlRow::m).reversed());
    List<Check> checks = new ArrayList<>();
    if (rows.size() < 2) {
      checks.add(
          new Check("an m sweep with at least two values of m", rows.size() + " value(s)", false));
    } else {
      boolean rising = true;
      StringBuilder trail = new StringBuilder();
      for (int i = 0; i < rows.size(); i++) {
        ControlRow r = rows.get(i);
        trail.append(
            String.format(
                Locale.ROOT, "%s%.3f at m=%.2f", i == 0 ? "" : " > ", r.meanSimilarity(), r.m()));
        if (i > 0 && !(rows.get(i - 1).meanSimilarity() > r.meanSimilarity())) {
          rising = false;
        }
      }
      checks.add(new Check("achieved similarity rises with m", trail.toString(), rising));
      double spread = rows.get(0).meanSimilarity() - rows.get(rows.size() - 1).meanSimilarity();
      checks.add(
          new Check(
              String.format(
                  Locale.ROOT,
                  "spread achieved(m=%.2f) - achieved(m=%.2f) >= %.2f",
                  rows.get(0).m(),
                  rows.get(rows.size() - 1).m(),
                  minSpread),
              String.format(Locale.ROOT, "%.3f", spread),
              spread >= minSpread));
    }
    ControlRow zero = rows.stream().filter(r -> r.m() == 0).findFirst().orElse(null);
    checks.add(
        zero == null
            ? new Check("an m = 0 row", "none in the sweep", false)
            : new Check(
                String.format(Locale.ROOT, "m = 0: mean |achieved - m| <= %.2f", maxZeroError),
                String.format(
                    Locale.ROOT, "%.3f over %d images", zero.meanAbsError(), zero.images()),
                zero.meanAbsError() <= maxZeroError));
    if (fid != null) {
      checks.add(
          new Check(
              String.format(
                  Locale.ROOT,
                  "FID in the lowest %.0f%% of the scale from rendered people to noise",
                  100 * maxFidShare),
              String.format(
                  Locale.ROOT,
                  "%.4f (floor %.4f, ceiling %.4f: %.0f%% of the way)",
                  fid.generated(),
                  fid.floor(),
                  fid.ceiling(),
                  100 * fid.share()),
              fid.share() <= maxFidShare));
    }
    return checks;
  }
}
