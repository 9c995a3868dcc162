package org.cemiface.jobs.generate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cemiface.checkpoint.ModelWeights;
import org.cemiface.config.LoadedConfig;
import org.cemiface.config.RunSettings;
import org.cemiface.config.ShippedConfig;
import org.cemiface.generate.BlockGenerator;
import org.cemiface.generate.DatasetLayout;
import org.cemiface.generate.GenerateSettings;
import org.cemiface.image.ImageSettings;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.HadoopPaths;
import org.cemiface.jobs.GenerationFingerprint;
import org.cemiface.jobs.TaskProgressListener;
import org.cemiface.jobs.plan.PlanTable;
import org.cemiface.plan.PlanRow;
import org.cemiface.progress.Progress;
import org.cemiface.recordio.RecordIoMerge;
import org.cemiface.runs.Fingerprint;

/**
 * The generate job (driver side): splits the plan into blocks of whole subjects, skips blocks an
 * earlier run completed, runs one task per remaining block, then checks the samples table against
 * the plan, merges the RecordIO parts, removes attempt leftovers and writes {@code generate.json},
 * the run's commit point.
 */
public final class GenerateJob {
  private GenerateJob() {}

  /** What the dataset holds after the run. */
  public record Summary(
      String output,
      long subjects,
      long generated,
      long copies,
      int blocks,
      int blocksRun,
      long subjectsReused,
      long recordIoImages,
      double seconds,
      String models) {
    /** Images in the dataset. */
    public long images() {
      return generated + copies;
    }
  }

  /** Runs the job for the resolved configuration {@code loaded}. */
  /**
   * Completed blocks are reused only when they were made with this generation's fingerprint
   * (configuration keys that decide the images, model and encoder checksums, code version): a
   * resumed output never mixes blocks made with other settings. The first run writes it.
   */
  static void checkFingerprint(LoadedConfig loaded, String output, int completedBlocks) {
    Fingerprint now = GenerationFingerprint.of(loaded);
    Path file = new Path(output, "fingerprint.json");
    if (completedBlocks > 0 && HadoopFiles.exists(file)) {
      List<String> changed =
          Fingerprint.fromJson(
                  JsonParser.parseString(
                          new String(HadoopFiles.readAllBytes(file), StandardCharsets.UTF_8))
                      .getAsJsonObject())
              .differences(now);
      if (!changed.isEmpty()) {
        throw new IllegalArgumentException(
            output
                + " holds "
                + completedBlocks
                + " blocks made with other settings; these differ: "
                + String.join(", ", changed)
                + ". Choose another generate.output, or delete this one to start over");
      }
      return;
    }
    HadoopFiles.writeAtomically(
        file,
        new GsonBuilder()
            .setPrettyPrinting()
            .create()
            .toJson(now.toJson())
            .getBytes(StandardCharsets.UTF_8));
  }

  public static Summary run(SparkSession spark, LoadedConfig loaded, PrintStream log) {
    long start = System.nanoTime();
    RunSettings run = RunSettings.from(loaded.reader());
    GenerateSettings settings = GenerateSettings.from(loaded.reader());
    ImageSettings image = ImageSettings.from(loaded.reader());
    String workDir = HadoopFiles.qualified(new Path(run.workDir())).toString();
    String output = HadoopFiles.qualified(new Path(run.resolve(settings.output()))).toString();
    String planPath = run.resolve(settings.plan());
    if (!HadoopFiles.exists(new Path(planPath))) {
      throw new IllegalArgumentException(
          "plan not found: " + planPath + " (generate.plan): run bin/cemiface plan first");
    }
    DatasetLayout layout = new DatasetLayout(output, image.format());
    ModelWeights weights =
        settings.plumbing()
            ? null
            : ModelWeights.locate(new Path(run.resolve(settings.model())), settings.weights());
    if (weights != null) {
      log.println("Model: " + weights.describe());
    }
    int spp = settings.subjectsPerPartition();

    Dataset<Row> plan = spark.read().parquet(planPath);
    TreeMap<Integer, long[]> perBlock = blockCounts(plan, spp);
    int blocks = perBlock.isEmpty() ? 0 : perBlock.lastKey() + 1;
    Map<Integer, Long> firstKeys = new TreeMap<>();
    long key = 1;
    for (int b = 0; b < blocks; b++) {
      firstKeys.put(b, key);
      key += perBlock.containsKey(b) ? perBlock.get(b)[0] : 0;
    }
    Set<Integer> done = completedBlocks(layout);
    checkFingerprint(loaded, output, done.size());
    List<Integer> pending = new ArrayList<>();
    for (int b : perBlock.keySet()) {
      if (!done.contains(b)) {
        pending.add(b);
      }
    }
    log.printf(
        "[generate] %s: %d subjects in %d blocks of %d; %d already complete, %d to run%n",
        planPath,
        perBlock.values().stream().mapToLong(v -> v[1]).sum(),
        perBlock.size(),
        spp,
        perBlock.size() - pending.size(),
        pending.size());

    GenerateTask task =
        new GenerateTask(
            ShippedConfig.of(loaded.config(), workDir),
            layout,
            weights == null ? "" : HadoopFiles.qualified(weights.dir()).toString(),
            weights == null ? "" : weights.name(),
            firstKeys);
    Set<Integer> skip = new HashSet<>(done);
    JavaPairRDD<Long, PlanRow> rows =
        plan.javaRDD()
            .mapToPair(
                r -> new scala.Tuple2<>(r.getLong(r.fieldIndex("subject")), PlanTable.fromRow(r)))
            .filter(t -> !skip.contains(SubjectBlockPartitioner.blockOf(t._1(), spp)))
            .partitionBy(new SubjectBlockPartitioner(spp, Math.max(1, blocks)));
    List<BlockGenerator.Result> results = List.of();
    if (!pending.isEmpty()) {
      // One task per block; those of completed blocks are empty and finish at once.
      Progress progress = new Progress("generate", "blocks", rows.getNumPartitions(), log);
      TaskProgressListener listener = new TaskProgressListener(progress);
      spark.sparkContext().addSparkListener(listener);
      try {
        results = rows.mapPartitionsWithIndex(new GeneratePartition(task), false).collect();
      } finally {
        spark.sparkContext().removeSparkListener(listener);
      }
    }

    Verified verified = verifyAndFinish(spark, layout, settings, perBlock);
    HadoopFiles.deleteRecursively(layout.temporary());
    String models =
        settings.plumbing()
            ? "PLUMBING MODEL (no diffusion): overhead measurement only"
            : "CemiFace " + weights.params();
    long reused = results.stream().mapToLong(BlockGenerator.Result::subjectsReused).sum();
    Summary summary =
        new Summary(
            layout.root(),
            verified.subjects(),
            verified.generated(),
            verified.rows() - verified.generated(),
            blocks,
            results.size(),
            reused,
            verified.recordIoImages(),
            (System.nanoTime() - start) / 1e9,
            models);
    HadoopFiles.writeAtomically(layout.summary(), toJson(summary).getBytes(StandardCharsets.UTF_8));
    return summary;
  }

  /** Per block: {rows, subjects}. */
  private static TreeMap<Integer, long[]> blockCounts(Dataset<Row> plan, int spp) {
    TreeMap<Integer, long[]> out = new TreeMap<>();
    for (Row r :
        plan.groupBy(floor(col("subject").divide(lit(spp))).cast("int").as("block"))
            .agg(
                count(lit(1)).as("rows"),
                org.apache.spark.sql.functions.countDistinct(col("subject")).as("subjects"))
            .collectAsList()) {
      out.put(r.getInt(0), new long[] {r.getLong(1), r.getLong(2)});
    }
    return out;
  }

  private static Set<Integer> completedBlocks(DatasetLayout layout) {
    Set<Integer> done = new HashSet<>();
    Path dir = layout.samples();
    try {
      var fs = HadoopPaths.fileSystem(dir);
      if (fs.exists(dir)) {
        for (FileStatus f : fs.listStatus(dir)) {
          int b = DatasetLayout.blockOfPart(f.getPath().getName());
          if (b >= 0) {
            done.add(b);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    return done;
  }

  /** What the samples table holds after the run, checked against the plan. */
  private record Verified(long rows, long generated, long subjects, long recordIoImages) {}

  private static Verified verifyAndFinish(
      SparkSession spark,
      DatasetLayout layout,
      GenerateSettings settings,
      Map<Integer, long[]> perBlock) {
    Set<Integer> done = completedBlocks(layout);
    for (int b : perBlock.keySet()) {
      if (!done.contains(b)) {
        throw new IllegalStateException(
            "block "
                + b
                + " has no "
                + layout.samplesPart(b)
                + " after the job; rerun"
                + " generate to finish it");
      }
    }
    long planned = perBlock.values().stream().mapToLong(v -> v[0]).sum();
    Dataset<Row> samples = spark.read().parquet(layout.samples().toString());
    Row counts =
        samples
            .agg(
                count(lit(1)),
                org.apache.spark.sql.functions.countDistinct(col("subject"), col("index")),
                org.apache.spark.sql.functions.sum(
                    org.apache
                        .spark
                        .sql
                        .functions
                        .when(col("kind").equalTo(PlanRow.Kind.GENERATED.label()), 1)
                        .otherwise(0)),
                org.apache.spark.sql.functions.countDistinct(col("subject")))
            .first();
    long rows = counts.getLong(0);
    if (rows != planned || counts.getLong(1) != planned) {
      throw new IllegalStateException(
          layout.samples()
              + " holds "
              + rows
              + " rows ("
              + counts.getLong(1)
              + " distinct images) but the plan has "
              + planned
              + "; remove the stale part files and rerun generate");
    }
    long generated = counts.getLong(2);
    long recordIoImages = 0;
    if (settings.recordIo()) {
      Row size = samples.select("width", "height").first();
      List<Path> parts = new ArrayList<>();
      for (int b : perBlock.keySet()) {
        parts.add(layout.recordIoPart(b));
      }
      recordIoImages =
          RecordIoMerge.merge(parts, layout.recordIo(), size.getInt(0), size.getInt(1)).images();
    }
    return new Verified(rows, generated, counts.getLong(3), recordIoImages);
  }

  private static String toJson(Summary s) {
    return String.format(
        Locale.ROOT,
        "{\n  \"output\": \"%s\",\n  \"subjects\": %d,\n  \"images\": %d,\n"
            + "  \"generated\": %d,\n  \"inquiry_copies\": %d,\n  \"blocks\": %d,\n  \"blocks_run\": %d,\n"
            + "  \"subjects_reused\": %d,\n  \"recordio_images\": %d,\n  \"seconds\": %.1f,\n  \"models\": \"%s\"\n}\n",
        s.output(),
        s.subjects(),
        s.images(),
        s.generated(),
        s.copies(),
        s.blocks(),
        s.blocksRun(),
        s.subjectsReused(),
        s.recordIoImages(),
        s.seconds(),
        s.models().replace("\"", "'"));
  }
}
