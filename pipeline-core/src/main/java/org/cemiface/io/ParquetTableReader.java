package org.cemiface.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
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
    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), file)
            .withConf(HadoopPaths.configuration())
            .build()) {
      for (Group g = reader.read(); g != null; g = reader.read()) {
        out.add(g);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Parquet file " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw corrupt(file, e);
    } catch (LinkageError e) {
      // A codec whose class is there but whose library is not (a native or optional jar).
      throw unknownCodec(file, e);
    }
    return out;
  }

  /** The schema stored in a Parquet file's footer. */
  public static MessageType schema(Path file) {
    try (ParquetFileReader reader =
        ParquetFileReader.open(HadoopInputFile.fromPath(file, HadoopPaths.configuration()))) {
      return reader.getFooter().getFileMetaData().getSchema();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read Parquet footer of " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw corrupt(file, e);
    }
  }

  /**
   * parquet-mr reports a damaged file with bare runtime exceptions (no magic, a footer or page
   * header it cannot decode); callers get one documented type that names the file.
   */
  private static IllegalArgumentException corrupt(Path file, RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ClassNotFoundException || t instanceof LinkageError) {
        // parquet-mr loads a codec's class when the first page needs it (LZO, Brotli: not here).
        return unknownCodec(file, t);
      }
    }
    if (e instanceof IllegalArgumentException named
        && String.valueOf(e.getMessage()).contains(file.getName())) {
      return named;
    }
    return new IllegalArgumentException(
        file
            + " is not a readable Parquet file ("
            + e
            + "); rewrite it or remove it from the table",
        e);
  }

  private static IllegalArgumentException unknownCodec(Path file, Throwable cause) {
    return new IllegalArgumentException(
        file
            + " uses a compression codec this installation cannot decode ("
            + cause
            + "); rewrite it with snappy (what this project writes), gzip, zstd or lz4",
        cause);
  }

  /**
   * The part files of a Parquet table, sorted by name: the file itself when {@code table} is one,
   * else the directory's own {@code *.parquet} children (Spark's and this project's writers put
   * parts there, never deeper); empty when {@code table} does not exist.
   */
  public static List<Path> parts(Path table) {
    var fs = HadoopPaths.fileSystem(table);
    try {
      if (!fs.exists(table)) {
        return List.of();
      }
      if (!fs.getFileStatus(table).isDirectory()) {
        return List.of(fs.makeQualified(table));
      }
      List<Path> out = new ArrayList<>();
      for (var status : fs.listStatus(table)) {
        String name = status.getPath().getName();
        if (status.isFile()
            && name.endsWith(".parquet")
            && !name.startsWith(".")
            && !name.startsWith("_")) {
          out.add(status.getPath());
        }
      }
      out.sort(Comparator.comparing(Path::getName));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot list the Parquet table " + table + ": " + e.getMessage(), e);
    }
  }
}
