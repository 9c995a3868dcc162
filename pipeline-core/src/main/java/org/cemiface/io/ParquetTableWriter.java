package org.cemiface.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;

/**
 * Writes one Parquet file atomically: rows go to a hidden temporary sibling, and only {@link
 * #commit()} moves it to the final name. Closing without commit discards the file, so a failed run
 * leaves nothing that looks complete.
 */
public final class ParquetTableWriter implements AutoCloseable {
  private final Path target;
  private final Path tmp;
  private final FileSystem fs;
  private final SimpleGroupFactory rows;
  private final ParquetWriter<Group> writer;
  private boolean closed;
  private long count;

  /** Opens a writer for {@code target} with {@code schema}. */
  public ParquetTableWriter(Path target, MessageType schema) {
    this.target = target;
    this.tmp = HadoopFiles.temporarySibling(target);
    this.fs = HadoopPaths.fileSystem(target);
    this.rows = new SimpleGroupFactory(schema);
    try {
      this.writer =
          ExampleParquetWriter.builder(HadoopOutputFile.fromPath(tmp, HadoopPaths.configuration()))
              .withType(schema)
              .withConf(HadoopPaths.configuration())
              .withCompressionCodec(CompressionCodecName.SNAPPY)
              .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
              .build();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open Parquet writer for " + target + ": " + e.getMessage(), e);
    }
  }

  /** A new empty row of this table's schema, to fill and pass to {@link #write}. */
  public Group newRow() {
    return rows.newGroup();
  }

  /** Appends one row. */
  public void write(Group row) {
    try {
      writer.write(row);
      count++;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a row to " + target + ": " + e.getMessage(), e);
    }
  }

  /** Rows written so far. */
  public long count() {
    return count;
  }

  /** Finishes the file and renames it to its final name. */
  public void commit() {
    try {
      writer.close();
      closed = true;
      HadoopFiles.commit(fs, tmp, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot commit " + target + ": " + e.getMessage(), e);
    }
  }

  /** Discards the temporary file unless {@link #commit()} ran. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writer.close();
    } catch (IOException | RuntimeException ignored) {
      // Discarding anyway: the temporary file is deleted below.
    }
    try {
      fs.delete(tmp, false);
    } catch (IOException ignored) {
      // Hidden leftovers are harmless.
    }
  }
}
