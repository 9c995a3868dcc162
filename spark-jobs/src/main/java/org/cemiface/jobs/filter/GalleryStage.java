package org.cemiface.jobs.filter;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cemiface.config.ShippedConfig;
import org.cemiface.data.ImageEntry;
import org.cemiface.data.TrainingImages;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.ParquetTableReader;
import org.cemiface.similarity.EmbeddingBlock;

/**
 * The reference gallery check of filter: the gallery (images, or a Parquet table of embeddings) becomes embedding
 * blocks, and every candidate block is multiplied with every gallery block for each candidate's best match.
 */
final class GalleryStage {
  private GalleryStage() {}

  /** Fills {@code match}/{@code similarity} per candidate; returns the gallery ids by gallery row. */
  static List<String> run(SparkSession spark, JavaSparkContext jsc, ShippedConfig shipped, String gallery,
      int blockSize, String candidateBlocks, String galleryDir, int candidateBlockCount, long[] match,
      float[] similarity, PrintStream log) {
    List<String> ids = new ArrayList<>();
    int galleryBlocks;
    if (isEmbeddingTable(gallery)) {
      List<Row> rows = spark.read().parquet(gallery).collectAsList();
      boolean hasId = rows.isEmpty() || java.util.Arrays.asList(rows.get(0).schema().fieldNames()).contains("id");
      galleryBlocks = (rows.size() + blockSize - 1) / blockSize;
      for (int b = 0; b < galleryBlocks; b++) {
        int from = b * blockSize;
        int to = Math.min(rows.size(), from + blockSize);
        long[] rowIds = new long[to - from];
        float[][] vectors = new float[to - from][];
        for (int i = from; i < to; i++) {
          Row r = rows.get(i);
          List<Float> e = r.getList(r.fieldIndex("embedding"));
          vectors[i - from] = normalized(e);
          rowIds[i - from] = i;
        }
        HadoopFiles.writeAtomically(EmbedCandidates.blockFile(galleryDir, b), EmbeddingBlock.of(b, rowIds, vectors).toBytes());
      }
      for (int i = 0; i < rows.size(); i++) {
        ids.add(hasId ? String.valueOf(rows.get(i).getAs("id").toString()) : "row" + i);
      }
      log.printf("[filter] gallery: %d embeddings from %s%n", rows.size(), gallery);
    } else {
      List<ImageEntry> entries = TrainingImages.list(gallery);
      long embedded = FilterJob.embedImages(spark, jsc, shipped, entries, blockSize, galleryDir);
      galleryBlocks = (entries.size() + blockSize - 1) / blockSize;
      for (ImageEntry e : entries) {
        ids.add(e.relativePath());
      }
      log.printf("[filter] gallery: %d of %d images embedded from %s%n", embedded, entries.size(), gallery);
    }
    java.util.Arrays.fill(similarity, Float.NEGATIVE_INFINITY);
    List<int[]> tasks = new ArrayList<>();
    for (int c = 0; c < candidateBlockCount; c++) {
      for (int g = 0; g < galleryBlocks; g++) {
        tasks.add(new int[] {c, g});
      }
    }
    if (!tasks.isEmpty()) {
      for (long[] best : jsc.parallelize(tasks, Math.max(1, Math.min(tasks.size(), jsc.defaultParallelism() * 4)))
          .mapPartitions(new BlockPairTasks.GalleryBest(candidateBlocks, galleryDir)).collect()) {
        int candidate = (int) best[0];
        float s = Float.intBitsToFloat((int) best[2]);
        if (s > similarity[candidate] || (s == similarity[candidate] && best[1] < match[candidate])) {
          similarity[candidate] = s;
          match[candidate] = best[1];
        }
      }
    }
    return ids;
  }

  private static boolean isEmbeddingTable(String gallery) {
    if (!gallery.endsWith(".parquet")) {
      return false;
    }
    Path p = new Path(gallery);
    Path file = p;
    try {
      var fs = org.cemiface.io.HadoopPaths.fileSystem(p);
      if (fs.getFileStatus(p).isDirectory()) {
        file = HadoopFiles.listFiles(p).stream().filter(f -> f.getName().endsWith(".parquet")).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no .parquet part files in " + gallery));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read gallery " + gallery + ": " + e.getMessage(), e);
    }
    return ParquetTableReader.schema(file).containsField("embedding");
  }

  private static float[] normalized(List<Float> e) {
    float[] v = new float[e.size()];
    double norm = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = e.get(i);
      norm += v[i] * v[i];
    }
    float inv = (float) (1 / Math.sqrt(Math.max(norm, 1e-24)));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
    return v;
  }
}
