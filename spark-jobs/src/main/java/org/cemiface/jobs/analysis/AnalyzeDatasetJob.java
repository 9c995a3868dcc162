package org.cemiface.jobs.analysis;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.cemiface.analysis.ClassCenters;
import org.cemiface.analysis.SimilarityGroups;
import org.cemiface.config.LoadedConfig;
import org.cemiface.config.RunSettings;
import org.cemiface.config.ShippedConfig;
import org.cemiface.data.ImageBytes;
import org.cemiface.data.ImageEntry;
import org.cemiface.data.TrainingImages;
import org.cemiface.image.ImageEncoder;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.HadoopPaths;
import org.cemiface.jobs.TaskProgressListener;
import org.cemiface.progress.Progress;
import org.cemiface.report.Charts;
import scala.Tuple2;

/**
 * The analysis behind the method (section 3.1, Table 1): every image of a labelled dataset
 * embedded, its similarity to its identity centre (the normalised mean embedding of its identity,
 * or a given centre such as a classifier head's weight row), the images split into groups of equal
 * size by that similarity, each group's figures as a table and a plot, and each group written as an
 * ImageFolder that train-fr can learn from. Everything goes to a staging directory renamed into
 * place at the end.
 */
public final class AnalyzeDatasetJob {
  private AnalyzeDatasetJob() {}

  /** What the run found. */
  public record Summary(
      String output,
      long images,
      long unreadable,
      List<SimilarityGroups.Group> groups,
      double seconds) {}

  /** Runs the job for the resolved configuration {@code loaded}. */
  public static Summary run(SparkSession spark, LoadedConfig loaded, PrintStream log) {
    long start = System.nanoTime();
    RunSettings run = RunSettings.from(loaded.reader());
    AnalysisSettings settings = AnalysisSettings.from(loaded.reader());
    if (settings.dataset().isEmpty()) {
      throw new IllegalArgumentException(
          "analyze.dataset is empty: set it to a labelled ImageFolder, RecordIO directory or Parquet"
              + " image table");
    }
    String workDir = HadoopFiles.qualified(new Path(run.workDir())).toString();
    ShippedConfig shipped = ShippedConfig.of(loaded.config(), workDir);
    Path output = HadoopFiles.qualified(new Path(run.resolve(settings.output())));
    Path staging = new Path(output.getParent(), "_staging-" + output.getName());
    HadoopFiles.deleteRecursively(staging);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());

    List<ImageEntry> entries = TrainingImages.list(run.resolve(settings.dataset()));
    int n = entries.size();
    int blocks = (n + settings.blockSize() - 1) / settings.blockSize();
    log.printf(
        "[analyze] %,d images of %s in %d blocks; %d groups%n",
        n, settings.dataset(), blocks, settings.groups());
    Broadcast<List<ImageEntry>> entriesB = jsc.broadcast(entries);
    List<Integer> blockIds = new ArrayList<>();
    for (int b = 0; b < blocks; b++) {
      blockIds.add(b);
    }
    TaskProgressListener listener =
        new TaskProgressListener(new Progress("analyze", "blocks", blocks, log));
    spark.sparkContext().addSparkListener(listener);
    Path embeddedPath = new Path(staging, "_embedded.parquet");
    try {
      spark
          .createDataFrame(
              jsc.parallelize(blockIds, Math.max(1, blocks))
                  .mapPartitions(new EmbedDataset(shipped, entriesB, settings.blockSize())),
              AnalysisTables.EMBEDDED)
          .write()
          .mode(SaveMode.Overwrite)
          .parquet(embeddedPath.toString());
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
    Dataset<Row> embedded = spark.read().parquet(embeddedPath.toString());

    Map<Integer, float[]> centers =
        settings.centers().isEmpty()
            ? meanCenters(embedded)
            : givenCenters(spark, run.resolve(settings.centers()));
    for (Row r :
        embedded.select("label").where("embedding IS NOT NULL").distinct().collectAsList()) {
      if (!centers.containsKey(r.getInt(0))) {
        throw new IllegalArgumentException(
            "analyze.centers " + settings.centers() + " has no centre for label " + r.getInt(0));
      }
    }
    // Similarities on the executors: only one double per image comes back to the driver, which
    // ranks them into groups.
    Broadcast<Map<Integer, float[]>> centersB = jsc.broadcast(centers);
    JavaRDD<Tuple2<Long, Double>> scored =
        embedded
            .select("order", "label", "embedding")
            .where("embedding IS NOT NULL")
            .javaRDD()
            .map(
                r ->
                    new Tuple2<>(
                        r.getLong(0),
                        ClassCenters.similarity(
                            floats(r.getList(2)), centersB.value().get(r.getInt(1)))));
    double[] similarity = new double[n];
    Arrays.fill(similarity, Double.NaN);
    long readable = 0;
    for (Tuple2<Long, Double> t : scored.collect()) {
      similarity[Math.toIntExact(t._1())] = t._2();
      readable++;
    }
    long unreadable = n - readable;
    SimilarityGroups groups = SimilarityGroups.split(similarity, settings.groups());
    int[] groupOf = new int[n];
    for (int i = 0; i < n; i++) {
      groupOf[i] = groups.groupOf(i);
    }
    Broadcast<double[]> similarityB = jsc.broadcast(similarity);
    Broadcast<int[]> groupB = jsc.broadcast(groupOf);
    spark
        .createDataFrame(
            embedded
                .select("order", "id", "label", "reason")
                .javaRDD()
                .map(r -> perImageRow(r, similarityB.value(), groupB.value())),
            AnalysisTables.PER_IMAGE)
        .orderBy("order")
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(new Path(staging, "per_image.parquet").toString());
    List<Row> groupRows = new ArrayList<>();
    for (SimilarityGroups.Group g : groups.groups()) {
      groupRows.add(RowFactory.create(g.group(), g.images(), g.mean(), g.min(), g.max()));
    }
    spark
        .createDataFrame(groupRows, AnalysisTables.GROUPS)
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(new Path(staging, "groups.parquet").toString());
    writeReport(staging, settings, n, unreadable, groups, similarity);
    if (settings.writeGroups()) {
      String groupDir = new Path(staging, "groups").toString();
      int blockSize = settings.blockSize();
      jsc.parallelize(blockIds, Math.max(1, blocks))
          .foreach(b -> copyBlock(b, blockSize, entriesB.value(), groupB.value(), groupDir));
    }
    HadoopFiles.deleteRecursively(new Path(staging, "_embedded.parquet"));
    try {
      HadoopFiles.commit(HadoopPaths.fileSystem(output), staging, output);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish " + output + ": " + e.getMessage(), e);
    }
    return new Summary(
        output.toString(), n, unreadable, groups.groups(), (System.nanoTime() - start) / 1e9);
  }

  /** An image's per_image row: its similarity and group, or unreadable with the reason. */
  private static Row perImageRow(Row r, double[] similarity, int[] groupOf) {
    int i = Math.toIntExact(r.getLong(0));
    boolean ok = !Double.isNaN(similarity[i]);
    return RowFactory.create(
        r.getLong(0),
        r.getString(1),
        r.getInt(2),
        ok ? "ok" : "unreadable",
        r.isNullAt(3) ? null : r.getString(3),
        ok ? similarity[i] : null,
        ok ? groupOf[i] : null);
  }

  private static Map<Integer, float[]> meanCenters(Dataset<Row> embedded) {
    Map<Integer, float[]> sums =
        embedded
            .select("label", "embedding")
            .where("embedding IS NOT NULL")
            .javaRDD()
            .mapToPair(r -> new Tuple2<>(r.getInt(0), floats(r.getList(1))))
            .aggregateByKey(
                (float[]) null,
                ClassCenters::accumulate,
                (a, b) -> {
                  if (a == null) {
                    return b;
                  }
                  if (b != null) {
                    for (int i = 0; i < a.length; i++) {
                      a[i] += b[i];
                    }
                  }
                  return a;
                })
            .collectAsMap();
    return ClassCenters.normalize(new HashMap<>(sums));
  }

  /** Centres given as a Parquet table: int {@code label} and float-array {@code center}. */
  private static Map<Integer, float[]> givenCenters(SparkSession spark, String path) {
    Dataset<Row> t = spark.read().parquet(path);
    for (String column : List.of("label", "center")) {
      if (!List.of(t.columns()).contains(column)) {
        throw new IllegalArgumentException(
            "analyze.centers "
                + path
                + " has no column '"
                + column
                + "' (label int, center array<float>)");
      }
    }
    Map<Integer, float[]> sums = new HashMap<>();
    for (Row r : t.select("label", "center").collectAsList()) {
      sums.put(((Number) r.get(0)).intValue(), floats(r.getList(1)));
    }
    return ClassCenters.normalize(sums);
  }

  private static float[] floats(List<Object> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) values.get(i)).floatValue();
    }
    return out;
  }

  /**
   * Copies a block's images into groups/group-G/CLASS/FILE (RecordIO and Parquet rows get a file).
   */
  private static void copyBlock(
      int block, int blockSize, List<ImageEntry> entries, int[] groupOf, String groupDir) {
    int to = Math.min(entries.size(), (block + 1) * blockSize);
    for (int i = block * blockSize; i < to; i++) {
      if (groupOf[i] < 0) {
        continue;
      }
      ImageEntry e = entries.get(i);
      byte[] bytes = ImageBytes.read(e);
      HadoopFiles.writeAtomically(
          new Path(new Path(groupDir, "group-" + groupOf[i]), relativeFile(e, i, bytes)), bytes);
    }
  }

  /** An ImageFolder path for an image: its own for ImageFolders, label/order.ext otherwise. */
  static String relativeFile(ImageEntry e, int order, byte[] bytes) {
    String id = e.relativePath();
    if (id.indexOf('/') > 0 && !id.contains("#")) {
      return id;
    }
    boolean png = bytes.length > 3 && (bytes[0] & 0xFF) == 0x89 && bytes[1] == 'P';
    return String.format(Locale.ROOT, "%07d/%09d.%s", e.label(), order, png ? "png" : "jpg");
  }

  private static void writeReport(
      Path staging,
      AnalysisSettings settings,
      int images,
      long unreadable,
      SimilarityGroups groups,
      double[] similarity) {
    StringBuilder md = new StringBuilder();
    md.append("# Similarity to the identity centre: ").append(settings.dataset()).append("\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "%,d images (%,d unreadable, left out), centres: %s. Group 0 is the least similar.%n%n",
            images,
            unreadable,
            settings.centers().isEmpty() ? "mean embedding per identity" : settings.centers()));
    md.append("| group | images | mean | max | min |\n|---|---|---|---|---|\n");
    for (SimilarityGroups.Group g : groups.groups()) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %d | %.4f | %.4f | %.4f |%n",
              g.group(),
              g.images(),
              g.mean(),
              g.max(),
              g.min()));
    }
    md.append("\n![similarity](similarity.png)\n");
    HadoopFiles.writeAtomically(
        new Path(staging, "groups.md"), md.toString().getBytes(StandardCharsets.UTF_8));
    double lo = Math.floor(groups.groups().get(0).min() * 10) / 10;
    double hi = Math.ceil(groups.groups().get(groups.groups().size() - 1).max() * 10) / 10;
    double width = 0.02;
    int bins = Math.max(1, (int) Math.round((hi - lo) / width));
    double[] lower = new double[bins];
    for (int b = 0; b < bins; b++) {
      lower[b] = lo + b * width;
    }
    long[][] counts = new long[groups.groups().size()][bins];
    for (int i = 0; i < similarity.length; i++) {
      if (!Double.isNaN(similarity[i])) {
        int b = Math.min(bins - 1, Math.max(0, (int) ((similarity[i] - lo) / width)));
        counts[groups.groupOf(i)][b]++;
      }
    }
    HadoopFiles.writeAtomically(
        new Path(staging, "similarity.png"),
        ImageEncoder.png(
            Charts.stackedHistogram(
                "Similarity of each image to its identity centre, by group",
                "cosine similarity to the centre",
                lower,
                width,
                counts)));
  }
}
