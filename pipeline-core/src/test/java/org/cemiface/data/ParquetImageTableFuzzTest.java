package org.cemiface.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageTypeParser;
import org.cemiface.image.ImageEncoder;
import org.cemiface.image.RgbImage;
import org.cemiface.io.ParquetTableWriter;

/**
 * A Parquet image table from an untrusted file: listing it and reading every row's image bytes
 * gives entries or an {@link IllegalArgumentException} / {@link UncheckedIOException} with a
 * message. Random bytes rarely get past Parquet's magic and footer, so an input edits a valid
 * three-row table: a count of byte overwrites (offset, value), then a length to cut the file to. CI
 * replays the committed inputs; {@code JAZZER_FUZZ=1} fuzzes (docs/reliability.md, "Fuzzing").
 */
class ParquetImageTableFuzzTest {
  private static final byte[] VALID = validTable();

  @FuzzTest(maxDuration = "5m")
  void listAndReadAnEditedTable(FuzzedDataProvider data) throws IOException {
    byte[] bytes = VALID.clone();
    int edits = data.consumeInt(0, 16);
    for (int i = 0; i < edits; i++) {
      bytes[data.consumeInt(0, bytes.length - 1)] = data.consumeByte();
    }
    bytes = Arrays.copyOf(bytes, data.consumeInt(0, bytes.length));
    Path file = Files.createTempFile("fuzz", ".parquet");
    try {
      Files.write(file, bytes);
      try {
        List<ImageEntry> entries = ParquetImageTable.list(file.toString());
        for (ImageEntry e : entries) {
          ImageBytes.read(e);
        }
      } catch (IllegalArgumentException | UncheckedIOException e) {
        assertTrue(
            e.getMessage() != null && e.getMessage().contains(file.getFileName().toString()),
            e.toString());
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static byte[] validTable() {
    try {
      Path dir = Files.createTempDirectory("fuzz-table");
      Path file = dir.resolve("t.parquet");
      try (ParquetTableWriter w =
          new ParquetTableWriter(
              new org.apache.hadoop.fs.Path(file.toString()),
              MessageTypeParser.parseMessageType(
                  "message t { required binary image; required int64 label; }"))) {
        for (int i = 0; i < 3; i++) {
          byte[] px = new byte[4 * 4 * 3];
          Arrays.fill(px, (byte) (i * 60));
          Group g = w.newRow();
          g.add("image", Binary.fromConstantByteArray(ImageEncoder.png(new RgbImage(4, 4, px))));
          g.add("label", (long) i);
          w.write(g);
        }
        w.commit();
      }
      byte[] bytes = Files.readAllBytes(file);
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
