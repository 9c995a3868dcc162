package org.cemiface.similarity;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The deterministic greedy pass of inquiry filtering: candidates are visited in order (input order,
 * or a given permutation such as descending quality); one is dropped when an earlier, kept
 * candidate is more similar than the threshold (the pairs say which), and it then records the most
 * similar such kept candidate (ties: the earliest). Candidates excluded beforehand (bad images,
 * gallery matches) neither are kept nor suppress others. O(n + pairs).
 */
public final class GreedyFilter {
  private GreedyFilter() {}

  /**
   * The outcome for one candidate: kept, or dropped because of {@code collidedWith} at {@code
   * similarity}.
   */
  public record Decision(boolean kept, long collidedWith, float similarity) {}

  /**
   * Decides every candidate in input order; {@code excluded[i]} marks candidates that take no part.
   */
  public static Decision[] run(int n, List<SimilarPair> pairs, boolean[] excluded) {
    return run(n, pairs, excluded, inputOrder(n));
  }

  /** The visiting order 0 … n−1. */
  public static int[] inputOrder(int n) {
    return IntStream.range(0, n).toArray();
  }

  /**
   * Decides every candidate, visiting them in {@code visit} order (a permutation of 0 … n−1, e.g.
   * by descending quality); "earlier" means earlier in that order. Ties between equally similar
   * kept candidates go to the one visited first.
   */
  public static Decision[] run(int n, List<SimilarPair> pairs, boolean[] excluded, int[] visit) {
    int[] rank = new int[n];
    for (int r = 0; r < n; r++) {
      rank[visit[r]] = r;
    }
    List<List<SimilarPair>> earlier = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      earlier.add(null);
    }
    for (SimilarPair p : pairs) {
      int later =
          rank[(int) p.first()] > rank[(int) p.second()] ? (int) p.first() : (int) p.second();
      if (earlier.get(later) == null) {
        earlier.set(later, new ArrayList<>(2));
      }
      earlier.get(later).add(p);
    }
    boolean[] kept = new boolean[n];
    Decision[] out = new Decision[n];
    for (int r = 0; r < n; r++) {
      int i = visit[r];
      if (excluded[i]) {
        out[i] = new Decision(false, -1, Float.NaN);
        continue;
      }
      long best = -1;
      float bestSim = Float.NEGATIVE_INFINITY;
      List<SimilarPair> before = earlier.get(i);
      if (before != null) {
        for (SimilarPair p : before) {
          int j = (int) (p.first() == i ? p.second() : p.first());
          if (kept[j]
              && (p.similarity() > bestSim
                  || (p.similarity() == bestSim && rank[j] < rank[(int) best]))) {
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
