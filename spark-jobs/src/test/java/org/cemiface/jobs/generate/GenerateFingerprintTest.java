package org.cemiface.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.cemiface.config.ConfigLoader;
import org.cemiface.config.LoadedConfig;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A generate output resumed with other settings is refused, naming what differs. */
class GenerateFingerprintTest {
  @TempDir Path dir;

  @Test
  void resumingWithOtherSettingsIsRefusedAndWithTheSameIsNot() throws Exception {
    List<String> base = new ArrayList<>(new TinyWorld(dir, 4).overrides("data", 4, 1, 2));
    LoadedConfig c = ConfigLoader.load(List.of(), base);
    SparkSession spark = SparkSessions.start(SparkSettings.from(c));
    try {
      GenerateJobTest.planWith(spark, c);
      GenerateJob.run(spark, c, System.err);
      assertTrue(Files.readString(dir.resolve("data/fingerprint.json")).contains("model_checksum"));
      // The same settings: every block is reused.
      GenerateJob.Summary again = GenerateJob.run(spark, c, System.err);
      assertEquals(0, again.blocksRun());
      List<String> changed = new ArrayList<>(base);
      changed.add("sampling.eta=0.5");
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> GenerateJob.run(spark, ConfigLoader.load(List.of(), changed), System.err));
      assertTrue(
          e.getMessage().contains("sampling.eta") && e.getMessage().contains("2 blocks"),
          e.getMessage());
    } finally {
      spark.stop();
    }
  }
}
