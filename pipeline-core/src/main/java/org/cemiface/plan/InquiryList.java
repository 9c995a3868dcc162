package org.cemiface.plan;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.MessageType;
import org.cemiface.data.ImageEntry;
import org.cemiface.data.ImageFolderSource;
import org.cemiface.filter.CandidateStatus;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.ParquetTableReader;

/**
 * Reads the kept inquiries, in order, from the filter's {@code inquiries.parquet} (rows with status
 * {@code kept}; columns id and source), from a table of inquiry embeddings without images ({@link
 * EmbeddingInquiries}) or, without filtering, from an ImageFolder (the first image of each class
 * folder).
 */
public final class InquiryList {
  private InquiryList() {}

  /**
   * The kept inquiries at {@code location}: a Parquet table when the name ends in .parquet (a file,
   * or a directory of part files as Spark writes it), else an ImageFolder.
   */
  public static List<Inquiry> read(String location) {
    Path path = HadoopFiles.qualified(new Path(location));
    if (!HadoopFiles.exists(path)) {
      throw new IllegalArgumentException(
          "inquiries not found: "
              + location
              + " (plan.inquiries): run bin/cemiface"
              + " filter first, or point plan.inquiries at an inquiries.parquet or an ImageFolder");
    }
    return path.getName().endsWith(".parquet")
        ? fromParquet(parquetParts(path))
        : fromImageFolder(location);
  }

  private static List<Path> parquetParts(Path path) {
    List<Path> parts = ParquetTableReader.parts(path);
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("no .parquet part files in " + path);
    }
    return parts;
  }

  private static List<Inquiry> fromParquet(List<Path> parts) {
    if (EmbeddingInquiries.isTable(ParquetTableReader.schema(parts.get(0)))) {
      return EmbeddingInquiries.list(parts);
    }
    List<Inquiry> out = new ArrayList<>();
    for (Path part : parts) {
      MessageType schema = ParquetTableReader.schema(part);
      for (String column : List.of("id", "source", "status")) {
        if (!schema.containsField(column)) {
          throw new IllegalArgumentException(
              part
                  + " has no column '"
                  + column
                  + "': expected the filter's"
                  + " inquiries table (id, source, status, ...)");
        }
      }
      List<Group> rows = ParquetTableReader.readAll(part);
      for (int i = 0; i < rows.size(); i++) {
        Group g = rows.get(i);
        if (g.getFieldRepetitionCount("status") > 0
            && CandidateStatus.KEPT.label().equals(g.getString("status", 0))) {
          if (g.getFieldRepetitionCount("source") == 0) {
            throw new IllegalArgumentException(
                part + " row " + i + ": a kept inquiry without a source image");
          }
          out.add(new Inquiry(g.getString("id", 0), g.getString("source", 0)));
        }
      }
    }
    return out;
  }

  private static List<Inquiry> fromImageFolder(String root) {
    List<Inquiry> out = new ArrayList<>();
    int last = -1;
    for (ImageEntry e : ImageFolderSource.list(root)) {
      if (e.label() != last) {
        String cls = e.relativePath().substring(0, e.relativePath().indexOf('/'));
        out.add(new Inquiry(cls, e.path()));
        last = e.label();
      }
    }
    return out;
  }
}
