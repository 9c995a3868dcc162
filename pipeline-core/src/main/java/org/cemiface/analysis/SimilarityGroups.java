package org.cemiface.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The similarity analysis of section 3.1 (Table 1): images ranked by their similarity to their
 * identity centre and split into G groups of equal size (the first n mod G groups one image
 * larger), group 0 the least similar. Ties rank by the images' order, so the split is
 * deterministic.
 */
public final class SimilarityGroups {
  /** One group's size and the mean, least and greatest similarity of its images. */
  public record Group(int group, int images, double mean, double min, double max) {}

  private final int[] groupOf;
  private final List<Group> groups;

  private SimilarityGroups(int[] groupOf, List<Group> groups) {
    this.groupOf = groupOf;
    this.groups = groups;
  }

  /**
   * Splits the images with {@code similarity[i]} (NaN: left out, e.g. unreadable) into {@code g}
   * groups.
   */
  public static SimilarityGroups split(double[] similarity, int g) {
    if (g < 1) {
      throw new IllegalArgumentException("groups must be at least 1, got " + g);
    }
    Integer[] ranked =
        IntStream.range(0, similarity.length)
            .filter(i -> !Double.isNaN(similarity[i]))
            .boxed()
            .sorted(
                Comparator.comparingDouble((Integer i) -> similarity[i]).thenComparingInt(i -> i))
            .toArray(Integer[]::new);
    int n = ranked.length;
    if (n < g) {
      throw new IllegalArgumentException(
          n + " readable images cannot be split into " + g + " groups");
    }
    int[] groupOf = new int[similarity.length];
    Arrays.fill(groupOf, -1);
    List<Group> groups = new ArrayList<>();
    int at = 0;
    for (int k = 0; k < g; k++) {
      int size = n / g + (k < n % g ? 1 : 0);
      double sum = 0;
      for (int r = at; r < at + size; r++) {
        groupOf[ranked[r]] = k;
        sum += similarity[ranked[r]];
      }
      groups.add(
          new Group(
              k, size, sum / size, similarity[ranked[at]], similarity[ranked[at + size - 1]]));
      at += size;
    }
    return new SimilarityGroups(groupOf, groups);
  }

  /** The group of image {@code i}, or −1 when it was left out. */
  public int groupOf(int i) {
    return groupOf[i];
  }

  /** The groups, least similar first. */
  public List<Group> groups() {
    return groups;
  }
}
