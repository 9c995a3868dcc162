package org.cemiface.similarity;

import java.util.ArrayList;
import java.util.List;

/**
 * The deterministic greedy pass of inquiry filtering: candidates are visited in order (0 … n−1); one is dropped
 * when an earlier, kept candidate is more similar than the threshold (the pairs say which), and it then records
 * the most similar such kept candidate (ties: the earliest). Candidates excluded beforehand (bad images, gallery
 * matches) neither are kept nor suppress others. O(n + pairs).
 */
public final class GreedyFilter {
  private GreedyFilter() {}

  /** The outcome for one candidate: kept, or dropped because of {@code collidedWith} at {@code similarity}. */
  public record Decision(boolean kept, long collidedWith, float similarity) {}

  /** Decides every candidate; {@code excluded[i]} marks candidates that take no part. */
  public static Decision[] run(int n, List<SimilarPair> pairs, boolean[] excluded) {
    List<List<SimilarPair>> earlier = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      earlier.add(null);
    }
    for (SimilarPair p : pairs) {
      int later = (int) p.second();
      if (earlier.get(later) == null) {
        earlier.set(later, new ArrayList<>(2));
      }
      earlier.get(later).add(p);
    }
    boolean[] kept = new boolean[n];
    Decision[] out = new Decision[n];
    for (int i = 0; i < n; i++) {
      if (excluded[i]) {
        out[i] = new Decision(false, -1, Float.NaN);
        continue;
      }
      long best = -1;
      float bestSim = Float.NEGATIVE_INFINITY;
      List<SimilarPair> before = earlier.get(i);
      if (before != null) {
        for (SimilarPair p : before) {
          int j = (int) p.first();
          if (kept[j] && (p.similarity() > bestSim || (p.similarity() == bestSim && j < best))) {
            best = j;
            bestSim = p.similarity();
          }
        }
      }
      kept[i] = best < 0;
      out[i] = kept[i] ? new Decision(true, -1, Float.NaN) : new Decision(false, best, bestSim);
    }
    return out;
  }
}
