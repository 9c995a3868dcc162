package org.cemiface.similarity;

import java.io.Serializable;

/**
 * A block of L2-normalised embeddings (row-major, {@code dimension} floats per row) with the global position of its
 * first row, so pairs found inside blocks can be reported by global index.
 */
public record EmbeddingBlock(int block, long firstRow, int rows, int dimension, float[] data) implements Serializable {
  /** Validates the size. */
  public EmbeddingBlock {
    if ((long) rows * dimension != data.length) {
      throw new IllegalArgumentException("block " + block + ": " + data.length + " floats for " + rows + " rows of "
          + dimension);
    }
  }

  /** Rows from {@code embeddings[from, to)}. */
  public static EmbeddingBlock of(int block, float[][] embeddings, int from, int to) {
    int d = embeddings.length == 0 ? 0 : embeddings[from].length;
    float[] data = new float[(to - from) * d];
    for (int i = from; i < to; i++) {
      System.arraycopy(embeddings[i], 0, data, (i - from) * d, d);
    }
    return new EmbeddingBlock(block, from, to - from, d, data);
  }
}
