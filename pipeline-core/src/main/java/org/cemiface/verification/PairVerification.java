package org.cemiface.verification;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * 1:1 verification accuracy as face-recognition benchmarks report it: genuine and impostor pairs,
 * the similarity threshold chosen on nine folds and applied to the tenth, accuracy averaged over
 * the ten folds.
 */
public final class PairVerification {
  private PairVerification() {}

  /** A pair of indices and whether they show the same identity. */
  public record Pair(int a, int b, boolean same) {}

  /** Result: mean accuracy over folds, its standard deviation, and the mean chosen threshold. */
  public record Result(double accuracy, double std, double threshold, int pairs) {}

  /**
   * Up to {@code perIdentity} genuine pairs per identity and as many impostor pairs, drawn
   * deterministically from {@code seed}.
   */
  public static List<Pair> pairs(int[] labels, int perIdentity, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Map<Integer, List<Integer>> byLabel = new TreeMap<>();
    for (int i = 0; i < labels.length; i++) {
      byLabel.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
    }
    List<Pair> out = new ArrayList<>();
    for (List<Integer> idx : byLabel.values()) {
      for (int k = 0; k < perIdentity && idx.size() > 1; k++) {
        int a = idx.get(r.nextInt(idx.size()));
        int b = idx.get(r.nextInt(idx.size()));
        if (a != b) {
          out.add(new Pair(a, b, true));
        }
      }
    }
    int genuine = out.size();
    if (genuine > 0 && byLabel.size() < 2) {
      throw new IllegalArgumentException(
          "impostor pairs need at least two identities; all "
              + labels.length
              + " images have label "
              + labels[0]);
    }
    while (out.size() < 2 * genuine) {
      int a = r.nextInt(labels.length);
      int b = r.nextInt(labels.length);
      if (labels[a] != labels[b]) {
        out.add(new Pair(a, b, false));
      }
    }
    return out;
  }

  /** Ten-fold accuracy of thresholding cosine similarity of L2-normalised embeddings. */
  public static Result tenFold(float[][] embeddings, List<Pair> pairs) {
    int n = pairs.size();
    double[] sims = new double[n];
    boolean[] same = new boolean[n];
    for (int i = 0; i < n; i++) {
      Pair p = pairs.get(i);
      double dot = 0;
      for (int k = 0; k < embeddings[p.a()].length; k++) {
        dot += (double) embeddings[p.a()][k] * embeddings[p.b()][k];
      }
      sims[i] = dot;
      same[i] = p.same();
    }
    int folds = Math.min(10, n);
    double[] acc = new double[folds];
    double thresholdSum = 0;
    for (int f = 0; f < folds; f++) {
      List<Integer> train = new ArrayList<>();
      List<Integer> test = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        (i % folds == f ? test : train).add(i);
      }
      double best = bestThreshold(sims, same, train);
      thresholdSum += best;
      acc[f] = accuracy(sims, same, test, best);
    }
    double mean = Arrays.stream(acc).average().orElse(0);
    double var =
        Arrays.stream(acc).map(a -> (a - mean) * (a - mean)).sum() / Math.max(1, folds - 1);
    return new Result(mean, Math.sqrt(var), thresholdSum / folds, n);
  }

  private static double bestThreshold(double[] sims, boolean[] same, List<Integer> idx) {
    double best = 0;
    double bestAcc = -1;
    for (int i : idx) {
      double acc = accuracy(sims, same, idx, sims[i]);
      if (acc > bestAcc) {
        bestAcc = acc;
        best = sims[i];
      }
    }
    return best;
  }

  private static double accuracy(
      double[] sims, boolean[] same, List<Integer> idx, double threshold) {
    int correct = 0;
    for (int i : idx) {
      correct += (sims[i] >= threshold) == same[i] ? 1 : 0;
    }
    return idx.isEmpty() ? 0 : (double) correct / idx.size();
  }
}
