package org.cemiface.jobs.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cemiface.config.ConfigLoader;
import org.cemiface.config.LoadedConfig;
import org.cemiface.image.ImageFormat;
import org.cemiface.image.ImageSettings;
import org.cemiface.jobs.RandomEncoders;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;
import org.cemiface.render.IdentitySetWriter;
import org.cemiface.render.RenderSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * filter on local Spark over 2,000 rendered candidates (plus planted duplicates and bad images)
 * against a brute-force greedy pass over the same embeddings.
 */
class FilterJobTest {
  @TempDir Path dir;

  @Test
  void matchesBruteForceAndRejectsPlantedBadImagesAndGalleryMatches() throws Exception {
    Path candidates = dir.resolve("candidates");
    RenderSettings render =
        new RenderSettings(2000, 1, 0, 16, "x", new RenderSettings.Variation(1, 1, 1, 0, 0, 2));
    new IdentitySetWriter(8, render, new ImageSettings(ImageFormat.PNG, 95), 2)
        .write(new org.apache.hadoop.fs.Path(candidates.toString()));
    // Planted: exact duplicates of three candidates, one truncated file, one non-square image, one
    // blank image.
    for (int i = 0; i < 3; i++) {
      Path copy = candidates.resolve(String.format("dup%03d/0.png", i));
      Files.createDirectories(copy.getParent());
      Files.copy(candidates.resolve(String.format("%07d/0.png", i * 100)), copy);
    }
    Files.createDirectories(candidates.resolve("zbad1"));
    Files.write(candidates.resolve("zbad1/0.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    Files.createDirectories(candidates.resolve("zbad2"));
    ImageIO.write(
        new BufferedImage(16, 12, BufferedImage.TYPE_INT_RGB),
        "png",
        candidates.resolve("zbad2/0.png").toFile());
    Files.createDirectories(candidates.resolve("zbad3"));
    ImageIO.write(
        new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB),
        "png",
        candidates.resolve("zbad3/0.png").toFile());
    // Gallery: two candidates' own images.
    for (int g : new int[] {5, 1500}) {
      Path copy = dir.resolve(String.format("gallery/g%d/0.png", g));
      Files.createDirectories(copy.getParent());
      Files.copy(candidates.resolve(String.format("%07d/0.png", g)), copy);
    }
    RandomEncoders.saveTiny16(dir.resolve("encoder"));
    LoadedConfig c =
        ConfigLoader.load(
            List.of(),
            List.of(
                "work-dir=" + dir,
                "encoder.source=djl:encoder",
                "encoder.input-size=16",
                "filter.candidates=candidates",
                "filter.gallery=gallery",
                "filter.block-size=300",
                "filter.threshold=0.99",
                "filter.gallery-threshold=0.99",
                "filter.output=out/inquiries.parquet"));
    SparkSession spark = SparkSessions.start(SparkSettings.from(c));
    try {
      FilterJob.Summary s = FilterJob.run(spark, c, System.err);
      assertEquals(2006, s.candidates());
      assertEquals(
          2006,
          s.byStatus().values().stream().mapToLong(Long::longValue).sum(),
          "counts reconcile");
      List<Row> rows =
          spark
              .read()
              .parquet(dir.resolve("out/inquiries.parquet").toString())
              .orderBy("order")
              .collectAsList();
      assertEquals(2006, rows.size());
      Map<String, Row> byId = new HashMap<>();
      for (Row r : rows) {
        byId.put(r.getAs("id"), r);
      }
      assertEquals("unreadable", byId.get("zbad1/0.png").getAs("status"));
      assertEquals("wrong_size", byId.get("zbad2/0.png").getAs("status"));
      assertEquals("blank", byId.get("zbad3/0.png").getAs("status"));
      assertTrue(((String) byId.get("zbad2/0.png").getAs("reason")).contains("16x12"));
      assertEquals("matches_gallery", byId.get("0000005/0.png").getAs("status"));
      assertEquals("gallery:g5", byId.get("0000005/0.png").getAs("collided_with"));
      assertEquals("matches_gallery", byId.get("0001500/0.png").getAs("status"));
      for (int i = 0; i < 3; i++) {
        Row dup = byId.get(String.format("dup%03d/0.png", i));
        assertEquals("too_similar", dup.getAs("status"), "a planted duplicate is dropped");
        assertTrue((float) dup.getAs("similarity") > 0.99f);
      }

      // Brute force over the job's own embeddings, in order, with the same exclusions.
      List<float[]> emb = new ArrayList<>();
      List<Integer> kept = new ArrayList<>();
      int checkedKept = 0;
      for (Row r : rows) {
        String status = r.getAs("status");
        List<Float> e =
            r.isNullAt(r.fieldIndex("embedding")) ? null : r.getList(r.fieldIndex("embedding"));
        float[] v = null;
        if (e != null) {
          v = new float[e.size()];
          for (int k = 0; k < v.length; k++) {
            v[k] = e.get(k);
          }
        }
        emb.add(v);
        if (v == null || status.equals("matches_gallery")) {
          continue;
        }
        int best = -1;
        float bestSim = Float.NEGATIVE_INFINITY;
        for (int j : kept) {
          float sim = 0;
          for (int k = 0; k < v.length; k++) {
            sim += v[k] * emb.get(j)[k];
          }
          if (sim > 0.99f && sim > bestSim) {
            best = j;
            bestSim = sim;
          }
        }
        int order = (int) (long) r.getAs("order");
        if (best < 0) {
          kept.add(order);
          assertEquals("kept", status, "candidate " + order);
          checkedKept++;
        } else {
          assertEquals("too_similar", status, "candidate " + order);
          assertEquals(
              (String) rows.get(best).getAs("id"),
              (String) r.getAs("collided_with"),
              "collision of " + order);
          assertEquals(bestSim, (float) r.getAs("similarity"), 1e-4f);
        }
      }
      assertEquals(s.kept(), checkedKept);
      assertTrue(
          rows.stream()
              .filter(r -> !r.isNullAt(r.fieldIndex("embedding")))
              .allMatch(r -> (float) r.getAs("norm") > 0f),
          "every embedded candidate has its feature norm");

      // Quality order: a dropped candidate always collided with one visited earlier, i.e. of higher
      // norm.
      LoadedConfig byNorm =
          ConfigLoader.load(
              List.of(),
              List.of(
                  "work-dir=" + dir,
                  "encoder.source=djl:encoder",
                  "encoder.input-size=16",
                  "filter.candidates=candidates",
                  "filter.block-size=300",
                  "filter.threshold=0.99",
                  "filter.order=norm",
                  "filter.output=out/by-norm.parquet"));
      FilterJob.Summary n = FilterJob.run(spark, byNorm, System.err);
      assertEquals(2006, n.byStatus().values().stream().mapToLong(Long::longValue).sum());
      Map<String, Row> normById = new HashMap<>();
      List<Row> normRows =
          spark.read().parquet(dir.resolve("out/by-norm.parquet").toString()).collectAsList();
      for (Row r : normRows) {
        normById.put(r.getAs("id"), r);
      }
      int dropped = 0;
      for (Row r : normRows) {
        if ("too_similar".equals(r.getAs("status"))) {
          Row other = normById.get((String) r.getAs("collided_with"));
          assertEquals("kept", other.getAs("status"));
          assertTrue(
              (float) other.getAs("norm") >= (float) r.getAs("norm"),
              "collided with a higher-quality one");
          dropped++;
        }
      }
      assertTrue(dropped >= 3, "planted duplicates dropped in norm order too");
      assertTrue(
          s.byStatus().get("too_similar") >= 3, "the planted duplicates at least: " + s.byStatus());
      assertEquals(
          2006 - 3 - 2 - s.byStatus().get("too_similar"),
          s.kept(),
          "kept = candidates - rejected: "
              + s.byStatus()
              + "; rejected beyond the planted five: "
              + rows.stream()
                  .filter(
                      r ->
                          !List.of("kept", "too_similar").contains((String) r.getAs("status"))
                              && !List.of(
                                      "zbad1/0.png",
                                      "zbad2/0.png",
                                      "zbad3/0.png",
                                      "0000005/0.png",
                                      "0001500/0.png")
                                  .contains((String) r.getAs("id")))
                  .map(
                      r -> r.getAs("id") + " " + r.getAs("status") + " (" + r.getAs("reason") + ")")
                  .toList());
    } finally {
      spark.stop();
    }
  }
}
