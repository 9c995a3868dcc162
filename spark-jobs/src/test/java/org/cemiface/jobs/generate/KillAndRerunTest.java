package org.cemiface.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.cemiface.config.ConfigLoader;
import org.cemiface.config.LoadedConfig;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generate run in its own JVM is killed (SIGKILL) once some blocks are complete; the rerun
 * finishes the dataset, and the result is byte-identical to an uninterrupted run: exact counts, no
 * duplicates, no partial files.
 */
class KillAndRerunTest {
  static final int SUBJECTS = 6;
  static final int IMAGES = 6;
  @TempDir Path dir;

  private List<String> overrides(TinyWorld world, String output) {
    List<String> o = new ArrayList<>(world.overrides(output, SUBJECTS, IMAGES, 1));
    o.add("sampling.steps=25");
    o.add("spark.master=local[1]");
    return o;
  }

  @Test
  void aKilledRunIsFinishedExactlyByARerun() throws Exception {
    TinyWorld world = new TinyWorld(dir, SUBJECTS);
    Path killed = dir.resolve("killed");
    Path samples = killed.resolve("samples.parquet");
    SparkSession spark =
        SparkSessions.start(SparkSettings.from(ConfigLoader.load(List.of(), List.of())));
    try {
      LoadedConfig killedConfig = ConfigLoader.load(List.of(), overrides(world, "killed"));
      GenerateJobTest.planWith(spark, killedConfig);

      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx1g",
                  "-Dai.djl.offline=true",
                  "-cp",
                  System.getProperty("java.class.path"),
                  "org.cemiface.cli.Main",
                  "generate"));
      for (String o : overrides(world, "killed")) {
        command.add("--set");
        command.add(o);
      }
      File log = dir.resolve("child.log").toFile();
      Process child =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
      int partsAtKill = -1;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (System.nanoTime() < deadline && child.isAlive()) {
        int parts = countParts(samples);
        if (parts >= 1) {
          child.destroyForcibly().waitFor();
          partsAtKill = countParts(samples);
          break;
        }
        Thread.sleep(50);
      }
      assertTrue(
          partsAtKill >= 1 && partsAtKill < SUBJECTS,
          "killed part-way: "
              + partsAtKill
              + " of "
              + SUBJECTS
              + " blocks complete at the kill; child log:\n"
              + Files.readString(log.toPath()));

      GenerateJob.Summary rerun = GenerateJob.run(spark, killedConfig, System.err);
      assertEquals(SUBJECTS - partsAtKill, rerun.blocksRun());
      assertEquals(SUBJECTS * (IMAGES + 1), rerun.images());

      LoadedConfig cleanConfig = ConfigLoader.load(List.of(), overrides(world, "uninterrupted"));
      GenerateJobTest.planWith(spark, cleanConfig);
      GenerateJob.run(spark, cleanConfig, System.err);
      Map<String, byte[]> expected = GenerateJobTest.files(dir.resolve("uninterrupted"));
      assertEquals(
          SUBJECTS * (IMAGES + 1) + 3, expected.size(), "images + train.rec, train.idx, property");
      GenerateJobTest.assertFilesEqual(expected, GenerateJobTest.files(killed));
      GenerateJobTest.assertNoHiddenLeftovers(killed);
      assertEquals(
          SUBJECTS * (IMAGES + 1), spark.read().parquet(samples.toString()).distinct().count());
    } finally {
      spark.stop();
    }
  }

  private static int countParts(Path samples) throws IOException {
    if (!Files.isDirectory(samples)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(samples)) {
      return (int) s.filter(p -> p.getFileName().toString().startsWith("part-")).count();
    }
  }
}
