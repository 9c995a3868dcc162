package org.cemiface.similarity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Blockwise pairs + greedy pass against a brute-force reference with planted near-duplicates. */
class GreedyFilterTest {
  static float[][] embeddings(int n, int d, int planted, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] e = new float[n][d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        e[i][k] = (float) r.nextGaussian();
      }
    }
    // Planted near-duplicates: row i + 1 .. i + 3 are noisy copies of row i for the first planted
    // rows in steps.
    for (int p = 0; p < planted; p++) {
      int base = p * 7;
      for (int c = 1; c <= 3; c++) {
        double noise = 0.3 * c;
        for (int k = 0; k < d; k++) {
          e[base + c][k] = (float) (e[base][k] + noise * r.nextGaussian());
        }
      }
    }
    for (float[] row : e) {
      double norm = 0;
      for (float v : row) {
        norm += v * v;
      }
      for (int k = 0; k < d; k++) {
        row[k] /= (float) Math.sqrt(norm);
      }
    }
    return e;
  }

  static GreedyFilter.Decision[] bruteForce(float[][] e, float threshold, boolean[] excluded) {
    int[] visit = new int[e.length];
    for (int i = 0; i < visit.length; i++) {
      visit[i] = i;
    }
    return bruteForce(e, threshold, excluded, visit);
  }

  static GreedyFilter.Decision[] bruteForce(
      float[][] e, float threshold, boolean[] excluded, int[] visit) {
    GreedyFilter.Decision[] out = new GreedyFilter.Decision[e.length];
    List<Integer> kept = new ArrayList<>();
    for (int i : visit) {
      if (excluded[i]) {
        out[i] = new GreedyFilter.Decision(false, -1, Float.NaN);
        continue;
      }
      int best = -1;
      float bestSim = Float.NEGATIVE_INFINITY;
      for (int j : kept) {
        float s = 0;
        for (int k = 0; k < e[i].length; k++) {
          s += e[i][k] * e[j][k];
        }
        if (s > threshold && s > bestSim) {
          best = j;
          bestSim = s;
        }
      }
      if (best < 0) {
        kept.add(i);
        out[i] = new GreedyFilter.Decision(true, -1, Float.NaN);
      } else {
        out[i] = new GreedyFilter.Decision(false, best, bestSim);
      }
    }
    return out;
  }

  @Test
  void blockwiseGreedyEqualsBruteForceOn2000Embeddings() {
    int n = 2000;
    float[][] e = embeddings(n, 64, 100, 11);
    boolean[] excluded = new boolean[n];
    excluded[7] = true; // an excluded planted base: its copies must not be suppressed by it
    float threshold = 0.3f;
    int blockSize = 300;
    List<EmbeddingBlock> blocks = new ArrayList<>();
    for (int from = 0, b = 0; from < n; from += blockSize, b++) {
      blocks.add(EmbeddingBlock.of(b, e, from, Math.min(n, from + blockSize)));
    }
    List<SimilarPair> pairs = new ArrayList<>();
    try (NDManager m = NDManager.newBaseManager()) {
      for (int i = 0; i < blocks.size(); i++) {
        for (int j = i; j < blocks.size(); j++) {
          pairs.addAll(BlockSimilarity.pairsAbove(blocks.get(i), blocks.get(j), threshold, m));
        }
      }
    }
    GreedyFilter.Decision[] actual = GreedyFilter.run(n, pairs, excluded);
    GreedyFilter.Decision[] expected = bruteForce(e, threshold, excluded);
    int dropped = 0;
    for (int i = 0; i < n; i++) {
      assertEquals(expected[i].kept(), actual[i].kept(), "candidate " + i);
      assertEquals(expected[i].collidedWith(), actual[i].collidedWith(), "collision of " + i);
      if (!expected[i].kept() && !excluded[i]) {
        assertEquals(expected[i].similarity(), actual[i].similarity(), 1e-4f, "similarity of " + i);
        dropped++;
      }
    }
    assertTrue(dropped >= 150, "planted near-duplicates are dropped: " + dropped);
  }

  @Test
  void aQualityOrderIsFollowedExactly() {
    int n = 600;
    float[][] e = embeddings(n, 32, 40, 5);
    int[] visit = new int[n];
    for (int i = 0; i < n; i++) {
      visit[i] = n - 1 - i; // e.g. descending quality = reverse input order
    }
    List<SimilarPair> pairs = new ArrayList<>();
    try (NDManager m = NDManager.newBaseManager()) {
      EmbeddingBlock all = EmbeddingBlock.of(0, e, 0, n);
      pairs.addAll(BlockSimilarity.pairsAbove(all, all, 0.3f, m));
    }
    boolean[] none = new boolean[n];
    GreedyFilter.Decision[] actual = GreedyFilter.run(n, pairs, none, visit);
    GreedyFilter.Decision[] expected = bruteForce(e, 0.3f, none, visit);
    for (int i = 0; i < n; i++) {
      assertEquals(expected[i].kept(), actual[i].kept(), "candidate " + i);
      assertEquals(expected[i].collidedWith(), actual[i].collidedWith(), "collision of " + i);
    }
    // In reverse order the last copy of a planted group is kept and the base row (visited last) is
    // dropped.
    assertTrue(
        !actual[0].kept() && actual[0].collidedWith() > 0, "row 0 visited last: " + actual[0]);
  }

  @Test
  void bestPerRowSkipsItselfWhenAsked() {
    float[][] e = embeddings(50, 16, 1, 3);
    EmbeddingBlock all = EmbeddingBlock.of(0, e, 0, 50);
    try (NDManager m = NDManager.newBaseManager()) {
      BlockSimilarity.Best[] best = BlockSimilarity.bestPerRow(all, all, true, m);
      assertEquals(
          1,
          best[0].index() == 1 || best[0].index() == 2 || best[0].index() == 3 ? 1 : 0,
          "row 0's nearest other row is one of its planted copies, got " + best[0].index());
      for (int i = 0; i < 50; i++) {
        assertTrue(best[i].index() != i);
      }
    }
  }
}
