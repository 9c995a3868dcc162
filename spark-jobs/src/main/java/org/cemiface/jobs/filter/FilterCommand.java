package org.cemiface.jobs.filter;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.cemiface.cli.Command;
import org.cemiface.cli.Invocation;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;

/** {@code filter}: inquiry candidates → inquiries.parquet with a status per candidate. */
public final class FilterCommand implements Command {
  @Override
  public String name() {
    return "filter";
  }

  @Override
  public String summary() {
    return "embed inquiry candidates on Spark and drop near-duplicates and gallery matches (inquiries.parquet)";
  }

  @Override
  public String help() {
    return "Embeds every image of filter.candidates (ImageFolder, RecordIO or Parquet image table) with the encoder\n"
        + "of encoder.*, rejects unreadable / wrong_size / blank images, drops candidates more similar than\n"
        + "filter.threshold to any entry of filter.gallery (matches_gallery) or to an earlier kept candidate\n"
        + "(too_similar; greedy in input order or by descending feature norm, filter.order; pairs from blockwise\n"
        + "matrix products), and writes filter.output (Parquet): order, id, source, status, reason, embedding, norm,\n"
        + "collided_with, similarity. The kept rows are\n"
        + "the inquiries bin/cemiface plan reads. Keys: work-dir, filter.*, encoder.*, spark.*.";
  }

  @Override
  public int run(Invocation inv) {
    SparkSession spark = SparkSessions.start(SparkSettings.from(inv.config()));
    try {
      FilterJob.Summary s = FilterJob.run(spark, inv.config(), inv.err());
      inv.out()
          .printf(
              "Filtered %d candidates in %.1f s (%d pairs above the threshold):%n",
              s.candidates(), s.seconds(), s.pairs());
      for (Map.Entry<String, Long> e : s.byStatus().entrySet()) {
        inv.out().printf("  %-16s %d%n", e.getKey(), e.getValue());
      }
      inv.out().println("Inquiries: " + s.output());
      return 0;
    } finally {
      spark.stop();
    }
  }
}
