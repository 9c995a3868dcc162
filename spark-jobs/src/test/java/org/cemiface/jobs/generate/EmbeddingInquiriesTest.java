package org.cemiface.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cemiface.config.ConfigLoader;
import org.cemiface.config.LoadedConfig;
import org.cemiface.config.RunSettings;
import org.cemiface.encoder.Embeddings;
import org.cemiface.encoder.EncoderSettings;
import org.cemiface.encoder.IdentityEncoder;
import org.cemiface.encoder.IdentityEncoders;
import org.cemiface.image.ImageDecoder;
import org.cemiface.io.HadoopFiles;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;
import org.cemiface.jobs.stats.StatsJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inquiries given as embeddings (identity centres, no image) through plan, generate and stats on
 * local Spark.
 */
class EmbeddingInquiriesTest {
  @TempDir Path dir;

  private static void writeTable(SparkSession spark, Path path, int rows, int dimension) {
    SplittableRandom r = new SplittableRandom(5);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      Float[] v = new Float[dimension];
      for (int k = 0; k < dimension; k++) {
        v[k] = (float) r.nextGaussian() * 3; // not unit length: the reader normalises
      }
      out.add(RowFactory.create("centre-" + i, List.of(v)));
    }
    spark
        .createDataFrame(
            out,
            new StructType()
                .add("id", DataTypes.StringType)
                .add("embedding", DataTypes.createArrayType(DataTypes.FloatType)))
        .coalesce(1)
        .write()
        .parquet(path.toString());
  }

  @Test
  void embeddingInquiriesFlowThroughPlanGenerateAndStats() throws Exception {
    List<String> overrides = new ArrayList<>(new TinyWorld(dir, 2).overrides("data", 3, 2, 2));
    overrides.addAll(
        List.of(
            "plan.inquiries=centres.parquet",
            "stats.dataset=data",
            "stats.output=data/stats",
            "stats.subjects-per-partition=2"));
    LoadedConfig c = ConfigLoader.load(List.of(), overrides);
    SparkSession spark = SparkSessions.start(SparkSettings.from(c));
    try {
      writeTable(spark, dir.resolve("centres.parquet"), 3, 32);
      GenerateJobTest.planWith(spark, c);
      List<Row> plan =
          spark.read().parquet(dir.resolve("data/plan.parquet").toString()).collectAsList();
      assertEquals(6, plan.size(), "3 subjects x 2 images and no inquiry copies: " + plan);
      for (Row r : plan) {
        assertEquals("generated", r.getAs("kind"));
        assertTrue(((String) r.getAs("inquiry_source")).startsWith("embedding:"));
        assertTrue(((String) r.getAs("inquiry_id")).startsWith("centre-"));
      }
      GenerateJob.run(spark, c, System.err);
      List<Row> samples =
          spark
              .read()
              .parquet(dir.resolve("data/samples.parquet").toString())
              .orderBy("subject", "index")
              .collectAsList();
      assertEquals(6, samples.size());

      // The achieved similarity is to the given vector, normalised.
      List<Row> table =
          spark.read().parquet(dir.resolve("centres.parquet").toString()).collectAsList();
      RunSettings run = RunSettings.from(c.reader());
      try (IdentityEncoder encoder =
          IdentityEncoders.open(EncoderSettings.from(c.reader()).resolvedAgainst(run))) {
        for (Row s : samples) {
          Row centre = table.get((int) s.getLong(s.fieldIndex("subject")));
          List<Float> values = centre.getList(centre.fieldIndex("embedding"));
          float[] given = new float[values.size()];
          for (int k = 0; k < given.length; k++) {
            given[k] = values.get(k);
          }
          org.apache.hadoop.fs.Path file =
              new org.apache.hadoop.fs.Path(
                  dir.resolve("data").toString(), (String) s.getAs("path"));
          float[] e =
              encoder
                  .embed(
                      List.of(
                          ImageDecoder.decode(HadoopFiles.readAllBytes(file), file.toString())))[0];
          assertEquals(Embeddings.cosine(given, e), (float) s.getAs("similarity"), 1e-4);
        }
      }
      StatsJob.Summary stats = StatsJob.run(spark, c, System.err);
      assertEquals(6, stats.images());
      List<Row> perImage =
          spark
              .read()
              .parquet(dir.resolve("data/stats/per_image.parquet").toString())
              .orderBy("subject", "index")
              .collectAsList();
      for (int i = 0; i < 6; i++) {
        assertEquals(
            (float) samples.get(i).getAs("similarity"),
            (float) perImage.get(i).getAs("sim_inquiry"),
            1e-4,
            "stats measures against the same given vector");
      }
    } finally {
      spark.stop();
    }
  }

  @Test
  void anEmbeddingOfTheWrongSizeIsRefusedWithBothSizes() throws Exception {
    List<String> overrides = new ArrayList<>(new TinyWorld(dir, 2).overrides("data", 2, 1, 2));
    overrides.add("plan.inquiries=centres.parquet");
    LoadedConfig c = ConfigLoader.load(List.of(), overrides);
    SparkSession spark = SparkSessions.start(SparkSettings.from(c));
    try {
      writeTable(spark, dir.resolve("centres.parquet"), 2, 7);
      GenerateJobTest.planWith(spark, c);
      Exception e = assertThrows(Exception.class, () -> GenerateJob.run(spark, c, System.err));
      String message = String.valueOf(e.getMessage());
      Throwable t = e;
      while (t.getCause() != null && !message.contains("7 values")) {
        t = t.getCause();
        message = String.valueOf(t.getMessage());
      }
      assertTrue(message.contains("7 values") && message.contains("gives 32"), message);
    } finally {
      spark.stop();
    }
  }
}
