package org.cemiface.verification;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The receiver operating characteristic of a benchmark: for every distance threshold, the share of
 * genuine pairs accepted (TAR) against the share of impostor pairs accepted (FAR).
 */
public record RocCurve(double[] far, double[] tar) {
  /** One point per distinct distance, FAR ascending, from (0, 0) to (1, 1). */
  public static RocCurve of(double[] distances, boolean[] same) {
    Integer[] order = new Integer[distances.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> distances[i]));
    long genuine = 0;
    for (boolean s : same) {
      genuine += s ? 1 : 0;
    }
    long impostors = distances.length - genuine;
    List<double[]> points = new ArrayList<>();
    points.add(new double[] {0, 0});
    long accepted = 0;
    long falseAccepted = 0;
    for (int k = 0; k < order.length; k++) {
      if (same[order[k]]) {
        accepted++;
      } else {
        falseAccepted++;
      }
      boolean lastOfTie = k == order.length - 1 || distances[order[k + 1]] != distances[order[k]];
      if (lastOfTie) {
        points.add(
            new double[] {
              impostors == 0 ? 0 : (double) falseAccepted / impostors,
              genuine == 0 ? 0 : (double) accepted / genuine
            });
      }
    }
    double[] far = new double[points.size()];
    double[] tar = new double[points.size()];
    for (int i = 0; i < far.length; i++) {
      far[i] = points.get(i)[0];
      tar[i] = points.get(i)[1];
    }
    return new RocCurve(far, tar);
  }
}
