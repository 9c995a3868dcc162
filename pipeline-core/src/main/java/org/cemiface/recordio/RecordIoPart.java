package org.cemiface.recordio;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The image records of one block of a dataset written in parallel: framed records whose keys and
 * ids are already the final ones, and an index of {@code key\toffset\tlabel} lines with offsets
 * relative to the part. {@link RecordIoMerge} concatenates the parts behind the header record and
 * appends the identity records.
 */
public final class RecordIoPart {
  private final ByteArrayOutputStream records = new ByteArrayOutputStream();
  private final StringBuilder index = new StringBuilder();
  private final List<Long> keys = new ArrayList<>();
  private long nextKey;

  /**
   * A part whose first record gets key {@code firstKey} (1 for the first part: record 0 is the
   * header).
   */
  public RecordIoPart(long firstKey) {
    if (firstKey < 1) {
      throw new IllegalArgumentException(
          "image record keys start at 1 (record 0 is the header), got " + firstKey);
    }
    this.nextKey = firstKey;
  }

  /** Appends one encoded image of class {@code label}. */
  public void add(int label, byte[] encodedImage) {
    long key = nextKey++;
    index.append(key).append('\t').append(records.size()).append('\t').append(label).append('\n');
    records.writeBytes(
        RecordIo.frame(RecordIo.payload(0, label, key, 0, new float[0], encodedImage)));
    keys.add(key);
  }

  /** The framed records. */
  public byte[] recordBytes() {
    return records.toByteArray();
  }

  /** The part index. */
  public byte[] indexBytes() {
    return index.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Records added. */
  public int size() {
    return keys.size();
  }
}
