package org.cemiface.jobs.analysis;

import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.cemiface.analysis.SimilarityGroups;
import org.cemiface.cli.Command;
import org.cemiface.cli.Invocation;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;

/** {@code analyze-dataset}: each image's similarity to its identity centre, in groups (Table 1). */
public final class AnalyzeDatasetCommand implements Command {
  @Override
  public String name() {
    return "analyze-dataset";
  }

  @Override
  public String summary() {
    return "similarity of every image to its identity centre, split into equal groups (Spark; Table 1)";
  }

  @Override
  public String help() {
    return "Embeds every image of analyze.dataset (ImageFolder, RecordIO or Parquet image table) with encoder.*,\n"
        + "measures its cosine similarity to its identity centre (the normalised mean embedding of the identity,\n"
        + "or the rows of analyze.centers: a Parquet table with label and center, e.g. a classifier head's\n"
        + "weights), splits the images into analyze.groups groups of equal size (group 0 the least similar) and\n"
        + "writes analyze.output: per_image.parquet, groups.parquet, groups.md (the paper's Table 1 layout),\n"
        + "similarity.png and, with analyze.write-groups, groups/group-G/ as ImageFolders for train-fr.\n"
        + "Keys: work-dir, analyze.*, encoder.*, spark.*.";
  }

  @Override
  public int run(Invocation inv) {
    SparkSession spark = SparkSessions.start(SparkSettings.from(inv.config()));
    try {
      AnalyzeDatasetJob.Summary s = AnalyzeDatasetJob.run(spark, inv.config(), inv.err());
      inv.out()
          .printf(
              Locale.ROOT,
              "%,d images (%,d unreadable) analysed in %.1f s%n",
              s.images(),
              s.unreadable(),
              s.seconds());
      inv.out().println("group  images    mean     max     min");
      for (SimilarityGroups.Group g : s.groups()) {
        inv.out()
            .printf(
                Locale.ROOT,
                "%5d %7d  %.4f  %.4f  %.4f%n",
                g.group(),
                g.images(),
                g.mean(),
                g.max(),
                g.min());
      }
      inv.out().println("Analysis: " + s.output() + " (groups.md, similarity.png, groups/)");
      return 0;
    } finally {
      spark.stop();
    }
  }
}
