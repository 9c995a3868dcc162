package org.cemiface.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;

/** Reads small Parquet tables (manifests, plans) row by row without Spark. */
public final class ParquetTableReader {
  private ParquetTableReader() {}

  /** Every row of one Parquet file, in file order. */
  public static List<Group> readAll(Path file) {
    List<Group> out = new ArrayList<>();
    try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), file)
        .withConf(HadoopPaths.configuration()).build()) {
      for (Group g = reader.read(); g != null; g = reader.read()) {
        out.add(g);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Parquet file " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** The schema stored in a Parquet file's footer. */
  public static MessageType schema(Path file) {
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, HadoopPaths.configuration()))) {
      return reader.getFooter().getFileMetaData().getSchema();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Parquet footer of " + file + ": " + e.getMessage(), e);
    }
  }
}
