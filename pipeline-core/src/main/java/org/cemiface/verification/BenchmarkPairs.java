package org.cemiface.verification;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cemiface.random.Seeds;

/**
 * Draws the pairs of a verification benchmark from labelled images, laid out as insightface's
 * files: ten folds of equal size, each with as many genuine pairs (two images of one identity) as
 * impostor pairs (images of two identities), genuine first. Every pair is drawn from its own seed
 * (global seed, fold, pair), so the file does not depend on anything but the images and the seed.
 */
public final class BenchmarkPairs {
  /** Folds of insightface's benchmark files. */
  public static final int FOLDS = 10;

  private static final long STREAM = 0xB1;

  private BenchmarkPairs() {}

  /** One pair: indices into the image list and whether they show the same identity. */
  public record Pair(int first, int second, boolean same) {}

  /**
   * {@code pairs} pairs (a multiple of 20) over images whose identities are {@code labels}; needs
   * two identities and one identity with two images.
   */
  public static List<Pair> draw(int[] labels, int pairs, long seed) {
    if (pairs <= 0 || pairs % (2 * FOLDS) != 0) {
      throw new IllegalArgumentException(
          "pairs must be a positive multiple of 20 (10 folds, half genuine), got " + pairs);
    }
    List<List<Integer>> byIdentity = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      while (byIdentity.size() <= labels[i]) {
        byIdentity.add(new ArrayList<>());
      }
      byIdentity.get(labels[i]).add(i);
    }
    List<Integer> present = new ArrayList<>();
    List<Integer> withTwo = new ArrayList<>();
    for (int id = 0; id < byIdentity.size(); id++) {
      if (!byIdentity.get(id).isEmpty()) {
        present.add(id);
      }
      if (byIdentity.get(id).size() >= 2) {
        withTwo.add(id);
      }
    }
    if (withTwo.isEmpty() || present.size() < 2) {
      throw new IllegalArgumentException(
          "a benchmark needs one identity with two images and two identities; the data has "
              + present.size()
              + " identities, "
              + withTwo.size()
              + " with two or more images");
    }
    int perFold = pairs / FOLDS;
    List<Pair> out = new ArrayList<>(pairs);
    for (int fold = 0; fold < FOLDS; fold++) {
      for (int k = 0; k < perFold; k++) {
        SplittableRandom r = Seeds.random(seed, STREAM, fold, k);
        boolean same = k < perFold / 2;
        if (same) {
          List<Integer> images = byIdentity.get(withTwo.get(r.nextInt(withTwo.size())));
          int a = r.nextInt(images.size());
          int b = r.nextInt(images.size() - 1);
          out.add(new Pair(images.get(a), images.get(b >= a ? b + 1 : b), true));
        } else {
          int a = r.nextInt(present.size());
          int b = r.nextInt(present.size() - 1);
          List<Integer> first = byIdentity.get(present.get(a));
          List<Integer> second = byIdentity.get(present.get(b >= a ? b + 1 : b));
          out.add(
              new Pair(
                  first.get(r.nextInt(first.size())), second.get(r.nextInt(second.size())), false));
        }
      }
    }
    return out;
  }
}
