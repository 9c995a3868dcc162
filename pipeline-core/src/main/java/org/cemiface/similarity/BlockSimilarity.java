package org.cemiface.similarity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.cemiface.nn.Tensors;

/**
 * Cosine similarities between two blocks of normalised embeddings as one matrix product on the
 * engine (the device of {@code manager}); only what passes a threshold, or the best match per row,
 * comes back to Java.
 */
public final class BlockSimilarity {
  private BlockSimilarity() {}

  /**
   * Pairs (i from a, j from b) with similarity above {@code threshold}, reported by id. When a and
   * b are the same block only i &lt; j is reported; across blocks every id of a must precede every
   * id of b.
   */
  public static List<SimilarPair> pairsAbove(
      EmbeddingBlock a, EmbeddingBlock b, float threshold, NDManager manager) {
    boolean same = a.block() == b.block();
    List<SimilarPair> out = new ArrayList<>();
    if (a.rows() == 0 || b.rows() == 0) {
      return out;
    }
    try (NDManager scope = manager.newSubManager()) {
      NDArray sims = product(a, b, scope);
      NDArray mask = sims.gt(threshold);
      if (mask.sum().getLong() == 0) {
        return out;
      }
      long[] where = mask.nonzero().toLongArray();
      float[] values = sims.toFloatArray();
      for (int k = 0; k < where.length; k += 2) {
        int i = (int) where[k];
        int j = (int) where[k + 1];
        if (same && j <= i) {
          continue;
        }
        out.add(new SimilarPair(a.ids()[i], b.ids()[j], values[i * b.rows() + j]));
      }
    }
    return out;
  }

  /**
   * The best match of a row: the id of the row of b and the similarity, or id -1 when b has no
   * candidate.
   */
  public record Best(long index, float similarity) implements Serializable {}

  /**
   * For every row of a, its most similar row of b. With {@code excludeSameIndex}, a row never
   * matches the row of b with its own id (nearest other subject).
   */
  public static Best[] bestPerRow(
      EmbeddingBlock a, EmbeddingBlock b, boolean excludeSameIndex, NDManager manager) {
    Best[] out = new Best[a.rows()];
    try (NDManager scope = manager.newSubManager()) {
      float[] sims = product(a, b, scope).toFloatArray();
      for (int i = 0; i < a.rows(); i++) {
        long best = -1;
        float value = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < b.rows(); j++) {
          if (excludeSameIndex && a.ids()[i] == b.ids()[j]) {
            continue;
          }
          float s = sims[i * b.rows() + j];
          if (s > value) {
            value = s;
            best = b.ids()[j];
          }
        }
        out[i] = new Best(best, value);
      }
    }
    return out;
  }

  private static NDArray product(EmbeddingBlock a, EmbeddingBlock b, NDManager scope) {
    if (a.dimension() != b.dimension()) {
      throw new IllegalArgumentException(
          "embedding widths differ: " + a.dimension() + " and " + b.dimension());
    }
    NDArray ea =
        Tensors.floats(scope, a.data(), new Shape(a.rows(), a.dimension()))
            .toDevice(scope.getDevice(), false);
    NDArray eb =
        Tensors.floats(scope, b.data(), new Shape(b.rows(), b.dimension()))
            .toDevice(scope.getDevice(), false);
    return ea.matMul(eb.transpose());
  }
}
