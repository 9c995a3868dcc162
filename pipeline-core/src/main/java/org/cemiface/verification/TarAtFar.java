package org.cemiface.verification;

import java.util.Arrays;

/**
 * The true-accept rate at a fixed false-accept rate as insightface's {@code calculate_val} computes
 * it: ten contiguous folds; on nine, the training FAR at thresholds 0, 0.001, … 3.999 on squared
 * distances, and the threshold where it reaches the target found by linear interpolation (0 when no
 * threshold reaches it); on the tenth, the TAR and FAR at that threshold. insightface leaves the
 * interpolation to scipy's {@code interp1d} over FAR values that repeat; here it is made explicit:
 * between the last grid threshold whose FAR is at most the target and the next one.
 */
public final class TarAtFar {
  private static final int FOLDS = TenFolds.FOLDS;
  private static final int THRESHOLDS = 4000;
  private static final double STEP = 0.001;

  private TarAtFar() {}

  /** Mean and standard deviation over folds of the TAR, and the mean FAR actually reached. */
  public record Result(double tar, double tarStd, double far) {}

  /** TAR at {@code target} FAR (insightface reports 1e-3) for pairs at {@code distances}. */
  public static Result compute(double[] distances, boolean[] same, double target) {
    TenFolds.check(distances, same);
    double[] tar = new double[FOLDS];
    double[] far = new double[FOLDS];
    int[] bounds = TenFolds.bounds(distances.length);
    for (int f = 0; f < FOLDS; f++) {
      double threshold = threshold(distances, same, bounds[f], bounds[f + 1], target);
      double[] rates = rates(distances, same, threshold, bounds[f], bounds[f + 1]);
      tar[f] = rates[0];
      far[f] = rates[1];
    }
    double mean = Arrays.stream(tar).average().orElseThrow();
    double var = Arrays.stream(tar).map(v -> (v - mean) * (v - mean)).sum() / FOLDS;
    return new Result(mean, Math.sqrt(var), Arrays.stream(far).average().orElseThrow());
  }

  /** The threshold chosen on every pair outside [testFrom, testTo). */
  static double threshold(
      double[] distances, boolean[] same, int testFrom, int testTo, double target) {
    // The training impostors' distances, sorted: the FAR at a threshold is the share below it,
    // one binary search per threshold instead of a pass over every pair.
    double[] impostors = new double[distances.length];
    int count = 0;
    for (int i = 0; i < distances.length; i++) {
      if ((i < testFrom || i >= testTo) && !same[i]) {
        impostors[count++] = distances[i];
      }
    }
    Arrays.sort(impostors, 0, count);
    double[] farAt = new double[THRESHOLDS];
    for (int t = 0; t < THRESHOLDS; t++) {
      farAt[t] = count == 0 ? 0 : (double) below(impostors, count, t * STEP) / count;
    }
    if (farAt[THRESHOLDS - 1] < target) {
      return 0;
    }
    int below = -1;
    while (below + 1 < THRESHOLDS && farAt[below + 1] <= target) {
      below++;
    }
    if (below < 0) {
      return 0; // even the smallest threshold accepts too many impostors
    }
    if (below == THRESHOLDS - 1 || farAt[below] == target) {
      return below * STEP;
    }
    double share = (target - farAt[below]) / (farAt[below + 1] - farAt[below]);
    return (below + share) * STEP;
  }

  /** How many of the first {@code count} sorted values are strictly below {@code threshold}. */
  private static int below(double[] sorted, int count, double threshold) {
    int lo = 0;
    int hi = count;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < threshold) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** {TAR, FAR} at {@code threshold} ("same" when the distance is below it) over [from, to). */
  private static double[] rates(double[] d, boolean[] same, double threshold, int from, int to) {
    long accepted = 0;
    long genuine = 0;
    long falseAccepted = 0;
    long impostors = 0;
    for (int i = from; i < to; i++) {
      boolean accept = d[i] < threshold;
      if (same[i]) {
        genuine++;
        accepted += accept ? 1 : 0;
      } else {
        impostors++;
        falseAccepted += accept ? 1 : 0;
      }
    }
    return new double[] {
      genuine == 0 ? 0 : (double) accepted / genuine,
      impostors == 0 ? 0 : (double) falseAccepted / impostors
    };
  }
}
