package org.cemiface.training.parallel;

/**
 * How a batch is split over devices: contiguous shards, the first {@code n % shards} one sample
 * larger, so sample i of the batch lands on the same device whatever the batch holds.
 */
public final class Shards {
  private Shards() {}

  /** The size of each of {@code shards} shards of {@code n} samples (some may be 0). */
  public static int[] sizes(int n, int shards) {
    if (shards < 1 || n < 0) {
      throw new IllegalArgumentException(n + " samples cannot be split into " + shards + " shards");
    }
    int[] out = new int[shards];
    for (int k = 0; k < shards; k++) {
      out[k] = n / shards + (k < n % shards ? 1 : 0);
    }
    return out;
  }
}
