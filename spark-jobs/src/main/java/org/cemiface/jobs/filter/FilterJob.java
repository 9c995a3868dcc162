package org.cemiface.jobs.filter;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.cemiface.config.LoadedConfig;
import org.cemiface.config.RunSettings;
import org.cemiface.config.ShippedConfig;
import org.cemiface.data.ImageEntry;
import org.cemiface.data.TrainingImages;
import org.cemiface.encoder.Embeddings;
import org.cemiface.filter.CandidateCheck;
import org.cemiface.filter.CandidateStatus;
import org.cemiface.filter.FilterDecisions;
import org.cemiface.filter.FilterSettings;
import org.cemiface.io.HadoopFiles;
import org.cemiface.jobs.similarity.BlockTasks;
import org.cemiface.similarity.GreedyFilter;
import org.cemiface.similarity.SimilarPair;

/**
 * The filter job (driver side): embeds candidates block by block (one encoder per task), finds
 * every pair above the threshold with one matrix product per pair of blocks, checks candidates
 * against the optional gallery the same way, runs the deterministic greedy pass on the driver over
 * the sparse pairs, and writes every candidate with its status to {@code inquiries.parquet}. Counts
 * reconcile: candidates = kept + each rejected status.
 */
public final class FilterJob {
  private FilterJob() {}

  /** Candidates per status, in {@link CandidateStatus} order. */
  public record Summary(
      String output, long candidates, Map<String, Long> byStatus, long pairs, double seconds) {
    /** Kept candidates. */
    public long kept() {
      return byStatus.getOrDefault(CandidateStatus.KEPT.label(), 0L);
    }
  }

  /** Runs the job for the resolved configuration {@code loaded}. */
  public static Summary run(SparkSession spark, LoadedConfig loaded, PrintStream log) {
    long start = System.nanoTime();
    RunSettings run = RunSettings.from(loaded.reader());
    FilterSettings settings = FilterSettings.from(loaded.reader());
    String workDir = HadoopFiles.qualified(new Path(run.workDir())).toString();
    ShippedConfig shipped = ShippedConfig.of(loaded.config(), workDir);
    String output = HadoopFiles.qualified(new Path(run.resolve(settings.output()))).toString();
    Path scratch = new Path(new Path(output).getParent(), "_filter-work");
    HadoopFiles.deleteRecursively(scratch);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());

    List<ImageEntry> candidates = TrainingImages.list(run.resolve(settings.candidates()));
    int n = candidates.size();
    int blockSize = settings.blockSize();
    int blocks = (n + blockSize - 1) / blockSize;
    log.printf(
        "[filter] %d candidates from %s in %d blocks of %d%n",
        n, settings.candidates(), blocks, blockSize);
    String blockDir = new Path(scratch, "blocks").toString();
    Dataset<Row> embedded =
        embed(
            spark,
            jsc,
            shipped,
            candidates,
            blockSize,
            blockDir,
            new CandidateCheck(settings.imageSize(), settings.blankStd()));
    Path embeddedPath = new Path(scratch, "embedded.parquet");
    embedded.write().mode(SaveMode.Overwrite).parquet(embeddedPath.toString());
    embedded = spark.read().parquet(embeddedPath.toString());

    List<SimilarPair> pairs =
        BlockTasks.pairsAbove(jsc, blockDir, blocks, (float) settings.threshold());
    log.printf(
        "[filter] %d block pairs: %d candidate pairs above %.2f%n",
        blocks * (blocks + 1) / 2, pairs.size(), settings.threshold());

    boolean[] failedCheck = new boolean[n];
    for (Row r : embedded.where(col("check").isNotNull()).select("order").collectAsList()) {
      failedCheck[(int) r.getLong(0)] = true;
    }
    FilterDecisions.GalleryMatch[] gallery = new FilterDecisions.GalleryMatch[n];
    Arrays.fill(gallery, FilterDecisions.GalleryMatch.NONE);
    if (!settings.gallery().isEmpty()) {
      gallery =
          GalleryStage.run(
              spark,
              jsc,
              shipped,
              run.resolve(settings.gallery()),
              new GalleryStage.CandidateBlocks(blockDir, blocks, blockSize, n),
              new Path(scratch, "gallery").toString(),
              log);
    }
    List<String> ids = candidates.stream().map(ImageEntry::relativePath).toList();
    List<Row> decisions = new ArrayList<>();
    for (FilterDecisions.Decision d :
        FilterDecisions.decide(
            new FilterDecisions.Evidence(
                ids, failedCheck, gallery, pairs, visitOrder(embedded, n, settings.order())),
            settings.galleryThreshold())) {
      decisions.add(
          RowFactory.create(
              (long) d.candidate(), d.status().label(), d.collidedWith(), d.similarity()));
    }

    Dataset<Row> decided = spark.createDataFrame(decisions, InquiriesTable.DECISIONS);
    Dataset<Row> table =
        embedded
            .join(decided, embedded.col("order").equalTo(decided.col("order")), "left")
            .select(
                embedded.col("order"),
                embedded.col("id"),
                embedded.col("source"),
                when(embedded.col("check").isNotNull(), embedded.col("check"))
                    .otherwise(decided.col("status"))
                    .as("status"),
                embedded.col("reason"),
                embedded.col("embedding"),
                embedded.col("norm"),
                decided.col("collided_with"),
                decided.col("similarity"))
            .orderBy("order");
    table.coalesce(1).write().mode(SaveMode.Overwrite).parquet(output);

    Map<String, Long> byStatus = new LinkedHashMap<>();
    for (CandidateStatus s : CandidateStatus.values()) {
      byStatus.put(s.label(), 0L);
    }
    long total = 0;
    for (Row r : spark.read().parquet(output).groupBy("status").count().collectAsList()) {
      byStatus.put(r.getString(0), r.getLong(1));
      total += r.getLong(1);
    }
    if (total != n) {
      throw new IllegalStateException(
          output + " holds " + total + " rows for " + n + " candidates; rerun filter");
    }
    HadoopFiles.deleteRecursively(scratch);
    return new Summary(output, n, byStatus, pairs.size(), (System.nanoTime() - start) / 1e9);
  }

  /**
   * The greedy pass's visiting order: input order, or descending feature norm with ties in input
   * order.
   */
  static int[] visitOrder(Dataset<Row> embedded, int n, FilterSettings.Order order) {
    if (order == FilterSettings.Order.INPUT) {
      return GreedyFilter.inputOrder(n);
    }
    float[] norm = new float[n];
    Arrays.fill(norm, Float.NEGATIVE_INFINITY);
    for (Row r : embedded.where(col("norm").isNotNull()).select("order", "norm").collectAsList()) {
      norm[(int) r.getLong(0)] = r.getFloat(1);
    }
    // A stable sort of the input order: ties keep input order.
    return IntStream.range(0, n)
        .boxed()
        .sorted((a, b) -> Float.compare(norm[b], norm[a]))
        .mapToInt(Integer::intValue)
        .toArray();
  }

  private static Dataset<Row> embed(
      SparkSession spark,
      JavaSparkContext jsc,
      ShippedConfig shipped,
      List<ImageEntry> entries,
      int blockSize,
      String blockDir,
      CandidateCheck check) {
    List<String> paths = new ArrayList<>(entries.size());
    List<String> ids = new ArrayList<>(entries.size());
    for (ImageEntry e : entries) {
      paths.add(e.path());
      ids.add(e.relativePath());
    }
    Broadcast<List<String>> pathsB = jsc.broadcast(paths);
    Broadcast<List<String>> idsB = jsc.broadcast(ids);
    int blocks = (entries.size() + blockSize - 1) / blockSize;
    List<Integer> blockIds = new ArrayList<>();
    for (int b = 0; b < blocks; b++) {
      blockIds.add(b);
    }
    JavaRDD<Row> rows =
        jsc.parallelize(blockIds, Math.max(1, blocks))
            .mapPartitions(new EmbedCandidates(shipped, pathsB, idsB, blockSize, blockDir, check));
    return spark.createDataFrame(rows, InquiriesTable.EMBEDDED);
  }

  /**
   * Embeds a gallery given as images and returns one normalised centre per identity (class label),
   * in label order; images that fail to decode are left out.
   */
  static float[][] identityCentres(
      SparkSession spark,
      JavaSparkContext jsc,
      ShippedConfig shipped,
      List<ImageEntry> entries,
      int blockSize,
      String scratchDir) {
    int[] labels = entries.stream().mapToInt(ImageEntry::label).toArray();
    Broadcast<int[]> labelsB = jsc.broadcast(labels);
    List<scala.Tuple2<Integer, float[]>> sums =
        embed(spark, jsc, shipped, entries, blockSize, scratchDir, new CandidateCheck(0, 0))
            .where(col("check").isNull())
            .select("order", "embedding")
            .javaRDD()
            .mapToPair(
                r -> new scala.Tuple2<>(labelsB.value()[(int) r.getLong(0)], floats(r.getList(1))))
            .reduceByKey(FilterJob::add)
            .collect();
    int classes = labels.length == 0 ? 0 : Arrays.stream(labels).max().getAsInt() + 1;
    float[][] centres = new float[classes][];
    for (scala.Tuple2<Integer, float[]> t : sums) {
      centres[t._1()] = Embeddings.normalizedRows(t._2(), 1)[0];
    }
    return centres;
  }

  private static float[] floats(List<Float> list) {
    float[] v = new float[list.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = list.get(i);
    }
    return v;
  }

  private static float[] add(float[] a, float[] b) {
    float[] out = a.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] += b[i];
    }
    return out;
  }
}
