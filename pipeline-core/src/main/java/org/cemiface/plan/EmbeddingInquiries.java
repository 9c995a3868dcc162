package org.cemiface.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.MessageType;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.ParquetTableReader;

/**
 * Inquiries given as embeddings, with no image (the paper's identity-centre inquiries, Table 7): a
 * Parquet table with a float-array column {@code embedding} and optionally {@code id}, one inquiry
 * per row. Each inquiry's source is a reference {@code embedding:<part file>#row<n>} that generate
 * and stats resolve to the row's vector, so plan and samples tables keep their one string column.
 */
public final class EmbeddingInquiries {
  /** The prefix of an inquiry source that names an embedding instead of an image. */
  public static final String PREFIX = "embedding:";

  private static final String ROW = "#row";
  private static final Map<String, List<float[]>> LOADED = new ConcurrentHashMap<>();

  private EmbeddingInquiries() {}

  /** Whether a Parquet part holds embedding inquiries: an embedding column and no filter status. */
  static boolean isTable(MessageType schema) {
    return schema.containsField("embedding") && !schema.containsField("status");
  }

  /** One inquiry per row of {@code parts}, in order. */
  static List<Inquiry> list(List<Path> parts) {
    List<Inquiry> out = new ArrayList<>();
    for (Path part : parts) {
      String file = HadoopFiles.qualified(part).toString();
      List<Group> rows = ParquetTableReader.readAll(part);
      for (int i = 0; i < rows.size(); i++) {
        Group g = rows.get(i);
        String id =
            g.getType().containsField("id") && g.getFieldRepetitionCount("id") > 0
                ? g.getValueToString(g.getType().getFieldIndex("id"), 0)
                : part.getName() + ROW + i;
        vector(g, file, i);
        out.add(new Inquiry(id, PREFIX + file + ROW + i));
      }
    }
    return out;
  }

  /** Whether {@code source} names an embedding rather than an image. */
  public static boolean isReference(String source) {
    return source != null && source.startsWith(PREFIX);
  }

  /** The L2-normalised embedding that {@code source} names. */
  public static float[] read(String source) {
    if (!isReference(source)) {
      throw new IllegalArgumentException(source + " does not name an embedding inquiry");
    }
    String ref = source.substring(PREFIX.length());
    int at = ref.lastIndexOf(ROW);
    String file = ref.substring(0, at);
    int row = Integer.parseInt(ref.substring(at + ROW.length()));
    List<float[]> vectors =
        LOADED.computeIfAbsent(
            file,
            f -> {
              List<float[]> all = new ArrayList<>();
              List<Group> rows = ParquetTableReader.readAll(new Path(f));
              for (int i = 0; i < rows.size(); i++) {
                all.add(vector(rows.get(i), f, i));
              }
              return all;
            });
    if (row >= vectors.size()) {
      throw new IllegalArgumentException(
          source + ": the table has " + vectors.size() + " rows; rerun plan");
    }
    return vectors.get(row).clone();
  }

  private static float[] vector(Group row, String file, int index) {
    int n = row.getFieldRepetitionCount("embedding");
    Group list = n > 0 ? row.getGroup("embedding", 0) : null;
    int values = list == null ? 0 : list.getFieldRepetitionCount(0);
    if (values == 0) {
      throw new IllegalArgumentException(file + " row " + index + ": empty 'embedding'");
    }
    float[] v = new float[values];
    double norm = 0;
    for (int k = 0; k < values; k++) {
      Group element = list.getGroup(0, k);
      v[k] = element.getFloat(0, 0);
      norm += (double) v[k] * v[k];
    }
    if (!(norm > 0) || !Double.isFinite(norm)) {
      throw new IllegalArgumentException(
          file + " row " + index + ": the embedding has norm " + Math.sqrt(norm));
    }
    double inv = 1 / Math.sqrt(norm);
    for (int k = 0; k < values; k++) {
      v[k] *= (float) inv;
    }
    return v;
  }
}
