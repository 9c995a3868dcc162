package org.cemiface.jobs.analysis;

import org.cemiface.config.ConfigReader;

/** The {@code analyze} section: a labelled dataset's similarity-to-centre analysis. */
public record AnalysisSettings(
    String dataset, String output, int groups, String centers, boolean writeGroups, int blockSize) {
  /** Reads the section. */
  public static AnalysisSettings from(ConfigReader root) {
    ConfigReader r = root.section("analyze");
    return new AnalysisSettings(
        r.text("dataset"),
        r.string("output"),
        r.intIn("groups", 1, 100),
        r.text("centers"),
        r.bool("write-groups"),
        r.intIn("block-size", 1, 1_000_000));
  }
}
