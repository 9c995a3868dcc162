package org.cemiface.verification;

import java.util.Arrays;

/**
 * The verification protocol face-recognition papers report (insightface's {@code verification.py}):
 * for each pair the squared distance of the two L2-normalised embeddings; ten contiguous folds of
 * pairs (no shuffling); on nine folds the threshold from 0, 0.01, … 3.99 with the best accuracy
 * (the lowest on ties), where "same" means distance below it; that threshold's accuracy on the
 * tenth fold. Reported: the mean over folds and their standard deviation (population, as numpy's
 * default). Distances are computed in float64 (insightface's numpy works in the embeddings'
 * float32), which can only matter for a distance that falls exactly on a threshold.
 */
public final class BenchmarkProtocol {
  private static final int FOLDS = TenFolds.FOLDS;
  private static final int THRESHOLDS = 400;
  private static final double STEP = 0.01;

  private BenchmarkProtocol() {}

  /**
   * Accuracy per fold, their mean and standard deviation, and the threshold chosen for each fold.
   */
  public record Accuracy(double mean, double std, double[] perFold, double[] thresholds) {}

  /**
   * Squared distances of pairs (a[i], b[i]) of embeddings, each normalised to unit length first.
   */
  public static double[] squaredDistances(float[][] a, float[][] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          a.length + " first and " + b.length + " second embeddings");
    }
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      double[] x = unit(a[i]);
      double[] y = unit(b[i]);
      double s = 0;
      for (int k = 0; k < x.length; k++) {
        double diff = x[k] - y[k];
        s += diff * diff;
      }
      d[i] = s;
    }
    return d;
  }

  /**
   * Ten-fold accuracy of {@code distances} (see the class comment) against the {@code same} flags.
   */
  public static Accuracy tenFold(double[] distances, boolean[] same) {
    TenFolds.check(distances, same);
    int n = distances.length;
    double[] grid = new double[THRESHOLDS];
    for (int t = 0; t < THRESHOLDS; t++) {
      grid[t] = t * STEP;
    }
    double[] perFold = new double[FOLDS];
    double[] chosen = new double[FOLDS];
    int[] bounds = TenFolds.bounds(n);
    for (int f = 0; f < FOLDS; f++) {
      int start = bounds[f];
      int end = bounds[f + 1];
      int size = end - start;
      int best = 0;
      double bestAccuracy = -1;
      for (int t = 0; t < THRESHOLDS; t++) {
        double acc =
            (double)
                    (correct(distances, same, grid[t], 0, start)
                        + correct(distances, same, grid[t], end, n))
                / (n - size);
        if (acc > bestAccuracy) {
          bestAccuracy = acc;
          best = t;
        }
      }
      chosen[f] = grid[best];
      perFold[f] = (double) correct(distances, same, grid[best], start, end) / size;
    }
    double mean = Arrays.stream(perFold).average().orElseThrow();
    double var = Arrays.stream(perFold).map(a -> (a - mean) * (a - mean)).sum() / FOLDS;
    return new Accuracy(mean, Math.sqrt(var), perFold, chosen);
  }

  private static int correct(double[] d, boolean[] same, double threshold, int from, int to) {
    int correct = 0;
    for (int i = from; i < to; i++) {
      correct += (d[i] < threshold) == same[i] ? 1 : 0;
    }
    return correct;
  }

  private static double[] unit(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    norm = Math.sqrt(norm);
    double[] out = new double[v.length];
    for (int k = 0; k < v.length; k++) {
      out[k] = norm == 0 ? 0 : v[k] / norm;
    }
    return out;
  }
}
