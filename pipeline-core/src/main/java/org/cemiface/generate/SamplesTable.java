package org.cemiface.generate;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.cemiface.io.ParquetTableReader;
import org.cemiface.io.ParquetTableWriter;

/** The schema of {@code samples.parquet} and its part files (docs/data-formats.md). */
public final class SamplesTable {
  /** Columns in order. */
  public static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message samples {"
              + " required int64 subject; required int32 index; required binary kind (STRING); required float m;"
              + " required int64 seed; required binary inquiry_id (STRING); required binary inquiry_source (STRING); required int32 cohort;"
              + " required binary path (STRING); required int32 width; required int32 height; required float similarity; }");

  private SamplesTable() {}

  /** Writes one part file atomically. */
  public static void write(Path part, List<SampleRow> rows) {
    try (ParquetTableWriter w = new ParquetTableWriter(part, SCHEMA)) {
      for (SampleRow r : rows) {
        Group g = w.newRow();
        g.add("subject", r.subject());
        g.add("index", r.index());
        g.add("kind", r.kind());
        g.add("m", r.m());
        g.add("seed", r.seed());
        g.add("inquiry_id", r.inquiryId());
        g.add("inquiry_source", r.inquirySource());
        g.add("cohort", r.cohort());
        g.add("path", r.path());
        g.add("width", r.width());
        g.add("height", r.height());
        g.add("similarity", r.similarity());
        w.write(g);
      }
      w.commit();
    }
  }

  /** Reads one part file. */
  public static List<SampleRow> read(Path part) {
    List<SampleRow> out = new ArrayList<>();
    for (Group g : ParquetTableReader.readAll(part)) {
      out.add(
          new SampleRow(
              g.getLong("subject", 0),
              g.getInteger("index", 0),
              g.getString("kind", 0),
              g.getFloat("m", 0),
              g.getLong("seed", 0),
              g.getString("inquiry_id", 0),
              g.getString("inquiry_source", 0),
              g.getInteger("cohort", 0),
              g.getString("path", 0),
              g.getInteger("width", 0),
              g.getInteger("height", 0),
              g.getFloat("similarity", 0)));
    }
    return out;
  }
}
