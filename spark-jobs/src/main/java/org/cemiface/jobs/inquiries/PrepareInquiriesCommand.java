package org.cemiface.jobs.inquiries;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.cemiface.cli.Command;
import org.cemiface.cli.Invocation;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;

/** {@code prepare-inquiries}: a seeded 1-shot sample of a real labelled dataset as filter input. */
public final class PrepareInquiriesCommand implements Command {
  @Override
  public String name() {
    return "prepare-inquiries";
  }

  @Override
  public String summary() {
    return "take one seeded image per identity of a real dataset as inquiry candidates (Spark)";
  }

  @Override
  public String help() {
    return "Takes one image per identity of prepare-inquiries.source (an ImageFolder, or an insightface RecordIO\n"
        + "directory with identity records, such as WebFace4M), drawn from (seed, identity); an unreadable image\n"
        + "falls back to the identity's next one and is named in the table. With prepare-inquiries.max-identities\n"
        + "> 0 only a seeded subset of that many identities is sampled. Writes prepare-inquiries.output, an\n"
        + "ImageFolder (<identity>/<image>, the source bytes unchanged) to use as filter.candidates, and\n"
        + "prepare-inquiries.table (Parquet): identity, status (kept, not_sampled, unreadable, empty), images,\n"
        + "source, output, skipped. Keys: work-dir, seed, prepare-inquiries.*, spark.*.";
  }

  @Override
  public int run(Invocation inv) {
    SparkSession spark = SparkSessions.start(SparkSettings.from(inv.config()));
    try {
      PrepareInquiriesJob.Summary s = PrepareInquiriesJob.run(spark, inv.config(), inv.err());
      inv.out().printf("%,d identities in %.1f s:%n", s.identities(), s.seconds());
      for (Map.Entry<String, Long> e : s.byStatus().entrySet()) {
        inv.out().printf("  %-12s %,d%n", e.getKey(), e.getValue());
      }
      inv.out().println("Inquiry candidates: " + s.output() + " (filter.candidates)");
      inv.out().println("Table: " + s.table());
      return 0;
    } finally {
      spark.stop();
    }
  }
}
