package org.cemiface.jobs.inquiries;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cemiface.config.ConfigLoader;
import org.cemiface.config.LoadedConfig;
import org.cemiface.image.ImageEncoder;
import org.cemiface.image.RgbImage;
import org.cemiface.inquiry.OneShotDraw;
import org.cemiface.jobs.LocalClusterTest;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;
import org.cemiface.recordio.RecordIoWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prepare-inquiries on local Spark and on a local cluster, against the files it was given. */
class PrepareInquiriesJobTest {
  private static final byte[] GARBAGE = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
  @TempDir Path dir;

  private static byte[] png(int value) {
    byte[] px = new byte[8 * 8 * 3];
    Arrays.fill(px, (byte) value);
    return ImageEncoder.png(new RgbImage(8, 8, px));
  }

  private static void write(Path file, byte[] bytes) throws Exception {
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }

  /**
   * Ten identities of 1 to 3 images, one whose seeded first draw is unreadable (the other image is
   * fine), one with only unreadable images, one without images.
   */
  private Path source() throws Exception {
    Path root = dir.resolve("real");
    for (int i = 0; i < 10; i++) {
      for (int j = 0; j <= i % 3; j++) {
        write(root.resolve(String.format("id%02d/%d.png", i, j)), png(10 * i + j));
      }
    }
    int first = OneShotDraw.tryOrder(42, "mixed", 2)[0];
    write(root.resolve("mixed/" + first + ".png"), GARBAGE);
    write(root.resolve("mixed/" + (1 - first) + ".png"), png(200));
    write(root.resolve("allbad/a.png"), GARBAGE);
    write(root.resolve("allbad/b.jpg"), new byte[] {1, 2, 3});
    write(root.resolve("empty/notes.txt"), new byte[] {'x'});
    return root;
  }

  private static LoadedConfig config(List<String> base, String... more) {
    List<String> all = new ArrayList<>(base);
    all.addAll(List.of(more));
    return ConfigLoader.load(List.of(), all);
  }

  private static Map<String, Row> table(SparkSession spark, Path path) {
    Map<String, Row> out = new HashMap<>();
    for (Row r : spark.read().parquet(path.toString()).collectAsList()) {
      out.put(r.getAs("identity"), r);
    }
    return out;
  }

  private static List<Path> images(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  @Test
  void oneSeededReadableImagePerIdentityWithEveryIdentityAccountedFor() throws Exception {
    Path source = source();
    List<String> base =
        List.of(
            "work-dir=" + dir,
            "prepare-inquiries.source=real",
            "prepare-inquiries.identities-per-task=4");
    SparkSession spark = SparkSessions.start(SparkSettings.from(config(base)));
    try {
      PrepareInquiriesJob.Summary s =
          PrepareInquiriesJob.run(
              spark,
              config(base, "prepare-inquiries.output=a", "prepare-inquiries.table=a.parquet"),
              System.err);
      assertEquals(13, s.identities());
      assertEquals(11L, s.byStatus().get("kept"));
      assertEquals(1L, s.byStatus().get("unreadable"));
      assertEquals(1L, s.byStatus().get("empty"));
      assertEquals(0L, s.byStatus().get("not_sampled"));

      Map<String, Row> a = table(spark, dir.resolve("a.parquet"));
      assertEquals(13, a.size());
      List<Path> picked = images(dir.resolve("a"));
      assertEquals(11, picked.size(), "one image per kept identity: " + picked);
      for (Row r : a.values()) {
        if (!"kept".equals(r.getAs("status"))) {
          continue;
        }
        Path out = dir.resolve("a").resolve((String) r.getAs("output"));
        assertArrayEquals(
            Files.readAllBytes(source.resolve((String) r.getAs("source"))),
            Files.readAllBytes(out),
            "the source bytes, unchanged");
        assertEquals(r.getAs("identity"), out.getParent().getFileName().toString());
      }
      // The unreadable first draw is named and the identity falls back to its other image.
      Row mixed = a.get("mixed");
      assertEquals("kept", mixed.getAs("status"));
      List<String> skipped = mixed.getList(mixed.fieldIndex("skipped"));
      assertEquals(1, skipped.size());
      assertTrue(skipped.get(0).startsWith(OneShotDraw.tryOrder(42, "mixed", 2)[0] + ".png: "));
      assertArrayEquals(
          png(200), Files.readAllBytes(dir.resolve("a").resolve((String) mixed.getAs("output"))));
      Row allbad = a.get("allbad");
      assertEquals("unreadable", allbad.getAs("status"));
      assertEquals(2, allbad.getList(allbad.fieldIndex("skipped")).size());
      assertEquals(2, (int) allbad.getAs("images"));
      assertEquals("empty", a.get("empty").getAs("status"));

      // The same seed draws the same images (a rerun into the same output replaces it whole);
      // another seed draws others.
      PrepareInquiriesJob.run(
          spark,
          config(base, "prepare-inquiries.output=a", "prepare-inquiries.table=a.parquet"),
          System.err);
      assertEquals(picked, images(dir.resolve("a")));
      PrepareInquiriesJob.run(
          spark,
          config(base, "seed=7", "prepare-inquiries.output=b", "prepare-inquiries.table=b.parquet"),
          System.err);
      Map<String, Row> b = table(spark, dir.resolve("b.parquet"));
      long differ =
          a.keySet().stream()
              .filter(id -> a.get(id).getAs("source") != null)
              .filter(id -> !a.get(id).getAs("source").equals(b.get(id).getAs("source")))
              .count();
      assertTrue(differ >= 2, "another seed picks other images; differing identities: " + differ);

      // A cap samples that many identities, seeded; the rest are accounted for as not_sampled.
      PrepareInquiriesJob.Summary capped =
          PrepareInquiriesJob.run(
              spark,
              config(
                  base,
                  "prepare-inquiries.max-identities=5",
                  "prepare-inquiries.output=c",
                  "prepare-inquiries.table=c.parquet"),
              System.err);
      assertEquals(8L, capped.byStatus().get("not_sampled"));
      assertEquals(13, table(spark, dir.resolve("c.parquet")).size());
      Map<String, Row> c = table(spark, dir.resolve("c.parquet"));
      for (String id : c.keySet()) {
        boolean sampled = OneShotDraw.sample(new ArrayList<>(a.keySet()), 5, 42).contains(id);
        assertEquals(sampled, !"not_sampled".equals(c.get(id).getAs("status")), id);
      }
    } finally {
      spark.stop();
    }
  }

  @Test
  void recordIoIdentitiesAreSampledFromTheirIdentityRecords() throws Exception {
    Path rec = dir.resolve("rec");
    try (RecordIoWriter w = new RecordIoWriter(new org.apache.hadoop.fs.Path(rec.toString()))) {
      for (int label = 0; label < 4; label++) {
        for (int j = 0; j <= label; j++) {
          w.add(label, png(40 * label + j), 8, 8);
        }
      }
      w.commit();
    }
    List<String> base = List.of("work-dir=" + dir, "prepare-inquiries.source=rec");
    SparkSession spark = SparkSessions.start(SparkSettings.from(config(base)));
    try {
      PrepareInquiriesJob.Summary s = PrepareInquiriesJob.run(spark, config(base), System.err);
      assertEquals(4, s.identities());
      assertEquals(4L, s.byStatus().get("kept"));
      Map<String, Row> t = table(spark, dir.resolve("inquiries/one-shot.parquet"));
      for (int label = 0; label < 4; label++) {
        Row r = t.get(String.format("%07d", label));
        assertEquals(label + 1, (int) r.getAs("images"));
        long key = Long.parseLong(((String) r.getAs("source")).substring("train.rec#".length()));
        // Label l's images are records 1 + l(l+1)/2 ... l(l+1)/2 + l + 1.
        int first = 1 + label * (label + 1) / 2;
        assertTrue(key >= first && key <= first + label, "key " + key + " of label " + label);
        byte[] bytes =
            Files.readAllBytes(
                dir.resolve("inquiry-candidates").resolve((String) r.getAs("output")));
        assertArrayEquals(png(40 * label + (int) (key - first)), bytes);
      }
    } finally {
      spark.stop();
    }
  }

  @Test
  void aSourceWithoutIdentityFoldersIsRefusedByName() throws Exception {
    write(dir.resolve("flat/0.png"), png(1));
    List<String> base = List.of("work-dir=" + dir, "prepare-inquiries.source=flat");
    SparkSession spark = SparkSessions.start(SparkSettings.from(config(base)));
    try {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> PrepareInquiriesJob.run(spark, config(base), System.err));
      assertTrue(e.getMessage().contains("flat has no identity folders"), e.getMessage());
      assertNotEquals(true, Files.exists(dir.resolve("inquiry-candidates")));
    } finally {
      spark.stop();
    }
  }

  @Test
  void tenThousandIdentitiesOnALocalCluster() throws Exception {
    Path root = dir.resolve("many");
    byte[] image = png(77);
    for (int i = 0; i < 10_000; i++) {
      write(root.resolve(String.format("p%05d/0.png", i)), image);
    }
    List<String> base = new ArrayList<>(LocalClusterTest.clusterConf());
    base.addAll(
        List.of(
            "work-dir=" + dir,
            "prepare-inquiries.source=many",
            "prepare-inquiries.identities-per-task=2500"));
    LocalClusterTest.sparkHome();
    SparkSession spark = SparkSessions.start(SparkSettings.from(config(base)));
    try {
      PrepareInquiriesJob.Summary s = PrepareInquiriesJob.run(spark, config(base), System.err);
      assertEquals(10_000, s.identities());
      assertEquals(10_000L, s.byStatus().get("kept"));
      try (Stream<Path> folders = Files.list(dir.resolve("inquiry-candidates"))) {
        assertEquals(10_000, folders.count());
      }
      assertEquals(10_000, images(dir.resolve("inquiry-candidates")).size());
    } finally {
      spark.stop();
    }
  }
}
