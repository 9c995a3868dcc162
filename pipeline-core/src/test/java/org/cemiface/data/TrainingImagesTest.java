package org.cemiface.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageTypeParser;
import org.cemiface.image.ImageEncoder;
import org.cemiface.image.ImageFormat;
import org.cemiface.image.ImageSettings;
import org.cemiface.image.RgbImage;
import org.cemiface.io.ParquetTableWriter;
import org.cemiface.render.IdentitySetWriter;
import org.cemiface.render.RenderSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingImagesTest {
  @TempDir java.nio.file.Path dir;

  @Test
  void parquetImageTableIsReadWithLabels() {
    Path file = new Path(dir.resolve("faces.parquet").toString());
    try (ParquetTableWriter w =
        new ParquetTableWriter(
            file,
            MessageTypeParser.parseMessageType(
                "message t { required binary image; required int64 label; }"))) {
      for (int i = 0; i < 6; i++) {
        byte[] px = new byte[8 * 8 * 3];
        Arrays.fill(px, (byte) (i * 40));
        Group g = w.newRow();
        g.add("image", Binary.fromConstantByteArray(ImageEncoder.png(new RgbImage(8, 8, px))));
        g.add("label", (long) (i / 2));
        w.write(g);
      }
      w.commit();
    }
    List<ImageEntry> entries = TrainingImages.list(file.toString());
    assertEquals(6, entries.size());
    assertEquals(2, entries.get(5).label());
    try (BatchLoader loader = new BatchLoader(entries, 6, 2, new AtomicLong(), why -> {})) {
      Batch b = loader.next();
      assertEquals(6, b.size());
      assertEquals(200, b.images().get(5).channel(3, 3, 1));
    }
  }

  @Test
  void aMissingParquetTableIsAnErrorNamingIt() {
    String missing = dir.resolve("absent.parquet").toString();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ParquetImageTable.list(missing));
    assertTrue(e.getMessage().contains(missing), e.getMessage());
  }

  @Test
  void imageFolderWithItsManifestStaysAnImageFolder() {
    RenderSettings render =
        new RenderSettings(3, 2, 0, 16, "x", new RenderSettings.Variation(1, 1, 1, 0, 0, 2));
    new IdentitySetWriter(1, render, new ImageSettings(ImageFormat.PNG, 95), 1)
        .write(new Path(dir.resolve("ids").toString()));
    List<ImageEntry> entries = TrainingImages.list(dir.resolve("ids").toString());
    assertEquals(6, entries.size());
    assertTrue(entries.get(0).relativePath().startsWith("0000000/"), entries.get(0).relativePath());
  }
}
