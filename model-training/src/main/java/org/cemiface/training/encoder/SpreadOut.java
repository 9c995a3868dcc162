package org.cemiface.training.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.cemiface.encoder.Embeddings;
import org.cemiface.nn.Tensors;

/**
 * The global orthogonal regulariser of Zhang et al., "Learning Spread-out Local Feature
 * Descriptors" (ICCV 2017): over the pairs of different identities in a batch, with s the cosine of
 * their embeddings, {@code mean(s)² + max(0, mean(s²) − 1/d)}. It pulls unrelated people towards
 * the cosine statistics of random directions in d dimensions (mean 0, second moment 1/d), which a
 * margin softmax on few identities does not ask for.
 */
public final class SpreadOut {
  private SpreadOut() {}

  /**
   * The regulariser for embeddings {@code emb} [B,d] of people {@code labels}; NaN-free zero if no
   * pair differs.
   */
  public static NDArray loss(NDArray emb, int[] labels, NDManager scope) {
    int b = labels.length;
    long d = emb.getShape().get(1);
    float[] different = new float[b * b];
    int pairs = 0;
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < b; j++) {
        if (labels[i] != labels[j]) {
          different[i * b + j] = 1f;
          pairs++;
        }
      }
    }
    NDArray mask = Tensors.floats(scope, different, new Shape(b, b));
    NDArray unit = emb.div(emb.norm(new int[] {1}, true));
    NDArray cos = unit.matMul(unit.transpose()).mul(mask);
    double count = Math.max(1, pairs);
    NDArray first = Tensors.times(cos.sum(), 1 / count);
    NDArray second = Tensors.times(cos.square().sum(), 1 / count);
    return first.square().add(Tensors.plus(second, -1.0 / d).maximum(0f));
  }

  /** Cosine statistics over pairs of different people: what the regulariser aims at, measured. */
  public record Impostors(double mean, double std, double meanAbs, long pairs) {}

  /** The cosine statistics of every pair of different people among {@code embeddings}. */
  public static Impostors measure(float[][] embeddings, int[] labels) {
    double sum = 0;
    double sumSq = 0;
    double sumAbs = 0;
    long pairs = 0;
    for (int i = 0; i < labels.length; i++) {
      for (int j = i + 1; j < labels.length; j++) {
        if (labels[i] != labels[j]) {
          double s = Embeddings.cosine(embeddings[i], embeddings[j]);
          sum += s;
          sumSq += s * s;
          sumAbs += Math.abs(s);
          pairs++;
        }
      }
    }
    long n = Math.max(1, pairs);
    double mean = sum / n;
    return new Impostors(mean, Math.sqrt(Math.max(0, sumSq / n - mean * mean)), sumAbs / n, pairs);
  }
}
