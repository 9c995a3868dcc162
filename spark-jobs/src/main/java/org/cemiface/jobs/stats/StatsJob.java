package org.cemiface.jobs.stats;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.cemiface.config.LoadedConfig;
import org.cemiface.config.RunSettings;
import org.cemiface.config.ShippedConfig;
import org.cemiface.io.HadoopFiles;
import org.cemiface.jobs.TaskProgressListener;
import org.cemiface.jobs.generate.SubjectBlockPartitioner;
import org.cemiface.jobs.similarity.BlockTasks;
import org.cemiface.progress.Progress;
import org.cemiface.stats.StatsSettings;
import org.cemiface.stats.SubjectStats;

/**
 * The stats job (driver side): embeds every stored image of a generated dataset with the configured
 * encoder, one encoder per task over blocks of whole subjects; writes per_image, per_subject (with
 * the nearest other subject from blockwise centre products), histogram and control tables; then the
 * report.
 */
public final class StatsJob {
  /**
   * The control table: per requested m, the count, mean and population standard deviation of the
   * achieved similarity and the mean |achieved − m|. Each m's values are summed in sorted order,
   * not in the order partial aggregates happen to merge, so a rerun (a lost executor, a retried
   * task) gives the same bits.
   */
  static final String CONTROL_SQL =
      "SELECT m, CAST(n AS BIGINT) AS images, mean AS mean_similarity,"
          + " sqrt(aggregate(v, 0D, (a, x) -> a + (x - mean) * (x - mean)) / n) AS std_similarity,"
          + " aggregate(e, 0D, (a, x) -> a + x) / size(e) AS mean_abs_error"
          + " FROM (SELECT m, v, e, size(v) AS n, aggregate(v, 0D, (a, x) -> a + x) / size(v) AS mean"
          + " FROM (SELECT m, array_sort(collect_list(CAST(sim_inquiry AS DOUBLE))) AS v,"
          + " array_sort(collect_list(CAST(abs_error AS DOUBLE))) AS e"
          + " FROM per_image WHERE kind = 'generated' AND NOT isnan(m) GROUP BY m))"
          + " ORDER BY m";

  /** Bins of the similarity histogram over [−1, 1]. */
  public static final int BINS = 20;

  private StatsJob() {}

  /** Where the tables went. */
  public record Summary(
      String output, long images, long subjects, List<String> keyFigures, double seconds) {}

  /** Runs the job for the resolved configuration {@code loaded}. */
  public static Summary run(SparkSession spark, LoadedConfig loaded, PrintStream log) {
    long start = System.nanoTime();
    RunSettings run = RunSettings.from(loaded.reader());
    StatsSettings settings = StatsSettings.from(loaded.reader());
    String workDir = HadoopFiles.qualified(new Path(run.workDir())).toString();
    String dataset = HadoopFiles.qualified(new Path(run.resolve(settings.dataset()))).toString();
    String output = HadoopFiles.qualified(new Path(run.resolve(settings.output()))).toString();
    Path samplesPath = new Path(dataset, "samples.parquet");
    // A dataset this pipeline generated has samples.parquet (inquiries, m); any other labelled
    // dataset is measured against its identity centres.
    boolean generated = HadoopFiles.exists(samplesPath);
    Path scratch = new Path(output, "_work");
    HadoopFiles.deleteRecursively(scratch);
    String centerDir = new Path(scratch, "centers").toString();
    String momentsDir = settings.fid() ? new Path(scratch, "moments").toString() : null;
    ShippedConfig shipped = ShippedConfig.of(loaded.config(), workDir);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());

    Dataset<Row> samples;
    if (generated) {
      samples = spark.read().parquet(samplesPath.toString());
    } else {
      try {
        samples = LabelledSamples.of(spark, dataset);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "stats.dataset "
                + dataset
                + " has no samples.parquet (run bin/cemiface generate) and is not a labelled"
                + " dataset either: "
                + e.getMessage(),
            e);
      }
      log.printf(
          "[stats] %s has no samples.parquet: a labelled dataset, each image measured against its"
              + " identity centre%n",
          dataset);
    }
    long maxSubject = samples.agg(org.apache.spark.sql.functions.max("subject")).first().getLong(0);
    int spp = settings.subjectsPerPartition();
    int blocks = SubjectBlockPartitioner.blockOf(maxSubject, spp) + 1;
    JavaRDD<SubjectStats.Result> results =
        samples
            .javaRDD()
            .mapToPair(r -> new scala.Tuple2<>(r.getLong(r.fieldIndex("subject")), SampleRef.of(r)))
            .partitionBy(new SubjectBlockPartitioner(spp, blocks))
            .mapPartitionsWithIndex(
                new StatsPartition(
                    shipped,
                    dataset,
                    centerDir,
                    settings.batchSize(),
                    momentsDir,
                    settings.fidFeatures()),
                false)
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      TaskProgressListener listener =
          new TaskProgressListener(new Progress("stats", "blocks", blocks, log));
      spark.sparkContext().addSparkListener(listener);
      try {
        results.count();
      } finally {
        spark.sparkContext().removeSparkListener(listener);
      }
      Dataset<Row> perImage =
          spark.createDataFrame(
              results.flatMap(r -> StatsTables.imageRows(r).iterator()), StatsTables.PER_IMAGE);
      perImage.write().mode(SaveMode.Overwrite).parquet(table(output, "per_image"));
      Dataset<Row> subjects =
          spark.createDataFrame(results.map(StatsTables::subjectRow), StatsTables.SUBJECT);
      Dataset<Row> nearest =
          spark.createDataFrame(nearest(jsc, centerDir, blocks), StatsTables.NEAREST);
      subjects
          .join(nearest, new String[] {"subject"}, "left")
          .orderBy("subject")
          .write()
          .mode(SaveMode.Overwrite)
          .parquet(table(output, "per_subject"));
    } finally {
      results.unpersist();
    }
    Dataset<Row> images = spark.read().parquet(table(output, "per_image"));
    images.createOrReplaceTempView("per_image");
    spark
        .createDataFrame(histogram(spark), StatsTables.HISTOGRAM)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(table(output, "histogram"));
    spark.sql(CONTROL_SQL).write().mode(SaveMode.Overwrite).parquet(table(output, "control"));
    HadoopFiles.deleteRecursively(new Path(table(output, "fid")));
    FidStage.Result fid =
        settings.fid()
            ? FidStage.run(spark, shipped, settings, momentsDir, blocks, output, log)
            : null;
    StatsReport.KeyFigures figures =
        StatsReport.write(spark, output, dataset, generated, settings, fid, log);
    HadoopFiles.deleteRecursively(scratch);
    long subjectCount = spark.read().parquet(table(output, "per_subject")).count();
    return new Summary(
        output, images.count(), subjectCount, figures.lines(), (System.nanoTime() - start) / 1e9);
  }

  /** The directory of stats table {@code name}. */
  public static String table(String output, String name) {
    return new Path(output, name + ".parquet").toString();
  }

  private static List<Row> nearest(JavaSparkContext jsc, String centerDir, int blocks) {
    List<Row> rows = new ArrayList<>();
    BlockTasks.bestMatches(jsc, centerDir, blocks, centerDir, blocks, true)
        .forEach(
            (subject, best) ->
                rows.add(RowFactory.create(subject, best.index(), best.similarity())));
    return rows;
  }

  /**
   * Counts of generated images per 0.1-wide bin of similarity to the inquiry over [−1, 1], every
   * bin present.
   */
  private static List<Row> histogram(SparkSession spark) {
    long[] counts = new long[BINS];
    for (Row r :
        spark
            .sql(
                "SELECT least(greatest(CAST(floor((CAST(sim_inquiry AS DOUBLE) + 1) * 10) AS INT), 0), "
                    + (BINS - 1)
                    + ") AS bin, count(*) FROM per_image WHERE kind = 'generated' GROUP BY 1")
            .collectAsList()) {
      counts[r.getInt(0)] = r.getLong(1);
    }
    List<Row> rows = new ArrayList<>();
    for (int b = 0; b < BINS; b++) {
      rows.add(RowFactory.create(b, (b - 10) / 10.0, (b - 9) / 10.0, counts[b]));
    }
    return rows;
  }
}
