package org.cemiface.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cemiface.cli.Launched;
import org.cemiface.config.ConfigLoader;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command in a reduced form (fewer identities, a few training steps, two DDIM
 * steps): every stage runs as its own process, every output exists and the counts reconcile from
 * stage to stage.
 */
class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void everyStageRunsAndCountsReconcile() throws Exception {
    Path conf = Path.of(System.getProperty("user.dir")).getParent().resolve("conf/local.conf");
    List<String> args = new ArrayList<>(List.of("demo", "--config", conf.toString()));
    for (String o :
        List.of(
            "work-dir=" + dir,
            "render.identities=24",
            "render.images-per-identity=4",
            "train-encoder.holdout-identities=4",
            "train-encoder.epochs=1",
            "train-encoder.batch-size=32",
            "train.batch-size=4",
            "train.log-every=1",
            "train.sheet-inquiries=2",
            "demo.inquiry-candidates=16",
            "demo.train-steps=3",
            "demo.unet-faces.people=12",
            "demo.unet-faces.images=2",
            "demo.sweep.subjects=2",
            "demo.sweep.images=4",
            "volume.cohorts=[{subjects=3, images=2}]",
            "volume.oversampling=1",
            "sampling.steps=2",
            "filter.threshold=0.995",
            "filter.gallery-threshold=0.995",
            "generate.subjects-per-partition=2",
            "stats.subjects-per-partition=2",
            "stats.grid-subjects=2",
            "stats.grid-samples=2",
            "demo.fid-floor.people=3",
            "demo.fid-floor.images=2",
            "demo.benchmark.people=6",
            "demo.benchmark.images=2",
            "demo.benchmark.pairs=20",
            "train-fr.epochs=2",
            "train-fr.batch-size=4")) {
      args.add("--set");
      args.add(o);
    }
    Launched run = Launched.run(args);
    String log = run.err();
    assertEquals(0, run.code(), log);
    String printed = run.out();
    assertTrue(
        printed.contains("Report: ") && printed.contains("mean similarity to the inquiry"),
        printed);
    assertTrue(
        printed.contains("FID to unet-faces: "), "the demo prints the FID key figure:\n" + printed);
    for (int stage = 1; stage <= 20; stage++) {
      assertTrue(log.contains("[demo " + stage + "/20 "), "stage " + stage + " ran:\n" + log);
    }
    assertTrue(
        printed.contains("Face recognition trained on each set")
            && printed.contains("| CemiFace m = 0 (generated) |")
            && printed.contains("| rendered people (real) |")
            && printed.contains("| Training set | rendered | AVG | GtR |"),
        "the demo ends with the Table 6 layout:\n" + printed);
    assertTrue(
        printed.contains("Goal (demo.goal.*):")
            && printed.contains("achieved similarity rises with m")
            && printed.contains("FID in the lowest 25% of the scale"),
        "the goal is checked and printed:\n" + printed);

    Path demo = dir.resolve("demo");
    for (String f :
        List.of(
            "identities/manifest.parquet",
            "inquiry-candidates/manifest.parquet",
            "models/encoder/encoder.json",
            "models/cemiface/latest",
            "dataset/generate.json",
            "sweep/generate.json",
            "dataset/recordio/train.rec",
            "dataset/stats/report.md",
            "dataset/stats/histogram.png",
            "sweep/stats/control.png",
            "sweep/stats/report.md",
            "sweep/stats/summary.json",
            "fid-floor.json",
            "fid-ceiling.json",
            "benchmarks/rendered.bin",
            "models/fr-generated/encoder.json",
            "models/fr-rendered/encoder.json",
            "verification/verification.parquet",
            "verification/roc-rendered.png")) {
      assertTrue(Files.exists(demo.resolve(f)), f + " exists");
    }
    SparkSession spark =
        SparkSessions.start(SparkSettings.from(ConfigLoader.load(List.of(), List.of())));
    try {
      List<Row> statuses =
          spark
              .read()
              .parquet(demo.resolve("inquiries/inquiries.parquet").toString())
              .groupBy("status")
              .count()
              .collectAsList();
      assertEquals(
          16, statuses.stream().mapToLong(r -> r.getLong(1)).sum(), "every candidate has a status");
      assertEquals(
          9, spark.read().parquet(demo.resolve("dataset/plan.parquet").toString()).count());
      assertEquals(
          9, spark.read().parquet(demo.resolve("dataset/samples.parquet").toString()).count());
      assertEquals(9, count(demo.resolve("dataset/images")));
      assertEquals(
          9,
          spark.read().parquet(demo.resolve("dataset/stats/per_image.parquet").toString()).count());
      assertEquals(
          6,
          spark
              .read()
              .parquet(demo.resolve("dataset/stats/histogram.parquet").toString())
              .agg(org.apache.spark.sql.functions.sum("images"))
              .first()
              .getLong(0),
          "generated images in the histogram");
      assertEquals(
          8, spark.read().parquet(demo.resolve("sweep/samples.parquet").toString()).count());
      assertTrue(
          spark.read().parquet(demo.resolve("sweep/stats/control.parquet").toString()).count()
              >= 1);
      Row fid = spark.read().parquet(demo.resolve("dataset/stats/fid.parquet").toString()).first();
      assertEquals(
          24,
          fid.getLong(fid.fieldIndex("reference_images")),
          "every rendered UNet training image");
      assertEquals(
          6,
          fid.getLong(fid.fieldIndex("generated_images")),
          "generated images only, no inquiry copies");
      double value = fid.getDouble(fid.fieldIndex("fid"));
      assertTrue(Double.isFinite(value) && value > 0, "FID " + value);
    } finally {
      spark.stop();
    }
  }

  @Test
  void stageLogsKeepLog4jAndNnpackNoiseOutOfTheDemosOutput() {
    assertTrue(DemoCommand.shown("[train] step 25/1000 loss 0.5276"));
    assertTrue(
        DemoCommand.shown("Filtered 200 candidates in 21.4 s (299 pairs above the threshold):"));
    assertFalse(DemoCommand.shown("18:57:34 INFO  SparkContext: Running Spark version 3.5.3"));
    assertFalse(
        DemoCommand.shown("18:57:34 WARN  NativeCodeLoader: Unable to load native-hadoop library"));
    assertFalse(
        DemoCommand.shown(
            "[W1202 18:57:34.258622212 NNPACK.cpp:57] Could not initialize NNPACK! Reason: Unsupported hardware."));
  }

  @Test
  void theSweepIsGeneratedInAsManyEqualBlocksAsLocalSparkRunsTasks() {
    assertEquals(2, DemoCommand.localSlots("local[2]").getAsInt());
    assertEquals(4, DemoCommand.localSlots("local[4,3]").getAsInt());
    assertEquals(
        Runtime.getRuntime().availableProcessors(), DemoCommand.localSlots("local[*]").getAsInt());
    assertTrue(DemoCommand.localSlots("spark://head:7077").isEmpty());
    DemoSettings demo = DemoSettings.from(ConfigLoader.load(List.of(), List.of()).reader());
    List<String> generate =
        DemoCommand.stages(demo, "local[2]").stream()
            .filter(s -> s.title().equals("generate m sweep"))
            .findFirst()
            .orElseThrow()
            .overrides();
    assertTrue(
        generate.contains("generate.subjects-per-partition=" + (demo.sweepSubjects() + 1) / 2),
        generate.toString());
    List<String> onCluster =
        DemoCommand.stages(demo, "spark://head:7077").stream()
            .filter(s -> s.title().equals("generate m sweep"))
            .findFirst()
            .orElseThrow()
            .overrides();
    assertTrue(
        onCluster.stream().noneMatch(o -> o.startsWith("generate.subjects-per-partition")),
        onCluster.toString());
  }

  private static long count(Path images) throws Exception {
    try (Stream<Path> s = Files.walk(images)) {
      return s.filter(Files::isRegularFile).count();
    }
  }
}
