package org.cemiface.jobs.filter;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cemiface.config.ShippedConfig;
import org.cemiface.data.ImageEntry;
import org.cemiface.data.TrainingImages;
import org.cemiface.encoder.Embeddings;
import org.cemiface.filter.FilterDecisions;
import org.cemiface.io.ParquetTableReader;
import org.cemiface.jobs.similarity.BlockFiles;
import org.cemiface.jobs.similarity.BlockTasks;
import org.cemiface.similarity.EmbeddingBlock;

/**
 * The reference gallery check of filter: the gallery (images, or a Parquet table of embeddings)
 * becomes embedding blocks, and every candidate block is multiplied with every gallery block for
 * each candidate's best match.
 */
final class GalleryStage {
  private GalleryStage() {}

  /**
   * The candidates as the embedding stage wrote them: {@code count} blocks of {@code blockSize}
   * under {@code dir}.
   */
  record CandidateBlocks(String dir, int count, int blockSize, int candidates) {}

  /**
   * Each candidate's best match in {@code gallery} (an image folder or an embedding table), by
   * candidate.
   */
  static FilterDecisions.GalleryMatch[] run(
      SparkSession spark,
      JavaSparkContext jsc,
      ShippedConfig shipped,
      String gallery,
      CandidateBlocks candidates,
      String galleryDir,
      PrintStream log) {
    int blockSize = candidates.blockSize();
    List<String> ids = new ArrayList<>();
    int galleryBlocks;
    if (isEmbeddingTable(gallery)) {
      List<Row> rows = spark.read().parquet(gallery).collectAsList();
      boolean hasId =
          rows.isEmpty() || Arrays.asList(rows.get(0).schema().fieldNames()).contains("id");
      List<Long> rowIds = new ArrayList<>();
      List<float[]> vectors = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        Row r = rows.get(i);
        vectors.add(normalized(r.getList(r.fieldIndex("embedding"))));
        rowIds.add((long) i);
      }
      galleryBlocks = writeBlocks(galleryDir, rowIds, vectors, blockSize);
      for (int i = 0; i < rows.size(); i++) {
        ids.add(hasId ? String.valueOf(rows.get(i).getAs("id").toString()) : "row" + i);
      }
      log.printf("[filter] gallery: %d embeddings from %s%n", rows.size(), gallery);
    } else {
      // A gallery of images is compared by identity: one normalised centre per class, as DCFace
      // compares against
      // the identities (not the single images) of the diffusion model's training set.
      List<ImageEntry> entries = TrainingImages.list(gallery);
      float[][] centres =
          FilterJob.identityCentres(
              spark,
              jsc,
              shipped,
              entries,
              blockSize,
              new Path(galleryDir).getParent() + "/gallery-images");
      String[] names = new String[centres.length];
      for (ImageEntry e : entries) {
        names[e.label()] =
            e.relativePath().contains("/")
                ? e.relativePath().substring(0, e.relativePath().indexOf('/'))
                : e.relativePath();
      }
      List<Long> present = new ArrayList<>();
      List<float[]> vectors = new ArrayList<>();
      for (int c = 0; c < centres.length; c++) {
        ids.add(names[c]);
        if (centres[c] != null) {
          present.add((long) c);
          vectors.add(centres[c]);
        }
      }
      galleryBlocks = writeBlocks(galleryDir, present, vectors, blockSize);
      log.printf(
          "[filter] gallery: %d identities from %d images in %s%n",
          present.size(), entries.size(), gallery);
    }
    FilterDecisions.GalleryMatch[] matches =
        new FilterDecisions.GalleryMatch[candidates.candidates()];
    Arrays.fill(matches, FilterDecisions.GalleryMatch.NONE);
    BlockTasks.bestMatches(
            jsc, candidates.dir(), candidates.count(), galleryDir, galleryBlocks, false)
        .forEach(
            (candidate, best) ->
                matches[(int) (long) candidate] =
                    best.index() < 0
                        ? FilterDecisions.GalleryMatch.NONE
                        : new FilterDecisions.GalleryMatch(
                            ids.get((int) best.index()), best.similarity()));
    return matches;
  }

  private static int writeBlocks(String dir, List<Long> ids, List<float[]> vectors, int blockSize) {
    int blocks = (ids.size() + blockSize - 1) / blockSize;
    for (int b = 0; b < blocks; b++) {
      int from = b * blockSize;
      int to = Math.min(ids.size(), from + blockSize);
      long[] blockIds = ids.subList(from, to).stream().mapToLong(Long::longValue).toArray();
      BlockFiles.write(
          dir, EmbeddingBlock.of(b, blockIds, vectors.subList(from, to).toArray(float[][]::new)));
    }
    return blocks;
  }

  private static boolean isEmbeddingTable(String gallery) {
    if (!gallery.endsWith(".parquet")) {
      return false;
    }
    Path file =
        ParquetTableReader.parts(new Path(gallery)).stream()
            .findFirst()
            .orElseThrow(
                () -> new IllegalArgumentException("no .parquet part files in " + gallery));
    return ParquetTableReader.schema(file).containsField("embedding");
  }

  private static float[] normalized(List<Float> e) {
    float[] v = new float[e.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = e.get(i);
    }
    return Embeddings.normalizedRows(v, 1)[0];
  }
}
