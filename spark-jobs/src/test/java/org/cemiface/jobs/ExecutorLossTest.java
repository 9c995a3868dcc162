package org.cemiface.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cemiface.config.ConfigLoader;
import org.cemiface.config.LoadedConfig;
import org.cemiface.image.ImageFormat;
import org.cemiface.image.ImageSettings;
import org.cemiface.jobs.filter.FilterJob;
import org.cemiface.jobs.generate.GenerateJob;
import org.cemiface.jobs.generate.TinyWorldAccess;
import org.cemiface.jobs.stats.StatsJob;
import org.cemiface.render.IdentitySetWriter;
import org.cemiface.render.RenderSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * filter and stats on a local cluster whose executor JVM is killed in the middle of a stage: the
 * job finishes on a replacement executor with tables identical, row for row, to an undisturbed
 * run's.
 */
class ExecutorLossTest {
  @TempDir Path dir;

  @Test
  void filterSurvivesALostExecutorWithIdenticalOutput() throws Exception {
    LocalClusterTest.sparkHome();
    RenderSettings render =
        new RenderSettings(160, 1, 0, 16, "x", new RenderSettings.Variation(1, 1, 1, 0, 0, 2));
    new IdentitySetWriter(8, render, new ImageSettings(ImageFormat.PNG, 95), 2)
        .write(new org.apache.hadoop.fs.Path(dir.resolve("candidates").toString()));
    RandomEncoders.saveTiny16(dir.resolve("encoder"));
    Function<String, List<String>> filter =
        out ->
            List.of(
                "work-dir=" + dir,
                "encoder.source=djl:encoder",
                "encoder.input-size=16",
                "filter.candidates=candidates",
                "filter.block-size=20",
                "filter.threshold=0.9",
                "filter.output=" + out + "/inquiries.parquet");

    ExecutorKiller killer = new ExecutorKiller(4, 3);
    List<String> cluster = new ArrayList<>(filter.apply("cluster"));
    cluster.addAll(LocalClusterTest.clusterConf());
    LoadedConfig clusterConfig = ConfigLoader.load(List.of(), cluster);
    SparkSession spark = SparkSessions.start(SparkSettings.from(clusterConfig));
    FilterJob.Summary lossy;
    try {
      spark.sparkContext().addSparkListener(killer);
      lossy = FilterJob.run(spark, clusterConfig, System.err);
    } finally {
      spark.stop();
    }
    assertNotNull(killer.killed(), "the armed task never started: no executor was killed");
    assertTrue(killer.executorsRemoved() >= 1, "the driver never saw the executor lost");
    System.err.println("[executor loss] filter: " + killer.killed());

    LoadedConfig localConfig = ConfigLoader.load(List.of(), filter.apply("local"));
    spark = SparkSessions.start(SparkSettings.from(localConfig));
    try {
      FilterJob.Summary calm = FilterJob.run(spark, localConfig, System.err);
      assertEquals(calm.byStatus(), lossy.byStatus());
      assertEquals(160, lossy.candidates());
      assertEquals(
          sortedRows(spark, dir.resolve("local/inquiries.parquet")),
          sortedRows(spark, dir.resolve("cluster/inquiries.parquet")));
    } finally {
      spark.stop();
    }
    assertTrue(
        Files.notExists(dir.resolve("cluster/_filter-work")), "the filter's scratch is removed");
  }

  @Test
  void statsSurvivesALostExecutorWithIdenticalTables() throws Exception {
    LocalClusterTest.sparkHome();
    List<String> world = TinyWorldAccess.create(dir, 8, "data", 8, 3, 2);
    LoadedConfig generate = ConfigLoader.load(List.of(), world);
    SparkSession spark = SparkSessions.start(SparkSettings.from(generate));
    try {
      TinyWorldAccess.plan(spark, generate);
      GenerateJob.run(spark, generate, System.err);
    } finally {
      spark.stop();
    }
    Function<String, List<String>> stats =
        out -> {
          List<String> o = new ArrayList<>(world);
          o.addAll(
              List.of(
                  "stats.dataset=data",
                  "stats.output=" + out,
                  "stats.subjects-per-partition=2",
                  "stats.block-size=2"));
          return o;
        };

    ExecutorKiller killer = new ExecutorKiller(4, 2);
    List<String> cluster = new ArrayList<>(stats.apply("stats-cluster"));
    cluster.addAll(LocalClusterTest.clusterConf());
    LoadedConfig clusterConfig = ConfigLoader.load(List.of(), cluster);
    spark = SparkSessions.start(SparkSettings.from(clusterConfig));
    StatsJob.Summary lossy;
    try {
      spark.sparkContext().addSparkListener(killer);
      lossy = StatsJob.run(spark, clusterConfig, System.err);
    } finally {
      spark.stop();
    }
    assertNotNull(killer.killed(), "the armed task never started: no executor was killed");
    assertTrue(killer.executorsRemoved() >= 1, "the driver never saw the executor lost");
    System.err.println("[executor loss] stats: " + killer.killed());

    LoadedConfig localConfig = ConfigLoader.load(List.of(), stats.apply("stats-local"));
    spark = SparkSessions.start(SparkSettings.from(localConfig));
    try {
      StatsJob.Summary calm = StatsJob.run(spark, localConfig, System.err);
      assertEquals(calm.images(), lossy.images());
      assertEquals(8 * 3 + 8, lossy.images(), "24 generated + 8 inquiry copies");
      List<String> tables = tables(dir.resolve("stats-local"));
      assertEquals(tables, tables(dir.resolve("stats-cluster")));
      assertTrue(tables.contains("per_image.parquet"), "tables: " + tables);
      for (String table : tables) {
        assertEquals(
            sortedRows(spark, dir.resolve("stats-local").resolve(table)),
            sortedRows(spark, dir.resolve("stats-cluster").resolve(table)),
            table);
      }
    } finally {
      spark.stop();
    }
  }

  /** The Parquet tables (directories with a _SUCCESS marker) directly under {@code root}. */
  private static List<String> tables(Path root) throws Exception {
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(p -> Files.exists(p.resolve("_SUCCESS")))
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    }
  }

  /** Every row of a table as text, sorted: equal lists mean the same rows, duplicates counted. */
  private static List<String> sortedRows(SparkSession spark, Path table) {
    return spark.read().parquet(table.toString()).collectAsList().stream()
        .map(Row::toString)
        .sorted()
        .toList();
  }
}
