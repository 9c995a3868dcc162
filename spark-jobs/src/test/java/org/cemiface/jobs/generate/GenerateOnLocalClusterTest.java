package org.cemiface.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.cemiface.config.ConfigLoader;
import org.cemiface.config.LoadedConfig;
import org.cemiface.jobs.LocalClusterTest;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generate job with its tasks in executor JVMs of a local cluster (CPU): the same bytes as in
 * local mode.
 */
class GenerateOnLocalClusterTest {
  @TempDir Path dir;

  @Test
  void executorsProduceTheSameDatasetAsLocalMode() throws Exception {
    LocalClusterTest.sparkHome();
    TinyWorld world = new TinyWorld(dir, 4);
    List<String> cluster = new ArrayList<>(world.overrides("cluster", 4, 2, 2));
    cluster.addAll(LocalClusterTest.clusterConf());
    LoadedConfig clusterConfig = ConfigLoader.load(List.of(), cluster);
    SparkSession spark = SparkSessions.start(SparkSettings.from(clusterConfig));
    GenerateJob.Summary s;
    try {
      GenerateJobTest.planWith(spark, clusterConfig);
      s = GenerateJob.run(spark, clusterConfig, System.err);
    } finally {
      spark.stop();
    }
    assertEquals(4 * 3, s.images());
    assertEquals(2, s.blocksRun());

    LoadedConfig localConfig = ConfigLoader.load(List.of(), world.overrides("local", 4, 2, 2));
    spark = SparkSessions.start(SparkSettings.from(localConfig));
    try {
      GenerateJobTest.planWith(spark, localConfig);
      GenerateJob.run(spark, localConfig, System.err);
    } finally {
      spark.stop();
    }
    GenerateJobTest.assertFilesEqual(
        GenerateJobTest.files(dir.resolve("local")), GenerateJobTest.files(dir.resolve("cluster")));
  }
}
