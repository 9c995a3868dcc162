package org.cemiface.encoder;

/** Small vector operations on embeddings. */
public final class Embeddings {
  private Embeddings() {}

  /** Splits a row-major [n, d] array into rows, each L2-normalised (a zero row stays zero). */
  public static float[][] normalizedRows(float[] flat, int n) {
    int d = flat.length / n;
    float[][] rows = new float[n][d];
    for (int i = 0; i < n; i++) {
      double sq = 0;
      for (int j = 0; j < d; j++) {
        sq += (double) flat[i * d + j] * flat[i * d + j];
      }
      double inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
      for (int j = 0; j < d; j++) {
        rows[i][j] = (float) (flat[i * d + j] * inv);
      }
    }
    return rows;
  }

  /** The L2 norm of each row of a row-major [n, d] array. */
  public static float[] rowNorms(float[] flat, int n) {
    int d = flat.length / n;
    float[] norms = new float[n];
    for (int i = 0; i < n; i++) {
      double sq = 0;
      for (int j = 0; j < d; j++) {
        sq += (double) flat[i * d + j] * flat[i * d + j];
      }
      norms[i] = (float) Math.sqrt(sq);
    }
    return norms;
  }

  /** Cosine similarity of two vectors. */
  public static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }
}
