package org.cemiface.jobs.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cemiface.analysis.ClassCenters;
import org.cemiface.analysis.SimilarityGroups;
import org.cemiface.config.ConfigLoader;
import org.cemiface.data.ImageBytes;
import org.cemiface.data.ImageEntry;
import org.cemiface.data.TrainingImages;
import org.cemiface.encoder.DjlIdentityEncoder;
import org.cemiface.image.ImageDecoder;
import org.cemiface.image.ImageFormat;
import org.cemiface.image.ImageSettings;
import org.cemiface.image.RgbImage;
import org.cemiface.jobs.RandomEncoders;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;
import org.cemiface.render.IdentitySetWriter;
import org.cemiface.render.RenderSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * analyze-dataset on local Spark against the same analysis computed directly with the same encoder.
 */
class AnalyzeDatasetJobTest {
  @TempDir Path dir;

  private void encoder() {
    RandomEncoders.saveTiny16(dir.resolve("encoder"));
  }

  /** The direct computation: similarity to the centre by image order (NaN: unreadable). */
  private double[] direct(List<ImageEntry> entries, Map<Integer, float[]> givenCenters) {
    float[][] embeddings = new float[entries.size()][];
    try (DjlIdentityEncoder enc =
        DjlIdentityEncoder.fromStore(dir.resolve("encoder").toString(), Device.cpu(), 64)) {
      for (int i = 0; i < entries.size(); i++) {
        ImageEntry e = entries.get(i);
        try {
          RgbImage image = ImageDecoder.decode(ImageBytes.read(e), e.relativePath());
          embeddings[i] = enc.embed(List.of(image))[0];
        } catch (RuntimeException unreadable) {
          embeddings[i] = null;
        }
      }
    }
    Map<Integer, float[]> centers = givenCenters;
    if (centers == null) {
      Map<Integer, float[]> sums = new HashMap<>();
      for (int i = 0; i < entries.size(); i++) {
        if (embeddings[i] != null) {
          sums.merge(
              entries.get(i).label(),
              ClassCenters.accumulate(null, embeddings[i]),
              (a, b) -> ClassCenters.accumulate(a, b));
        }
      }
      centers = ClassCenters.normalize(sums);
    }
    double[] sim = new double[entries.size()];
    for (int i = 0; i < sim.length; i++) {
      sim[i] =
          embeddings[i] == null
              ? Double.NaN
              : ClassCenters.similarity(embeddings[i], centers.get(entries.get(i).label()));
    }
    return sim;
  }

  @Test
  void groupsAndFiguresMatchTheDirectComputation() throws Exception {
    encoder();
    Path data = dir.resolve("faces");
    RenderSettings render =
        new RenderSettings(12, 5, 0, 16, "x", new RenderSettings.Variation(1, 1, 1, 0, 0, 2));
    new IdentitySetWriter(8, render, new ImageSettings(ImageFormat.PNG, 95), 2)
        .write(new org.apache.hadoop.fs.Path(data.toString()));
    Files.write(data.resolve("0000003/zz-broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    List<ImageEntry> entries = TrainingImages.list(data.toString());
    assertEquals(61, entries.size());

    List<String> base =
        List.of(
            "work-dir=" + dir,
            "encoder.source=djl:encoder",
            "encoder.input-size=16",
            "analyze.dataset=faces",
            "analyze.groups=4",
            "analyze.block-size=16");
    SparkSession spark =
        SparkSessions.start(SparkSettings.from(ConfigLoader.load(List.of(), base)));
    try {
      AnalyzeDatasetJob.Summary s =
          AnalyzeDatasetJob.run(spark, ConfigLoader.load(List.of(), base), System.err);
      assertEquals(61, s.images());
      assertEquals(1, s.unreadable());
      double[] sim = direct(entries, null);
      SimilarityGroups expected = SimilarityGroups.split(sim, 4);
      assertEquals(
          List.of(15, 15, 15, 15),
          s.groups().stream().map(SimilarityGroups.Group::images).toList());
      for (int g = 0; g < 4; g++) {
        SimilarityGroups.Group want = expected.groups().get(g);
        SimilarityGroups.Group got = s.groups().get(g);
        assertEquals(want.mean(), got.mean(), 1e-5, "mean of group " + g);
        assertEquals(want.min(), got.min(), 1e-5, "min of group " + g);
        assertEquals(want.max(), got.max(), 1e-5, "max of group " + g);
        assertTrue(g == 0 || got.min() >= s.groups().get(g - 1).max() - 1e-9, "groups ascend");
      }
      Path out = dir.resolve("analysis");
      List<Row> perImage =
          spark
              .read()
              .parquet(out.resolve("per_image.parquet").toString())
              .orderBy("order")
              .collectAsList();
      assertEquals(61, perImage.size());
      int matched = 0;
      for (Row r : perImage) {
        int i = (int) r.getLong(r.fieldIndex("order"));
        if (Double.isNaN(sim[i])) {
          assertEquals("unreadable", r.getAs("status"));
          assertTrue(r.isNullAt(r.fieldIndex("group")));
          continue;
        }
        assertEquals(sim[i], (double) r.getAs("similarity"), 1e-5);
        // Images within float noise of a boundary may swap groups; the rest must agree.
        if (expected.groupOf(i) == (int) r.getAs("group")) {
          matched++;
        }
      }
      assertTrue(matched >= 58, "images in the directly computed group: " + matched);
      for (int g = 0; g < 4; g++) {
        try (Stream<Path> files = Files.walk(out.resolve("groups/group-" + g))) {
          assertEquals(15, files.filter(Files::isRegularFile).count(), "files of group " + g);
        }
      }
      assertTrue(
          Files.readString(out.resolve("groups.md"))
              .contains("| group | images | mean | max | min |"));
      assertTrue(Files.size(out.resolve("similarity.png")) > 1000);
      // The groups are datasets train-fr reads.
      assertEquals(15, TrainingImages.list(out.resolve("groups/group-3").toString()).size());

      // Given centres: each identity's first image's embedding.
      Map<Integer, float[]> firsts = new HashMap<>();
      List<Row> rows = new ArrayList<>();
      try (DjlIdentityEncoder enc =
          DjlIdentityEncoder.fromStore(dir.resolve("encoder").toString(), Device.cpu(), 64)) {
        for (ImageEntry e : entries) {
          if (!firsts.containsKey(e.label())) {
            float[] v =
                enc.embed(List.of(ImageDecoder.decode(ImageBytes.read(e), e.relativePath())))[0];
            firsts.put(e.label(), v);
            Float[] boxed = new Float[v.length];
            for (int k = 0; k < v.length; k++) {
              boxed[k] = v[k];
            }
            rows.add(RowFactory.create(e.label(), List.of(boxed)));
          }
        }
      }
      spark
          .createDataFrame(
              rows,
              new StructType()
                  .add("label", DataTypes.IntegerType)
                  .add("center", DataTypes.createArrayType(DataTypes.FloatType)))
          .write()
          .parquet(dir.resolve("centers.parquet").toString());
      List<String> given = new ArrayList<>(base);
      given.addAll(
          List.of(
              "analyze.centers=centers.parquet",
              "analyze.output=analysis-given",
              "analyze.write-groups=false"));
      AnalyzeDatasetJob.Summary g =
          AnalyzeDatasetJob.run(spark, ConfigLoader.load(List.of(), given), System.err);
      SimilarityGroups want =
          SimilarityGroups.split(direct(entries, ClassCenters.normalize(firsts)), 4);
      assertEquals(want.groups().get(3).max(), g.groups().get(3).max(), 1e-5);
      assertEquals(
          1.0, g.groups().get(3).max(), 1e-5, "an identity's first image is its own centre");
      assertEquals(want.groups().get(0).mean(), g.groups().get(0).mean(), 1e-5);
      assertTrue(Files.notExists(dir.resolve("analysis-given/groups")));
    } finally {
      spark.stop();
    }
  }
}
