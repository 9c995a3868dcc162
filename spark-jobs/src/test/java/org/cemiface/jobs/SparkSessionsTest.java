package org.cemiface.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cemiface.config.ConfigLoader;
import org.cemiface.config.LoadedConfig;
import org.cemiface.image.ImageFormat;
import org.cemiface.image.ImageSettings;
import org.cemiface.render.IdentitySetWriter;
import org.cemiface.render.RenderSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkSessionsTest {
  @TempDir java.nio.file.Path dir;

  @Test
  void passThroughPropertiesAndLoopbackDefaults() {
    LoadedConfig c =
        ConfigLoader.load(List.of(), List.of("spark.conf={\"spark.sql.shuffle.partitions\" = 3}"));
    SparkConf conf = SparkSessions.conf(SparkSettings.from(c));
    assertEquals("3", conf.get("spark.sql.shuffle.partitions"));
    assertEquals("127.0.0.1", conf.get("spark.driver.host"));
    assertEquals("local[2]", conf.get("spark.master"));
  }

  @Test
  void gpuTasksUnderLocalModeFailFast() {
    LoadedConfig c =
        ConfigLoader.load(
            List.of(), List.of("spark.conf={\"spark.task.resource.gpu.amount\" = 1}"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SparkSessions.conf(SparkSettings.from(c)));
    assertTrue(e.getMessage().contains("local mode cannot give GPUs"), e.getMessage());
  }

  @Test
  void sparkSqlReadsTheRenderManifest() {
    RenderSettings render =
        new RenderSettings(5, 3, 10, 32, "x", new RenderSettings.Variation(1, 1, 1, 0, 0, 2));
    ImageSettings png = new ImageSettings(ImageFormat.PNG, 95);
    Path root = new Path(dir.toString());
    new IdentitySetWriter(1, render, png, 1).write(root);

    SparkSession spark =
        SparkSessions.start(SparkSettings.from(ConfigLoader.load(List.of(), List.of())));
    try {
      spark.read().parquet(root + "/manifest.parquet").createOrReplaceTempView("manifest");
      List<Row> rows =
          spark
              .sql(
                  "SELECT identity, count(*) AS n, max(width) AS w FROM manifest GROUP BY identity ORDER BY identity")
              .collectAsList();
      assertEquals(5, rows.size());
      assertEquals(10, rows.get(0).getInt(0));
      assertEquals(3L, rows.get(0).getLong(1));
      assertEquals(32, rows.get(4).getInt(2));
    } finally {
      spark.stop();
    }
  }
}
