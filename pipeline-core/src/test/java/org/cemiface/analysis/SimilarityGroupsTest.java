package org.cemiface.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SimilarityGroupsTest {
  @Test
  void equalGroupsByRankWithTiesInOrderAndUnreadableLeftOut() {
    double[] sim = {0.9, 0.1, 0.5, Double.NaN, 0.5, 0.3, 0.7, 0.5};
    SimilarityGroups g = SimilarityGroups.split(sim, 3);
    // Ranked: 0.1(1) 0.3(5) 0.5(2) | 0.5(4) 0.5(7) | 0.7(6) 0.9(0): 7 images, sizes 3, 2, 2.
    assertEquals(
        List.of(3, 2, 2), g.groups().stream().map(SimilarityGroups.Group::images).toList());
    assertEquals(0, g.groupOf(1));
    assertEquals(0, g.groupOf(2), "of the tied 0.5s the earliest ranks first");
    assertEquals(1, g.groupOf(4));
    assertEquals(1, g.groupOf(7));
    assertEquals(2, g.groupOf(0));
    assertEquals(-1, g.groupOf(3));
    assertEquals(0.3, g.groups().get(0).mean(), 1e-12);
    assertEquals(0.1, g.groups().get(0).min(), 0);
    assertEquals(0.5, g.groups().get(0).max(), 0);
    assertEquals(0.8, g.groups().get(2).mean(), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> SimilarityGroups.split(sim, 8));
  }

  @Test
  void centresAreNormalisedMeansOfNormalisedEmbeddings() {
    float[] sum = ClassCenters.accumulate(null, new float[] {3, 0});
    sum = ClassCenters.accumulate(sum, new float[] {0, 10});
    float[] c = ClassCenters.normalize(java.util.Map.of(7, sum)).get(7);
    assertEquals(Math.sqrt(0.5), c[0], 1e-6);
    assertEquals(Math.sqrt(0.5), c[1], 1e-6);
    assertEquals(Math.sqrt(0.5), ClassCenters.similarity(new float[] {2, 0}, c), 1e-6);
  }
}
