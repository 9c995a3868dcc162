package org.cemiface.stats;

import java.io.Serializable;
import org.cemiface.config.ConfigReader;
import org.cemiface.fid.FidFeatures;

/** The {@code stats} section. */
public record StatsSettings(
    String dataset,
    String output,
    int subjectsPerPartition,
    int batchSize,
    int blockSize,
    double overlapThreshold,
    int gridSubjects,
    int gridSamples,
    String fidReference,
    int fidMaxImages,
    FidFeatures fidFeatures)
    implements Serializable {
  /** Reads the {@code stats} section. */
  public static StatsSettings from(ConfigReader root) {
    ConfigReader r = root.section("stats");
    return new StatsSettings(
        r.string("dataset"),
        r.string("output"),
        r.intIn("subjects-per-partition", 1, 1_000_000),
        r.intIn("batch-size", 1, 65536),
        r.intIn("block-size", 1, 1 << 20),
        r.doubleIn("overlap-threshold", -1, 1),
        r.intIn("grid-subjects", 0, 1000),
        r.intIn("grid-samples", 0, 100),
        r.text("fid.reference"),
        r.intIn("fid.max-images", 0, Integer.MAX_VALUE),
        FidFeatures.parse(r.string("fid.features"), "stats.fid.features"));
  }

  /** Whether the report includes a FID to a reference set. */
  public boolean fid() {
    return !fidReference.isEmpty();
  }
}
