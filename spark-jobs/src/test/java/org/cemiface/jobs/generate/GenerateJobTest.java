package org.cemiface.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cemiface.config.ConfigLoader;
import org.cemiface.config.LoadedConfig;
import org.cemiface.config.RunSettings;
import org.cemiface.generate.GenerateSettings;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;
import org.cemiface.jobs.plan.PlanJob;
import org.cemiface.plan.InquiryList;
import org.cemiface.plan.PlanSettings;
import org.cemiface.volume.VolumeSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * plan + generate on local Spark with a tiny random model: exact outputs, independent readers,
 * retries, resume.
 */
class GenerateJobTest {
  static final int SUBJECTS = 5;
  static final int IMAGES = 3;
  static final int PER_SUBJECT = IMAGES + 1;
  @TempDir static Path shared;
  static TinyWorld world;
  static SparkSession spark;
  static Map<String, byte[]> cleanRun;

  @BeforeAll
  static void setUp() throws IOException {
    world = new TinyWorld(shared, 6);
    // local[2,4]: two task slots, four attempts per task, so an injected failure is retried.
    spark =
        SparkSessions.start(
            SparkSettings.from(ConfigLoader.load(List.of(), List.of("spark.master=local[2,4]"))));
    LoadedConfig c = config("clean", List.of());
    plan(c);
    GenerateJob.run(spark, c, System.err);
    cleanRun = files(shared.resolve("clean"));
  }

  @AfterAll
  static void tearDown() {
    spark.stop();
  }

  static LoadedConfig config(String output, List<String> extra) {
    List<String> o = new ArrayList<>(world.overrides(output, SUBJECTS, IMAGES, 2));
    o.addAll(extra);
    return ConfigLoader.load(List.of(), o);
  }

  static void plan(LoadedConfig c) {
    planWith(spark, c);
  }

  static void planWith(SparkSession spark, LoadedConfig c) {
    var r = c.reader();
    var run = RunSettings.from(r);
    PlanSettings p = PlanSettings.from(r);
    PlanJob.run(
        spark,
        InquiryList.read(run.resolve(p.inquiries())),
        VolumeSettings.from(r),
        p.m(),
        run.seed(),
        2,
        run.resolve(p.output()));
  }

  /**
   * Every non-hidden file below {@code dir} (relative path → bytes), plus hidden leftovers under a
   * "!" key.
   */
  static Map<String, byte[]> files(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
        String rel = dir.relativize(p).toString();
        if (rel.startsWith("images/")
            || rel.startsWith("recordio/train")
            || rel.equals("recordio/property")) {
          out.put(rel, Files.readAllBytes(p));
        }
      }
    }
    return out;
  }

  @Test
  void writesExactlyThePlannedImagesReadableByIndependentReaders() throws IOException {
    Path out = shared.resolve("clean");
    // ImageFolder: <subject>/<index>.png, every file a decodable 16x16 image.
    List<Path> subjects;
    try (Stream<Path> s = Files.list(out.resolve("images"))) {
      subjects = s.sorted().toList();
    }
    assertEquals(SUBJECTS, subjects.size());
    int images = 0;
    for (int i = 0; i < SUBJECTS; i++) {
      assertEquals(String.format("%07d", i), subjects.get(i).getFileName().toString());
      for (int k = 0; k < PER_SUBJECT; k++) {
        BufferedImage img = ImageIO.read(subjects.get(i).resolve(k + ".png").toFile());
        assertNotNull(img, subjects.get(i) + "/" + k + ".png");
        assertEquals(16, img.getWidth());
        images++;
      }
      try (Stream<Path> s = Files.list(subjects.get(i))) {
        assertEquals(PER_SUBJECT, s.count(), "no extra files in " + subjects.get(i));
      }
    }
    assertEquals(SUBJECTS * PER_SUBJECT, images);

    // samples.parquet: one row per image, paths and kinds as planned.
    List<Row> rows =
        spark
            .read()
            .parquet(out.resolve("samples.parquet").toString())
            .orderBy("subject", "index")
            .collectAsList();
    assertEquals(SUBJECTS * PER_SUBJECT, rows.size());
    Row first = rows.get(0);
    assertEquals("images/0000000/0.png", first.getAs("path"));
    assertEquals("generated", first.getAs("kind"));
    assertEquals("inquiry_copy", rows.get(IMAGES).getAs("kind"));
    for (Row r : rows) {
      float sim = r.getAs("similarity");
      assertTrue(sim >= -1.0001f && sim <= 1.0001f, "similarity " + sim);
    }
    // The copy of the inquiry matches the inquiry almost exactly (same image, resized to the same
    // size).
    assertTrue((float) rows.get(IMAGES).getAs("similarity") > 0.999f);

    // RecordIO: header, images grouped by subject label, identity records; the idx points at every
    // record.
    List<RecordIoFiles.Record> records =
        RecordIoFiles.readSequentially(out.resolve("recordio/train.rec"));
    int n = SUBJECTS * PER_SUBJECT;
    assertEquals(1 + n + SUBJECTS, records.size());
    RecordIoFiles.Record header = records.get(0);
    assertEquals(2, header.flag());
    assertArrayEquals(new float[] {n + 1, n + 1 + SUBJECTS}, header.labels());
    for (int i = 1; i <= n; i++) {
      RecordIoFiles.Record r = records.get(i);
      int subject = (i - 1) / PER_SUBJECT;
      int index = (i - 1) % PER_SUBJECT;
      assertEquals(0, r.flag());
      assertEquals(subject, r.label(), 0f);
      assertEquals(i, r.id());
      assertArrayEquals(
          Files.readAllBytes(
              out.resolve("images")
                  .resolve(String.format("%07d", subject))
                  .resolve(index + ".png")),
          r.image(),
          "record " + i);
    }
    for (int s = 0; s < SUBJECTS; s++) {
      RecordIoFiles.Record id = records.get(1 + n + s);
      assertArrayEquals(new float[] {1 + s * PER_SUBJECT, 1 + (s + 1) * PER_SUBJECT}, id.labels());
    }
    Map<Long, Long> idx = RecordIoFiles.readIndex(out.resolve("recordio/train.idx"));
    assertEquals(records.size(), idx.size());
    for (int i = 0; i < records.size(); i++) {
      assertEquals(records.get(i).offset(), idx.get((long) i), "idx offset of key " + i);
    }
    assertEquals(SUBJECTS + ",16,16", Files.readString(out.resolve("recordio/property")));
    assertFalse(Files.exists(out.resolve("_temporary")), "attempt leftovers removed");
  }

  @Test
  void rerunSkipsCompletedBlocksAndChangesNothing() throws IOException {
    GenerateJob.Summary s = GenerateJob.run(spark, config("clean", List.of()), System.err);
    assertEquals(0, s.blocksRun());
    assertEquals(SUBJECTS * PER_SUBJECT, s.images());
    assertFilesEqual(cleanRun, files(shared.resolve("clean")));
  }

  @Test
  void anInjectedTaskFailureIsRetriedAndTheOutputIsExact() throws IOException {
    LoadedConfig c = config("injected", List.of());
    plan(c);
    GenerateJob.Summary s;
    System.setProperty(GenerateSettings.FailureInjection.PROPERTY, "1:1");
    try {
      s = GenerateJob.run(spark, c, System.err);
    } finally {
      System.clearProperty(GenerateSettings.FailureInjection.PROPERTY);
    }
    assertEquals(SUBJECTS * PER_SUBJECT, s.images());
    assertEquals(3, s.blocksRun());
    assertFilesEqual(cleanRun, files(shared.resolve("injected")));
    assertNoHiddenLeftovers(shared.resolve("injected"));
  }

  @Test
  void aDirectoryWithOnlyRawWeightsLikeAnImportIsGeneratedFromAndNamed() throws IOException {
    // import-unet writes a single network, unet: the world's EMA weights under that name.
    Path imported = shared.resolve("imported");
    Files.createDirectories(imported);
    Files.copy(shared.resolve("model/ema.params"), imported.resolve("unet.params"));
    Files.copy(shared.resolve("model/ema.json"), imported.resolve("unet.json"));
    LoadedConfig c = config("from-import", List.of("generate.model=imported"));
    plan(c);
    GenerateJob.Summary s = GenerateJob.run(spark, c, System.err);
    assertTrue(s.models().endsWith("imported/unet.params"), s.models());
    assertFilesEqual(cleanRun, files(shared.resolve("from-import")));
  }

  @Test
  void aStalePlanCountIsAnErrorNotASilentSuccess() {
    LoadedConfig c = config("missing-plan", List.of("generate.plan=nowhere.parquet"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> GenerateJob.run(spark, c, System.err));
    assertTrue(e.getMessage().contains("run bin/cemiface plan first"), e.getMessage());
  }

  static void assertFilesEqual(Map<String, byte[]> expected, Map<String, byte[]> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    for (String k : expected.keySet()) {
      assertArrayEquals(expected.get(k), actual.get(k), k);
    }
  }

  static void assertNoHiddenLeftovers(Path dir) throws IOException {
    Set<String> hidden = new HashSet<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(
              p ->
                  p.getFileName().toString().startsWith("._tmp")
                      || p.getFileName().toString().equals("_temporary"))
          .forEach(p -> hidden.add(dir.relativize(p).toString()));
    }
    assertEquals(Set.of(), hidden);
  }
}
