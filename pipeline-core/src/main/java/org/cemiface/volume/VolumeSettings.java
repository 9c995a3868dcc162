package org.cemiface.volume;

import java.io.Serializable;
import java.util.List;
import org.cemiface.config.ConfigReader;

/**
 * The {@code volume} section: a dataset size as cohorts of subjects × images, plus per-subject
 * copies of the inquiry image ("oversampling").
 */
public record VolumeSettings(String name, List<Cohort> cohorts, int oversampling)
    implements Serializable {
  /** {@code subjects} subjects with {@code images} generated images each. */
  public record Cohort(int subjects, int images) implements Serializable {}

  /** Copies the cohort list. */
  public VolumeSettings {
    cohorts = List.copyOf(cohorts);
  }

  /** Reads the {@code volume} section. */
  public static VolumeSettings from(ConfigReader root) {
    ConfigReader r = root.section("volume");
    List<Cohort> cohorts =
        r.objects(
            "cohorts",
            c -> {
              c.onlyKeys("subjects", "images");
              return new Cohort(c.intIn("subjects", 1, 10_000_000), c.intIn("images", 1, 100_000));
            });
    return new VolumeSettings(r.string("name"), cohorts, r.intIn("oversampling", 0, 1000));
  }

  /** Subjects over all cohorts. */
  public long subjects() {
    return cohorts.stream().mapToLong(Cohort::subjects).sum();
  }

  /** Generated images over all cohorts, without the oversampled inquiry copies. */
  public long generatedImages() {
    return cohorts.stream().mapToLong(c -> (long) c.subjects() * c.images()).sum();
  }

  /** Generated images plus the inquiry copies. */
  public long totalImages() {
    return generatedImages() + subjects() * oversampling;
  }
}
