package org.cemiface.analysis;

import java.util.Map;
import java.util.TreeMap;

/**
 * Identity centres: the L2-normalised mean of each identity's L2-normalised embeddings, and an
 * image's cosine similarity to its centre.
 */
public final class ClassCenters {
  private ClassCenters() {}

  /**
   * Adds {@code embedding}, normalised, into {@code sum} (allocated when null); returns the sum.
   */
  public static float[] accumulate(float[] sum, float[] embedding) {
    float[] out = sum == null ? new float[embedding.length] : sum;
    double norm = norm(embedding);
    for (int i = 0; i < embedding.length; i++) {
      out[i] += (float) (embedding[i] / norm);
    }
    return out;
  }

  /** Every sum normalised to unit length. */
  public static Map<Integer, float[]> normalize(Map<Integer, float[]> sums) {
    Map<Integer, float[]> out = new TreeMap<>();
    sums.forEach(
        (label, s) -> {
          double norm = norm(s);
          float[] c = new float[s.length];
          for (int i = 0; i < s.length; i++) {
            c[i] = (float) (s[i] / norm);
          }
          out.put(label, c);
        });
    return out;
  }

  /** cos(embedding, center) for a unit-length {@code center}. */
  public static double similarity(float[] embedding, float[] center) {
    if (embedding.length != center.length) {
      throw new IllegalArgumentException(
          "embedding of " + embedding.length + " values against a centre of " + center.length);
    }
    double dot = 0;
    for (int i = 0; i < embedding.length; i++) {
      dot += (double) embedding[i] * center[i];
    }
    return dot / norm(embedding);
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }
}
