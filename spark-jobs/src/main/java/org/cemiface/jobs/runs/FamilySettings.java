package org.cemiface.jobs.runs;

import java.time.temporal.ChronoUnit;
import org.cemiface.config.ConfigError;
import org.cemiface.config.ConfigReader;

/** The {@code family} section: where families live, the lease, and how run ids are derived. */
public record FamilySettings(String root, int leaseHours, ChronoUnit idGranularity, int keepRuns) {
  /** Reads the section. */
  public static FamilySettings from(ConfigReader root) {
    ConfigReader r = root.section("family");
    String unit = r.string("id-granularity");
    ChronoUnit granularity =
        switch (unit) {
          case "minute" -> ChronoUnit.MINUTES;
          case "hour" -> ChronoUnit.HOURS;
          case "day" -> ChronoUnit.DAYS;
          default ->
              throw new ConfigError(
                  "family.id-granularity = \"" + unit + "\": use minute, hour or day");
        };
    return new FamilySettings(
        r.string("root"),
        r.intIn("lease-hours", 1, 24 * 365),
        granularity,
        r.intIn("keep-runs", 0, 1_000_000));
  }
}
