package org.cemiface.jobs.plan;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.cemiface.plan.EmbeddingInquiries;
import org.cemiface.plan.Inquiry;
import org.cemiface.plan.MChoice;
import org.cemiface.plan.PlanRow;
import org.cemiface.plan.VolumePlanner;
import org.cemiface.volume.VolumeSettings;

/**
 * The plan job: subjects are spread over tasks, each expands its subjects into rows
 * (VolumePlanner), and Spark writes {@code plan.parquet} (overwriting a previous plan whole). The
 * written table is counted against the volume, so a plan that does not hold exactly the expected
 * rows is never reported as done.
 */
public final class PlanJob {
  /** Subjects per planning task when the partition count is not configured. */
  static final int SUBJECTS_PER_TASK = 2000;

  private PlanJob() {}

  /** What was planned. */
  public record Summary(long subjects, long generated, long copies, int partitions) {
    /** All rows. */
    public long rows() {
      return generated + copies;
    }
  }

  /** Plans {@code volume} over the first kept inquiries and writes {@code output}. */
  public static Summary run(
      SparkSession spark,
      List<Inquiry> kept,
      VolumeSettings volume,
      MChoice m,
      long seed,
      int partitions,
      String output) {
    VolumePlanner.checkEnoughInquiries(kept.size(), volume);
    long subjects = volume.subjects();
    int parts =
        partitions > 0
            ? partitions
            : (int) Math.max(1, (subjects + SUBJECTS_PER_TASK - 1) / SUBJECTS_PER_TASK);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Inquiry> used = new ArrayList<>(kept.subList(0, Math.toIntExact(subjects)));
    Broadcast<List<Inquiry>> inquiries = jsc.broadcast(used);
    try {
      Dataset<Row> plan =
          spark
              .range(0, subjects, 1, parts)
              .flatMap(
                  new PlanSubjects(inquiries, volume, m, seed), Encoders.row(PlanTable.SCHEMA));
      plan.write().mode(SaveMode.Overwrite).parquet(output);
    } finally {
      inquiries.destroy();
    }
    List<Row> counts = spark.read().parquet(output).groupBy("kind").count().collectAsList();
    long generated = 0;
    long copies = 0;
    for (Row r : counts) {
      if (r.getString(0).equals(PlanRow.Kind.GENERATED.label())) {
        generated = r.getLong(1);
      } else {
        copies = r.getLong(1);
      }
    }
    long withImages =
        used.stream().filter(q -> !EmbeddingInquiries.isReference(q.source())).count();
    long expectedCopies = withImages * volume.oversampling();
    // Inquiries given as embeddings have no image to copy (VolumePlanner).
    if (generated != volume.generatedImages() || copies != expectedCopies) {
      throw new IllegalStateException(
          output
              + " holds "
              + generated
              + " generated rows and "
              + copies
              + " copies; volume "
              + volume.name()
              + " needs "
              + volume.generatedImages()
              + " and "
              + expectedCopies
              + ". Rerun plan.");
    }
    return new Summary(subjects, generated, copies, parts);
  }
}
