package org.cemiface.similarity;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * A block of L2-normalised embeddings (row-major, {@code dimension} floats per row) with the global
 * id of each row, so pairs found inside blocks are reported by global id. Blocks travel between
 * Spark stages as small files.
 */
public record EmbeddingBlock(int block, long[] ids, int dimension, float[] data)
    implements Serializable {
  /** Validates the size. */
  public EmbeddingBlock {
    if ((long) ids.length * dimension != data.length) {
      throw new IllegalArgumentException(
          "block "
              + block
              + ": "
              + data.length
              + " floats for "
              + ids.length
              + " rows of "
              + dimension);
    }
  }

  /** Rows {@code [from, to)} of {@code embeddings}, with ids equal to their positions. */
  public static EmbeddingBlock of(int block, float[][] embeddings, int from, int to) {
    long[] ids = new long[to - from];
    float[][] rows = new float[to - from][];
    for (int i = from; i < to; i++) {
      ids[i - from] = i;
      rows[i - from] = embeddings[i];
    }
    return of(block, ids, rows);
  }

  /** The rows {@code rows} with ids {@code ids}. */
  public static EmbeddingBlock of(int block, long[] ids, float[][] rows) {
    int d = rows.length == 0 ? 0 : rows[0].length;
    float[] data = new float[rows.length * d];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != d) {
        throw new IllegalArgumentException(
            "row " + ids[i] + " has " + rows[i].length + " values, expected " + d);
      }
      System.arraycopy(rows[i], 0, data, i * d, d);
    }
    return new EmbeddingBlock(block, ids.clone(), d, data);
  }

  /** Number of rows. */
  public int rows() {
    return ids.length;
  }

  /** Serialised form: block, rows, dimension, ids, floats (big-endian). */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + ids.length * 8 + data.length * 4);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(block);
      out.writeInt(ids.length);
      out.writeInt(dimension);
      for (long id : ids) {
        out.writeLong(id);
      }
      for (float v : data) {
        out.writeFloat(v);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Reads {@link #toBytes()}; {@code source} names the file in errors. */
  public static EmbeddingBlock fromBytes(byte[] bytes, String source) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int block = in.readInt();
      int rows = in.readInt();
      int d = in.readInt();
      long[] ids = new long[rows];
      for (int i = 0; i < rows; i++) {
        ids[i] = in.readLong();
      }
      float[] data = new float[rows * d];
      for (int i = 0; i < data.length; i++) {
        data[i] = in.readFloat();
      }
      return new EmbeddingBlock(block, ids, d, data);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "corrupt embedding block " + source + ": " + e.getMessage(), e);
    }
  }
}
