package org.cemiface.recordio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.Path;
import org.cemiface.data.Batch;
import org.cemiface.data.BatchLoader;
import org.cemiface.data.ImageEntry;
import org.cemiface.data.TrainingImages;
import org.cemiface.image.ImageEncoder;
import org.cemiface.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordIoTest {
  @TempDir java.nio.file.Path dir;

  private static RgbImage solid(int v) {
    byte[] px = new byte[4 * 4 * 3];
    Arrays.fill(px, (byte) v);
    return new RgbImage(4, 4, px);
  }

  @Test
  void writtenDatasetReadsBackWithInsightfaceLayout() throws Exception {
    Path out = new Path(dir.toString());
    try (RecordIoWriter w = new RecordIoWriter(out)) {
      w.add(0, ImageEncoder.png(solid(10)), 4, 4);
      w.add(0, ImageEncoder.png(solid(20)), 4, 4);
      w.add(1, ImageEncoder.png(solid(30)), 4, 4);
      w.add(2, ImageEncoder.png(solid(40)), 4, 4);
      w.commit();
    }
    assertEquals("3,4,4", Files.readString(dir.resolve("property")));
    byte[] rec = Files.readAllBytes(dir.resolve("train.rec"));
    ByteBuffer b = ByteBuffer.wrap(rec).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(RecordIo.MAGIC, b.getInt(0));
    assertEquals(0, rec.length % 4, "records are padded to 4 bytes");
    try (RecordIoSource src = new RecordIoSource(out)) {
      RecordIo.Payload header = src.read(0);
      assertEquals(2, header.flag());
      assertArrayEquals(
          new float[] {5, 8}, header.labels(), "images are records 1-4, identities 5-7");
      assertEquals(List.of(1L, 2L, 3L, 4L), src.imageKeys());
      RecordIo.Payload identity1 = src.read(6);
      assertArrayEquals(new float[] {3, 4}, identity1.labels(), "identity 1 owns image record 3");
      assertEquals(1f, src.read(3).primaryLabel());
    }
    List<ImageEntry> entries = TrainingImages.list(dir.toString());
    assertEquals(4, entries.size());
    assertEquals(2, entries.get(3).label());
    try (BatchLoader loader = new BatchLoader(entries, 4, 2, new AtomicLong(), why -> {})) {
      Batch batch = loader.next();
      assertEquals(4, batch.size());
      assertEquals(30, batch.images().get(2).channel(0, 0, 0));
    }
  }

  @Test
  void corruptIndexIsNamed() throws Exception {
    Path out = new Path(dir.toString());
    try (RecordIoWriter w = new RecordIoWriter(out)) {
      w.add(0, ImageEncoder.png(solid(10)), 4, 4);
      w.commit();
    }
    Files.writeString(dir.resolve("train.idx"), "0\t0\n1\t7\n");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> {
              try (RecordIoSource src = new RecordIoSource(out)) {
                src.read(1);
              }
            });
    assertTrue(e.getMessage().contains("bad magic at offset 7"), e.getMessage());
  }

  @Test
  void lyingLengthsAndCountsAreRefusedBeforeAnythingIsSizedByThem() throws Exception {
    Path out = new Path(dir.toString());
    try (RecordIoWriter w = new RecordIoWriter(out)) {
      w.add(0, ImageEncoder.png(solid(10)), 4, 4);
      w.add(1, ImageEncoder.png(solid(20)), 4, 4);
      w.commit();
    }
    byte[] good = Files.readAllBytes(dir.resolve("train.rec"));
    String index = Files.readString(dir.resolve("train.idx"));
    long record1 = Long.parseLong(index.lines().toList().get(1).split("\t")[1]);

    // The header's image count (label[0] - 1, after magic, length word and the 24-byte IRHeader).
    byte[] rec = good.clone();
    ByteBuffer.wrap(rec).order(ByteOrder.LITTLE_ENDIAN).putFloat(8 + 24, 1e12f);
    Files.write(dir.resolve("train.rec"), rec);
    assertRefused(out, "claims 999999995903 images but");

    // A record's length word far beyond the file.
    rec = good.clone();
    ByteBuffer.wrap(rec).order(ByteOrder.LITTLE_ENDIAN).putInt((int) record1 + 4, (1 << 29) - 1);
    Files.write(dir.resolve("train.rec"), rec);
    assertRefused(out, "record length 536870911 at offset " + record1 + " runs past the end");

    Files.write(dir.resolve("train.rec"), good);
    Files.writeString(dir.resolve("train.idx"), index.replaceFirst("(?m)^1\t\\d+$", "1\t1000000"));
    assertRefused(out, "index offset 1000000 is outside the file");

    Files.writeString(dir.resolve("train.idx"), index + "x\t12\n");
    assertRefused(out, "train.idx:" + (index.lines().count() + 1) + ": key and offset");
  }

  private static void assertRefused(Path out, String message) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> {
              try (RecordIoSource src = new RecordIoSource(out)) {
                for (long k : src.imageKeys()) {
                  src.read(k);
                }
              }
            });
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
