package org.cemiface.jobs.runs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cemiface.config.ConfigLoader;
import org.cemiface.config.LoadedConfig;
import org.cemiface.data.ImageEntry;
import org.cemiface.data.ImageFolderSource;
import org.cemiface.data.TrainingImages;
import org.cemiface.generate.GenerateSettings;
import org.cemiface.jobs.LocalClusterTest;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;
import org.cemiface.jobs.generate.TinyWorldAccess;
import org.cemiface.jobs.stats.SqlCommand;
import org.cemiface.runs.FamilyLock;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scheduled firings of a family on local Spark: ranges, idempotence, refusal, lease, catalog. */
class FamilyRunTest {
  private static final Instant NOW = Instant.parse("2026-12-03T03:17:00Z");
  @TempDir Path dir;

  private LoadedConfig config(String... more) {
    List<String> o = new ArrayList<>(TinyWorldAccess.create(dir, 12, "unused", 3, 2, 2));
    o.add("stats.subjects-per-partition=2");
    o.addAll(List.of(more));
    return ConfigLoader.load(List.of(), o);
  }

  private FamilyRun.Result fire(SparkSession spark, LoadedConfig c, String family, String id) {
    return FamilyRun.fire(spark, c, family, id, NOW, NOW, System.err);
  }

  private Path runDir(String family, String id) {
    return dir.resolve("families").resolve(family).resolve("runs").resolve(id);
  }

  private static Map<String, byte[]> images(Path dataset) throws Exception {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dataset.resolve("images"))) {
      for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
        out.put(dataset.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  @Test
  void firingsTakeFreshRangesAndRefiringIsSafe() throws Exception {
    // On a local cluster: the tasks run in executor JVMs, as on a real one.
    LocalClusterTest.sparkHome();
    LoadedConfig c = config(LocalClusterTest.clusterConf().toArray(new String[0]));
    SparkSession spark = SparkSessions.start(SparkSettings.from(c));
    try {
      // Three runs in sequence: disjoint inquiries, subjects and seeds.
      Set<String> inquiries = new HashSet<>();
      Set<Long> seeds = new HashSet<>();
      for (String id : List.of("r1", "r2", "r3")) {
        assertEquals(FamilyRun.Outcome.DONE, fire(spark, c, "nightly", id).outcome());
        for (Row r :
            spark
                .read()
                .parquet(runDir("nightly", id).resolve("plan.parquet").toString())
                .collectAsList()) {
          if ("generated".equals(r.getAs("kind"))) {
            assertTrue(seeds.add(r.getAs("seed")), "seed reused in " + id);
          }
          inquiries.add(id + ":" + r.getAs("inquiry_id"));
        }
      }
      Set<String> distinct = new HashSet<>();
      inquiries.forEach(s -> distinct.add(s.substring(s.indexOf(':') + 1)));
      assertEquals(9, distinct.size(), "each run conditions on its own 3 inquiries: " + inquiries);
      for (int k = 0; k < 3; k++) {
        String json = Files.readString(runDir("nightly", "r" + (k + 1)).resolve("run.json"));
        assertEquals(
            3L * k,
            JsonParser.parseString(json).getAsJsonObject().get("first_subject").getAsLong());
      }
      assertTrue(
          Files.readString(runDir("nightly", "r2").resolve("metrics.prom"))
              .contains("cemiface_run_images{family=\"nightly\",run=\"r2\"} 9.000000"));

      // A completed run fired again does nothing.
      assertEquals(FamilyRun.Outcome.NOTHING_TO_DO, fire(spark, c, "nightly", "r2").outcome());
      // With other settings it is refused, naming the key.
      IllegalArgumentException changed =
          assertThrows(
              IllegalArgumentException.class,
              () -> fire(spark, config("sampling.steps=4"), "nightly", "r2"));
      assertTrue(changed.getMessage().contains("sampling.steps"), changed.getMessage());

      // The union of the runs is one dataset: 9 subjects in distinct classes, 3 x (2 + 1 copy)
      // images each.
      FamilyExport.Summary all =
          FamilyExport.run(spark, c, "nightly", Set.of(), "exports/all", System.err);
      List<ImageEntry> union = TrainingImages.list(dir.resolve("exports/all").toString());
      assertEquals(27, union.size());
      assertEquals(9, ImageFolderSource.classes(union));
      assertEquals(9, all.subjects());
      assertEquals(27, new HashSet<>(union.stream().map(ImageEntry::relativePath).toList()).size());
      assertArrayEquals(
          Files.readAllBytes(runDir("nightly", "r3").resolve("dataset/images/0000000/0.png")),
          Files.readAllBytes(dir.resolve("exports/all/0000006/0.png")),
          "run r3's first subject is the family's seventh");
      assertIndependentReaderSees(dir.resolve("exports/all"), 9, 27);
      FamilyExport.run(spark, c, "nightly", Set.of("r1", "r3"), "exports/some", System.err);
      assertEquals(
          6,
          ImageFolderSource.classes(TrainingImages.list(dir.resolve("exports/some").toString())));

      // The catalog answers SQL.
      SqlCommand.register(spark, c.reader());
      Row counts =
          spark
              .sql(
                  "SELECT count(*), sum(subjects), max(first_subject) FROM runs WHERE status = 'complete'")
              .first();
      assertEquals(3L, counts.getLong(0));
      assertEquals(9L, counts.getLong(1));
      assertEquals(6L, counts.getLong(2));
    } finally {
      spark.stop();
    }
  }

  /**
   * Python's standard library, not this project's reader: class folders, PNG signatures and 16x16
   * headers.
   */
  private static void assertIndependentReaderSees(Path root, int classes, int images)
      throws Exception {
    File python = new File("/usr/bin/python3");
    Assumptions.assumeTrue(python.canExecute(), "no python3 for the independent check");
    String script =
        "import os,struct,sys\n"
            + "root=sys.argv[1]; c=0; n=0\n"
            + "for d in sorted(os.listdir(root)):\n"
            + "  p=os.path.join(root,d)\n"
            + "  if not os.path.isdir(p): continue\n"
            + "  c+=1\n"
            + "  for f in os.listdir(p):\n"
            + "    b=open(os.path.join(p,f),'rb').read(24)\n"
            + "    assert b[:8]==b'\\x89PNG\\r\\n\\x1a\\n', f\n"
            + "    assert struct.unpack('>II', b[16:24])==(16,16), f\n"
            + "    n+=1\n"
            + "print(c, n)\n";
    Process p =
        new ProcessBuilder(python.getPath(), "-c", script, root.toString())
            .redirectErrorStream(true)
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes()).trim();
    assertEquals(0, p.exitValue(), out);
    assertEquals(classes + " " + images, out);
  }

  @Test
  void aHeldLeaseLocksTheFamilyAndAnExpiredOneIsTakenOver() throws Exception {
    LoadedConfig c = config();
    Path lock = dir.resolve("families/weekly/_lock");
    Files.createDirectories(lock.getParent());
    Files.writeString(
        lock,
        "{\"run\":\"other\",\"since\":\"2026-12-03T03:00:00Z\",\"expires\":\"2026-12-03T04:00:00Z\"}");
    SparkSession spark = SparkSessions.start(SparkSettings.from(c));
    try {
      FamilyLock.Locked locked =
          assertThrows(FamilyLock.Locked.class, () -> fire(spark, c, "weekly", "w1"));
      assertTrue(
          locked.getMessage().contains("family locked by run other since 2026-12-03T03:00:00Z"));
      Files.writeString(
          lock,
          "{\"run\":\"other\",\"since\":\"2026-12-02T03:00:00Z\",\"expires\":\"2026-12-02T15:00:00Z\"}");
      assertEquals(FamilyRun.Outcome.DONE, fire(spark, c, "weekly", "w1").outcome());
      assertTrue(Files.notExists(lock), "the lease is released after the run");
    } finally {
      spark.stop();
    }
  }

  @Test
  void twoConcurrentFiringsRunOnceAndRetentionKeepsTheNewestImages() throws Exception {
    LoadedConfig c = config("family.keep-runs=1");
    SparkSession spark = SparkSessions.start(SparkSettings.from(c));
    try {
      AtomicReference<FamilyRun.Result> first = new AtomicReference<>();
      Thread a = new Thread(() -> first.set(fire(spark, c, "pair", "p1")));
      a.start();
      Path lock = dir.resolve("families/pair/_lock");
      for (int i = 0; i < 600 && Files.notExists(lock) && a.isAlive(); i++) {
        Thread.sleep(50);
      }
      assertThrows(FamilyLock.Locked.class, () -> fire(spark, c, "pair", "p2"));
      a.join();
      assertEquals(FamilyRun.Outcome.DONE, first.get().outcome());
      // p2 fires when the family is free; keep-runs = 1 then removes p1's images, not its records.
      assertEquals(FamilyRun.Outcome.DONE, fire(spark, c, "pair", "p2").outcome());
      assertTrue(Files.notExists(runDir("pair", "p1").resolve("dataset/images")));
      assertTrue(Files.exists(runDir("pair", "p1").resolve("dataset/samples.parquet")));
      assertTrue(Files.exists(runDir("pair", "p2").resolve("dataset/images")));
      IllegalArgumentException gone =
          assertThrows(
              IllegalArgumentException.class,
              () -> FamilyExport.run(spark, c, "pair", Set.of("p1"), "exports/p1", System.err));
      assertTrue(gone.getMessage().contains("retention"), gone.getMessage());
    } finally {
      spark.stop();
    }
  }

  @Test
  void aRunKilledMidGenerateFinishesAsAnUninterruptedOne() throws Exception {
    LoadedConfig c = config();
    SparkSession spark = SparkSessions.start(SparkSettings.from(c));
    try {
      fire(spark, c, "reference", "a");
      System.setProperty(GenerateSettings.FailureInjection.PROPERTY, "0:1");
      try {
        assertThrows(Exception.class, () -> fire(spark, c, "killed", "a"));
      } finally {
        System.clearProperty(GenerateSettings.FailureInjection.PROPERTY);
      }
      assertEquals(FamilyRun.Outcome.DONE, fire(spark, c, "killed", "a").outcome());
      Map<String, byte[]> want = images(runDir("reference", "a").resolve("dataset"));
      Map<String, byte[]> got = images(runDir("killed", "a").resolve("dataset"));
      assertEquals(want.keySet(), got.keySet());
      for (String k : want.keySet()) {
        assertArrayEquals(want.get(k), got.get(k), k);
      }
      List<Row> outcomes =
          spark
              .read()
              .parquet(dir.resolve("families/killed/catalog").toString())
              .orderBy("ended")
              .collectAsList();
      assertEquals(
          List.of("running", "failed", "running", "complete"),
          outcomes.stream().map(r -> r.getString(5)).toList());
    } finally {
      spark.stop();
    }
  }
}
