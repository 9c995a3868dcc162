package org.cemiface.verification;

/**
 * The ten contiguous folds of insightface's verification code (scikit-learn's KFold without
 * shuffling): the first n % 10 folds take one pair more.
 */
final class TenFolds {
  /** Folds of the protocol. */
  static final int FOLDS = 10;

  private TenFolds() {}

  /** Fold boundaries: fold f is [bounds[f], bounds[f + 1]). */
  static int[] bounds(int pairs) {
    int[] b = new int[FOLDS + 1];
    for (int f = 0; f < FOLDS; f++) {
      b[f + 1] = b[f] + pairs / FOLDS + (f < pairs % FOLDS ? 1 : 0);
    }
    return b;
  }

  /** Checks that there is one flag per distance and at least one pair per fold. */
  static void check(double[] distances, boolean[] same) {
    if (same.length != distances.length || distances.length < FOLDS) {
      throw new IllegalArgumentException(
          "need at least "
              + FOLDS
              + " pairs with one flag each, got "
              + distances.length
              + " distances, "
              + same.length
              + " flags");
    }
  }
}
