package org.cemiface.render;

import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.cemiface.io.ParquetTableReader;
import org.cemiface.io.ParquetTableWriter;

/**
 * The Parquet manifest of an ImageFolder dataset: one row per image, {@code path} relative to the
 * dataset root so the folder can be moved.
 */
public final class IdentityManifest {
  /** The file name inside the dataset root. */
  public static final String FILE_NAME = "manifest.parquet";

  /** Column layout; see docs/data-formats.md. */
  public static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message identity_manifest {\n"
              + "  required int32 identity;\n"
              + "  required int32 index;\n"
              + "  required binary path (STRING);\n"
              + "  required int32 width;\n"
              + "  required int32 height;\n"
              + "  required int64 seed;\n"
              + "}");

  /** One manifest row. */
  public record Row(int identity, int index, String path, int width, int height, long seed) {}

  private IdentityManifest() {}

  /** Writes {@code rows} to {@code root/manifest.parquet} atomically. */
  public static void write(Path root, List<Row> rows) {
    try (ParquetTableWriter writer = new ParquetTableWriter(new Path(root, FILE_NAME), SCHEMA)) {
      for (Row row : rows) {
        Group g = writer.newRow();
        g.add("identity", row.identity());
        g.add("index", row.index());
        g.add("path", row.path());
        g.add("width", row.width());
        g.add("height", row.height());
        g.add("seed", row.seed());
        writer.write(g);
      }
      writer.commit();
    }
  }

  /** Reads the manifest of the dataset at {@code root}. */
  public static List<Row> read(Path root) {
    return ParquetTableReader.readAll(new Path(root, FILE_NAME)).stream()
        .map(
            g ->
                new Row(
                    g.getInteger("identity", 0),
                    g.getInteger("index", 0),
                    g.getString("path", 0),
                    g.getInteger("width", 0),
                    g.getInteger("height", 0),
                    g.getLong("seed", 0)))
        .toList();
  }
}
