package org.cemiface.jobs.runs;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.cemiface.cli.Command;
import org.cemiface.cli.Invocation;
import org.cemiface.cli.UsageError;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;

/** {@code export}: a family's completed runs as one ImageFolder for face-recognition training. */
public final class ExportCommand implements Command {
  @Override
  public String name() {
    return "export";
  }

  @Override
  public String summary() {
    return "the union of a family's completed runs (or --runs) as one ImageFolder (Spark)";
  }

  @Override
  public String help() {
    return "Copies every image of the completed runs of --family NAME (all, or those listed by --runs a,b,c)\n"
        + "into --output DIR as one ImageFolder: <subject>/<index>.<ext> with each run's subjects renumbered\n"
        + "by its first subject in the family, so classes never collide; export.json names the runs. The folder\n"
        + "is staged and renamed into place. Keys: work-dir, family.root, spark.*.";
  }

  @Override
  public Set<String> options() {
    return Set.of("--family", "--runs", "--output");
  }

  @Override
  public int run(Invocation inv) {
    String family =
        inv.option("--family").orElseThrow(() -> new UsageError("--family NAME is required"));
    String output =
        inv.option("--output").orElseThrow(() -> new UsageError("--output DIR is required"));
    Set<String> runs = new LinkedHashSet<>();
    inv.option("--runs")
        .ifPresent(
            r ->
                Arrays.stream(r.split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .forEach(runs::add));
    SparkSession spark = SparkSessions.start(SparkSettings.from(inv.config()));
    try {
      FamilyExport.Summary s =
          FamilyExport.run(spark, inv.config(), family, runs, output, inv.err());
      inv.out()
          .printf(
              "Exported %d runs of %s (%d subjects, %d images) to %s%n",
              s.runs().size(), family, s.subjects(), s.images(), s.output());
      return 0;
    } finally {
      spark.stop();
    }
  }
}
