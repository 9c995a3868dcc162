package org.cemiface.stats;

import java.util.Arrays;

/** The median of a few measurements, as benchmarks report their repeated runs. */
public final class Median {
  private Median() {}

  /** The middle value, or the mean of the two middle ones for an even count. */
  public static double of(double... values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("the median of no values");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
