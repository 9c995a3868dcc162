package org.cemiface.recordio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.HadoopPaths;

/**
 * Reads an indexed RecordIO dataset ({@code train.rec} + {@code train.idx}) as insightface does:
 * when record 0 is a header (flag &gt; 0), the images are records 1 … label[0]−1; otherwise every
 * indexed record is an image.
 */
public final class RecordIoSource implements AutoCloseable {
  private final Path rec;
  private final FSDataInputStream in;
  private final long size;
  private final Map<Long, Long> offsets;
  private final List<Long> imageKeys;
  private final long firstIdentity;
  private final long endIdentity;

  /** Opens {@code dir/train.rec} and {@code dir/train.idx}. */
  public RecordIoSource(Path dir) {
    this.rec = new Path(dir, "train.rec");
    Path idx = new Path(dir, "train.idx");
    this.offsets = readIndex(idx);
    FileSystem fs = HadoopPaths.fileSystem(rec);
    try {
      this.size = fs.getFileStatus(rec).getLen();
      this.in = fs.open(rec);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + rec + ": " + e.getMessage(), e);
    }
    List<Long> keys = new ArrayList<>();
    RecordIo.Payload first = offsets.containsKey(0L) ? read(0) : null;
    if (first != null && first.flag() > 0) {
      // The header's counts are checked against the index before anything is sized by them.
      long end = indexedCount((long) first.labels()[0] - 1, "images", idx);
      for (long k = 1; k <= end; k++) {
        keys.add(k);
      }
    } else {
      keys.addAll(offsets.keySet());
    }
    this.imageKeys = keys;
    boolean identities = first != null && first.flag() > 0 && first.labels().length >= 2;
    this.firstIdentity = identities ? (long) first.labels()[0] : 0;
    this.endIdentity =
        identities
            ? firstIdentity
                + indexedCount((long) first.labels()[1] - firstIdentity, "identities", idx)
            : 0;
  }

  /** {@code claimed} when the index can hold that many records, else a clear refusal. */
  private long indexedCount(long claimed, String what, Path idx) {
    if (claimed > offsets.size()) {
      throw new IllegalArgumentException(
          rec
              + ": its header record claims "
              + claimed
              + " "
              + what
              + " but "
              + idx
              + " indexes "
              + offsets.size()
              + " records; the .idx is truncated or belongs to another .rec");
    }
    return Math.max(0, claimed);
  }

  private static Map<Long, Long> readIndex(Path idx) {
    Map<Long, Long> out = new LinkedHashMap<>();
    String text = new String(HadoopFiles.readAllBytes(idx), StandardCharsets.UTF_8);
    int line = 0;
    for (String row : text.split("\n")) {
      line++;
      if (row.isBlank()) {
        continue;
      }
      String[] parts = row.trim().split("\\s+");
      if (parts.length != 2) {
        throw new IllegalArgumentException(
            idx + ":" + line + ": expected 'key<TAB>offset', got '" + row + "'");
      }
      try {
        out.put(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            idx + ":" + line + ": key and offset must be integers, got '" + row + "'", e);
      }
    }
    return out;
  }

  /** Keys of the image records, in order. */
  public List<Long> imageKeys() {
    return List.copyOf(imageKeys);
  }

  /**
   * The image keys [start, end) of each identity, in label order, from the identity records that
   * insightface's header points to (records label[0] … label[1]−1); empty when the file has none.
   */
  public List<long[]> identityRanges() {
    List<long[]> out = new ArrayList<>();
    for (long k = firstIdentity; k < endIdentity; k++) {
      float[] range = read(k).labels();
      if (range.length < 2) {
        throw new IllegalArgumentException(
            rec
                + " record "
                + k
                + ": an identity record needs two labels (first and end image key), has "
                + range.length);
      }
      out.add(new long[] {(long) range[0], (long) range[1]});
    }
    return out;
  }

  /** Reads and parses the record with {@code key}. */
  public synchronized RecordIo.Payload read(long key) {
    Long offset = offsets.get(key);
    String where = rec + " record " + key;
    if (offset == null) {
      throw new IllegalArgumentException(where + " is not in the index");
    }
    if (offset < 0 || offset > size - 8) {
      throw new IllegalArgumentException(
          where + ": index offset " + offset + " is outside the file (" + size + " bytes)");
    }
    try {
      byte[] head = new byte[8];
      in.readFully(offset, head);
      ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
      if (b.getInt() != RecordIo.MAGIC) {
        throw new IllegalArgumentException(
            where + ": bad magic at offset " + offset + " (index and file disagree)");
      }
      int word = b.getInt();
      if ((word >>> 29) != 0) {
        throw new IllegalArgumentException(where + ": multi-part records are not supported");
      }
      int length = word & ((1 << 29) - 1);
      if (length > size - offset - 8) {
        throw new IllegalArgumentException(
            where
                + ": record length "
                + length
                + " at offset "
                + offset
                + " runs past the end of the file ("
                + size
                + " bytes)");
      }
      byte[] payload = new byte[length];
      in.readFully(offset + 8, payload);
      return RecordIo.parse(payload, where);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + where + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException ignored) {
      // Read-only stream.
    }
  }
}
