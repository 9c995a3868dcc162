package org.cemiface.jobs.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cemiface.analysis.ClassCenters;
import org.cemiface.config.ConfigLoader;
import org.cemiface.config.LoadedConfig;
import org.cemiface.config.RunSettings;
import org.cemiface.data.ImageBytes;
import org.cemiface.data.ImageEntry;
import org.cemiface.data.TrainingImages;
import org.cemiface.encoder.EncoderSettings;
import org.cemiface.encoder.IdentityEncoder;
import org.cemiface.encoder.IdentityEncoders;
import org.cemiface.image.ImageDecoder;
import org.cemiface.image.ImageFormat;
import org.cemiface.image.ImageSettings;
import org.cemiface.image.RgbImage;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;
import org.cemiface.jobs.generate.GenerateJob;
import org.cemiface.jobs.generate.TinyWorldAccess;
import org.cemiface.render.IdentitySetWriter;
import org.cemiface.render.RenderSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** stats on a small generated set against a direct computation, and the SQL views. */
class StatsJobTest {
  @TempDir Path dir;

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  @Test
  void tablesMatchADirectComputationAndSqlAnswersAHistogramQuery() throws Exception {
    List<String> overrides = new ArrayList<>(TinyWorldAccess.create(dir, 5, "data", 5, 4, 2));
    overrides.addAll(
        List.of(
            "stats.dataset=data",
            "stats.output=data/stats",
            "stats.subjects-per-partition=2",
            "stats.block-size=2",
            "stats.grid-subjects=3",
            "stats.grid-samples=4"));
    LoadedConfig c = ConfigLoader.load(List.of(), overrides);
    SparkSession spark = SparkSessions.start(SparkSettings.from(c));
    try {
      TinyWorldAccess.plan(spark, c);
      GenerateJob.run(spark, c, System.err);
      StatsJob.Summary s = StatsJob.run(spark, c, System.err);
      assertEquals(25, s.images(), "20 generated + 5 inquiry copies");
      assertEquals(5, s.subjects());

      // Direct computation with the same encoder, from the files.
      RunSettings run = RunSettings.from(c.reader());
      Map<String, Double> simInquiry = new HashMap<>();
      Map<Long, double[]> perSubject = new HashMap<>();
      Map<Long, float[]> centers = new HashMap<>();
      long[] bins = new long[StatsJob.BINS];
      try (IdentityEncoder encoder =
          IdentityEncoders.open(EncoderSettings.from(c.reader()).resolvedAgainst(run))) {
        List<Row> samples =
            spark
                .read()
                .parquet(dir.resolve("data/samples.parquet").toString())
                .orderBy("subject", "index")
                .collectAsList();
        for (long subject = 0; subject < 5; subject++) {
          List<RgbImage> images = new ArrayList<>();
          RgbImage inquiry = null;
          for (Row r : samples) {
            if (r.getLong(r.fieldIndex("subject")) == subject
                && r.getString(r.fieldIndex("kind")).equals("generated")) {
              images.add(
                  ImageDecoder.decode(
                      Files.readAllBytes(
                          dir.resolve("data").resolve(r.getString(r.fieldIndex("path")))),
                      "x"));
              inquiry =
                  ImageDecoder.decode(
                      Files.readAllBytes(
                          Path.of(new URI(r.getString(r.fieldIndex("inquiry_source"))))),
                      "q");
            }
          }
          float[][] e = encoder.embed(images);
          float[] q = encoder.embed(List.of(inquiry))[0];
          double[] mean = new double[e[0].length];
          double sum = 0;
          double min = 9;
          double max = -9;
          for (int i = 0; i < e.length; i++) {
            double sim = dot(q, e[i]);
            simInquiry.put(subject + "/" + i, sim);
            sum += sim;
            min = Math.min(min, sim);
            max = Math.max(max, sim);
            bins[Math.min(19, Math.max(0, (int) Math.floor(((double) (float) sim + 1) * 10)))]++;
            for (int k = 0; k < mean.length; k++) {
              mean[k] += e[i][k];
            }
          }
          double norm = Math.sqrt(dot(toFloat(mean), toFloat(mean)));
          float[] center = new float[mean.length];
          for (int k = 0; k < mean.length; k++) {
            center[k] = (float) (mean[k] / norm);
          }
          centers.put(subject, center);
          perSubject.put(subject, new double[] {sum / e.length, min, max});
        }
      }
      for (Row r :
          spark
              .read()
              .parquet(StatsJob.table(s.output(), "per_image"))
              .where("kind = 'generated'")
              .collectAsList()) {
        String key = r.getLong(0) + "/" + r.getInt(1);
        assertEquals(simInquiry.get(key), r.getFloat(r.fieldIndex("sim_inquiry")), 1e-4, key);
        assertEquals(
            Math.abs(simInquiry.get(key) - r.getFloat(r.fieldIndex("m"))),
            r.getFloat(r.fieldIndex("abs_error")),
            1e-4);
      }
      for (Row r :
          spark.read().parquet(StatsJob.table(s.output(), "per_subject")).collectAsList()) {
        long subject = r.getLong(0);
        double[] expected = perSubject.get(subject);
        assertEquals(4, r.getInt(r.fieldIndex("count")));
        assertEquals(expected[0], r.getDouble(r.fieldIndex("mean")), 1e-4);
        assertEquals(expected[1], r.getDouble(r.fieldIndex("min")), 1e-4);
        assertEquals(expected[2], r.getDouble(r.fieldIndex("max")), 1e-4);
        long nearest = -1;
        double best = -9;
        for (long other = 0; other < 5; other++) {
          double sim = other == subject ? -9 : dot(centers.get(subject), centers.get(other));
          if (sim > best) {
            best = sim;
            nearest = other;
          }
        }
        assertEquals(nearest, r.getLong(r.fieldIndex("nearest_subject")), "nearest of " + subject);
        assertEquals(best, r.getFloat(r.fieldIndex("nearest_similarity")), 1e-4);
      }

      Map<String, String> views = SqlCommand.register(spark, c.reader());
      assertTrue(
          views
              .keySet()
              .containsAll(
                  List.of("per_image", "per_subject", "histogram", "control", "samples", "plan")),
          views.toString());
      List<Row> histogram =
          spark.sql("SELECT bin, images FROM histogram ORDER BY bin").collectAsList();
      assertEquals(20, histogram.size());
      for (Row h : histogram) {
        assertEquals(bins[h.getInt(0)], h.getLong(1), "bin " + h.getInt(0));
      }
      for (String f : List.of("report.md", "histogram.png", "control.png", "grid.png")) {
        assertTrue(Files.size(dir.resolve("data/stats").resolve(f)) > 100, f);
      }
      String report = Files.readString(dir.resolve("data/stats/report.md"));
      assertTrue(report.contains("generated images: 20 in 5 subjects"), report);
    } finally {
      spark.stop();
    }
  }

  private static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  @Test
  void anyLabelledDatasetIsMeasuredAgainstItsIdentityCentres() throws Exception {
    List<String> overrides = new ArrayList<>(TinyWorldAccess.create(dir, 2, "unused", 1, 1, 1));
    // An ImageFolder this pipeline did not generate: 6 people x 4 images, no samples.parquet.
    RenderSettings render =
        new RenderSettings(6, 4, 500, 16, "x", new RenderSettings.Variation(1, 1, 1, 0, 0, 2));
    new IdentitySetWriter(5, render, new ImageSettings(ImageFormat.PNG, 95), 1)
        .write(new org.apache.hadoop.fs.Path(dir.resolve("other").toString()));
    overrides.addAll(
        List.of("stats.dataset=other", "stats.output=other-stats", "stats.block-size=2"));
    LoadedConfig c = ConfigLoader.load(List.of(), overrides);
    SparkSession spark = SparkSessions.start(SparkSettings.from(c));
    try {
      StatsJob.Summary s = StatsJob.run(spark, c, System.err);
      assertEquals(24, s.images());
      assertEquals(6, s.subjects());
      assertTrue(s.keyFigures().get(0).contains("24 in 6 identities"), s.keyFigures().toString());

      // Directly: each image's cosine to the normalised mean of its identity's normalised
      // embeddings.
      List<ImageEntry> entries = TrainingImages.list(dir.resolve("other").toString());
      RunSettings run = RunSettings.from(c.reader());
      double[] expected = new double[entries.size()];
      try (IdentityEncoder encoder =
          IdentityEncoders.open(EncoderSettings.from(c.reader()).resolvedAgainst(run))) {
        float[][] e = new float[entries.size()][];
        Map<Integer, float[]> sums = new HashMap<>();
        for (int i = 0; i < e.length; i++) {
          ImageEntry entry = entries.get(i);
          e[i] =
              encoder
                  .embed(
                      List.of(ImageDecoder.decode(ImageBytes.read(entry), entry.relativePath())))[
                  0];
          sums.merge(entry.label(), ClassCenters.accumulate(null, e[i]), ClassCenters::accumulate);
        }
        Map<Integer, float[]> centers = ClassCenters.normalize(sums);
        for (int i = 0; i < e.length; i++) {
          expected[i] = ClassCenters.similarity(e[i], centers.get(entries.get(i).label()));
        }
      }
      List<Row> perImage =
          spark
              .read()
              .parquet(dir.resolve("other-stats/per_image.parquet").toString())
              .orderBy("subject", "index")
              .collectAsList();
      assertEquals(24, perImage.size());
      for (int i = 0; i < perImage.size(); i++) {
        Row r = perImage.get(i);
        assertEquals(entries.get(i).label(), (int) r.getLong(r.fieldIndex("subject")));
        assertEquals(expected[i], (float) r.getAs("sim_center"), 1e-5, "image " + i);
        assertEquals(
            expected[i], (float) r.getAs("sim_inquiry"), 1e-5, "the centre is the reference");
      }
      long binned = 0;
      for (Row b :
          spark
              .read()
              .parquet(dir.resolve("other-stats/histogram.parquet").toString())
              .collectAsList()) {
        binned += b.getLong(b.fieldIndex("images"));
      }
      assertEquals(24, binned);
      assertEquals(
          0, spark.read().parquet(dir.resolve("other-stats/control.parquet").toString()).count());
      assertEquals(
          6,
          spark.read().parquet(dir.resolve("other-stats/per_subject.parquet").toString()).count());
      String report = Files.readString(dir.resolve("other-stats/report.md"));
      assertTrue(report.contains("Similarity to the identity centre"), report);
      assertTrue(Files.notExists(dir.resolve("other-stats/grid.png")));
    } finally {
      spark.stop();
    }
  }
}
