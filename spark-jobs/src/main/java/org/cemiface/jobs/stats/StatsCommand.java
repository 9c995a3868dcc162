package org.cemiface.jobs.stats;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.cemiface.cli.Command;
import org.cemiface.cli.Invocation;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;

/** {@code stats}: embedding statistics tables and the report of a generated dataset. */
public final class StatsCommand implements Command {
  @Override
  public String name() {
    return "stats";
  }

  @Override
  public String summary() {
    return "embed a generated dataset on Spark: per-image/per-subject/histogram/control tables and report.md";
  }

  @Override
  public String help() {
    return "Embeds every image of stats.dataset (a generate output) and its inquiries with encoder.* and writes to\n"
        + "stats.output: per_image.parquet (similarity to the inquiry and to the subject centre, |achieved - m|),\n"
        + "per_subject.parquet (count, mean, std, min, max, nearest other subject), histogram.parquet (0.1 bins over\n"
        + "[-1, 1]), control.parquet (by requested m) and report.md with histogram.png, control.png, grid.png.\n"
        + "Query them with bin/cemiface sql (docs/querying.md). Keys: work-dir, stats.*, encoder.*, spark.*.";
  }

  @Override
  public int run(Invocation inv) {
    SparkSession spark = SparkSessions.start(SparkSettings.from(inv.config()));
    try {
      StatsJob.Summary s = StatsJob.run(spark, inv.config(), inv.err());
      inv.out()
          .printf(
              "Statistics of %d images in %d subjects in %.1f s:%n",
              s.images(), s.subjects(), s.seconds());
      for (String line : s.keyFigures()) {
        inv.out().println("  " + line);
      }
      inv.out().println("Tables: " + s.output() + " (per_image, per_subject, histogram, control)");
      inv.out().println("Report: " + new Path(s.output(), "report.md"));
      return 0;
    } finally {
      spark.stop();
    }
  }
}
