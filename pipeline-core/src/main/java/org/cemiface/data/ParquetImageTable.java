package org.cemiface.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.PrimitiveType;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.ParquetTableReader;

/**
 * Labelled images stored in Parquet: a binary column {@code image} (PNG/JPEG bytes) and an integer
 * column {@code label} (or {@code identity}); one file or a directory of {@code *.parquet} parts. A
 * file's image bytes are loaded once, when its first image is read, and kept in memory: meant for
 * encoder-sized tables, not for millions of images (use RecordIO or an ImageFolder for those).
 */
public final class ParquetImageTable {
  private static final String ROW = "#row";
  private static final Map<String, List<byte[]>> LOADED = new ConcurrentHashMap<>();

  private ParquetImageTable() {}

  /**
   * Whether {@code root} is a Parquet image table: a .parquet file, or a directory whose Parquet
   * parts have an {@code image} column (an ImageFolder's manifest.parquet has none).
   */
  public static boolean isTable(String root) {
    if (root.endsWith(".parquet")) {
      return true;
    }
    List<Path> parts = parts(root);
    return !parts.isEmpty() && ParquetTableReader.schema(parts.get(0)).containsField("image");
  }

  private static List<Path> parts(String root) {
    List<Path> parts = ParquetTableReader.parts(new Path(root));
    if (parts.isEmpty() && root.endsWith(".parquet")) {
      throw new IllegalArgumentException(
          "Parquet image table " + root + " does not exist or has no .parquet parts");
    }
    return parts;
  }

  /** One entry per row; the label comes from {@code label} or {@code identity}. */
  public static List<ImageEntry> list(String root) {
    List<ImageEntry> out = new ArrayList<>();
    for (Path part : parts(root)) {
      String file = HadoopFiles.qualified(part).toString();
      List<Group> rows = ParquetTableReader.readAll(part);
      for (int i = 0; i < rows.size(); i++) {
        out.add(
            new ImageEntry(file + ROW + i, label(rows.get(i), file, i), part.getName() + ROW + i));
      }
    }
    return out;
  }

  private static int label(Group row, String file, int index) {
    for (String column : new String[] {"label", "identity"}) {
      if (row.getType().containsField(column)) {
        PrimitiveType.PrimitiveTypeName t =
            row.getType().getType(column).asPrimitiveType().getPrimitiveTypeName();
        long label =
            t == PrimitiveType.PrimitiveTypeName.INT64
                ? row.getLong(column, 0)
                : row.getInteger(column, 0);
        if (label < 0 || label > Integer.MAX_VALUE) {
          throw new IllegalArgumentException(
              file
                  + " row "
                  + index
                  + ": '"
                  + column
                  + "' is "
                  + label
                  + "; a class label must be in [0, "
                  + Integer.MAX_VALUE
                  + "]");
        }
        return (int) label;
      }
    }
    throw new IllegalArgumentException(
        file + " row " + index + ": no 'label' or 'identity' column");
  }

  /** Whether {@code path} names a row of a Parquet table. */
  static boolean isRowPath(String path) {
    return path.contains(".parquet" + ROW);
  }

  /** The image bytes of the row named by {@code path}. */
  static byte[] read(String path) {
    int at = path.lastIndexOf(ROW);
    String file = path.substring(0, at);
    int row = Integer.parseInt(path.substring(at + ROW.length()));
    List<byte[]> images =
        LOADED.computeIfAbsent(
            file,
            f -> {
              List<byte[]> bytes = new ArrayList<>();
              for (Group g : ParquetTableReader.readAll(new Path(f))) {
                if (!g.getType().containsField("image")) {
                  throw new IllegalArgumentException(f + ": no binary 'image' column");
                }
                bytes.add(g.getBinary("image", 0).getBytes());
              }
              return bytes;
            });
    return images.get(row);
  }
}
