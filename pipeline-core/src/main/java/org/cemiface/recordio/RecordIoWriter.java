package org.cemiface.recordio;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.HadoopPaths;

/**
 * Writes an insightface-style indexed RecordIO dataset: {@code train.rec}, {@code train.idx} and
 * {@code property}. Record 0 is the header (flag 2, labels = [first identity record, end]); records
 * 1..N are images with the class label in the header; then one record per identity with labels =
 * [first image, end). Images must be added grouped by label. Files are written to temporary names
 * and renamed on {@link #commit()}.
 */
public final class RecordIoWriter implements AutoCloseable {
  private final Path dir;
  private final FileSystem fs;
  private final Path recTmp;
  private final OutputStream rec;
  private final StringBuilder idx = new StringBuilder();
  private final List<long[]> identityRanges = new ArrayList<>();
  private final byte[] headerPlaceholder;
  private long offset;
  private long images;
  private int lastLabel = -1;
  private int width;
  private int height;
  private boolean committed;

  /** Starts a dataset in {@code dir}; images are appended with {@link #add}. */
  public RecordIoWriter(Path dir) {
    this.dir = dir;
    this.fs = HadoopPaths.fileSystem(dir);
    this.recTmp = HadoopFiles.temporarySibling(new Path(dir, "train.rec"));
    try {
      fs.mkdirs(dir);
      rec = fs.create(recTmp, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + recTmp + ": " + e.getMessage(), e);
    }
    // The header record's size does not depend on its values, so a placeholder fixes the offsets;
    // the real header
    // is written at the start of the file on commit (by rewriting the first record through a second
    // pass).
    headerPlaceholder = RecordIo.frame(RecordIo.payload(2, 0, 0, 0, new float[2], new byte[0]));
    write(headerPlaceholder, 0);
  }

  /**
   * Appends one encoded image of class {@code label} (labels must arrive grouped and ascending).
   */
  public void add(int label, byte[] encodedImage, int imageWidth, int imageHeight) {
    if (label < lastLabel) {
      throw new IllegalArgumentException(
          "labels must be added in ascending groups; got " + label + " after " + lastLabel);
    }
    if (label != lastLabel) {
      identityRanges.add(new long[] {label, images + 1, images + 1});
      lastLabel = label;
    }
    images++;
    identityRanges.get(identityRanges.size() - 1)[2] = images + 1;
    width = imageWidth;
    height = imageHeight;
    write(
        RecordIo.frame(RecordIo.payload(0, label, images, 0, new float[0], encodedImage)), images);
  }

  private void write(byte[] framed, long key) {
    try {
      rec.write(framed);
      idx.append(key).append('\t').append(offset).append('\n');
      offset += framed.length;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + recTmp + ": " + e.getMessage(), e);
    }
  }

  /** Images written so far. */
  public long images() {
    return images;
  }

  /**
   * Writes the identity records, the header, the index and the property file, then renames into
   * place.
   */
  public void commit() {
    long firstIdentity = images + 1;
    for (int i = 0; i < identityRanges.size(); i++) {
      long[] range = identityRanges.get(i);
      long key = firstIdentity + i;
      write(
          RecordIo.frame(
              RecordIo.payload(2, 0, key, 0, new float[] {range[1], range[2]}, new byte[0])),
          key);
    }
    try {
      rec.close();
      byte[] header =
          RecordIo.frame(
              RecordIo.payload(
                  2,
                  0,
                  0,
                  0,
                  new float[] {firstIdentity, firstIdentity + identityRanges.size()},
                  new byte[0]));
      HeaderPatch.rewrite(fs, recTmp, header, headerPlaceholder.length);
      HadoopFiles.commit(fs, recTmp, new Path(dir, "train.rec"));
      HadoopFiles.writeAtomically(
          new Path(dir, "train.idx"), idx.toString().getBytes(StandardCharsets.UTF_8));
      HadoopFiles.writeAtomically(
          new Path(dir, "property"),
          (identityRanges.size() + "," + height + "," + width).getBytes(StandardCharsets.UTF_8));
      committed = true;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot commit RecordIO dataset in " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (!committed) {
      try {
        rec.close();
      } catch (IOException ignored) {
        // Discarded below.
      }
      HadoopFiles.deleteRecursively(recTmp);
    }
  }
}
