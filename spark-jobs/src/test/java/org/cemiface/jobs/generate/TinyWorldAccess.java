package org.cemiface.jobs.generate;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.cemiface.config.LoadedConfig;

/** Lets tests of other packages build a {@link TinyWorld} and plan it. */
public final class TinyWorldAccess {
  private TinyWorldAccess() {}

  /**
   * Builds a world with {@code identities} faces under {@code root}; returns overrides for an
   * output.
   */
  public static List<String> create(
      Path root,
      int identities,
      String output,
      int subjects,
      int images,
      int subjectsPerPartition) {
    return new TinyWorld(root, identities)
        .overrides(output, subjects, images, subjectsPerPartition);
  }

  /** Plans the configured volume. */
  public static void plan(SparkSession spark, LoadedConfig c) {
    GenerateJobTest.planWith(spark, c);
  }
}
