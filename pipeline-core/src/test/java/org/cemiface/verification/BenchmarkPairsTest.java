package org.cemiface.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchmarkPairsTest {
  /** 30 identities; identity i has 1 + i % 4 images (so a quarter have a single image). */
  private static int[] labels() {
    int[] out = new int[75];
    int k = 0;
    for (int id = 0; id < 30; id++) {
      for (int j = 0; j < 1 + id % 4; j++) {
        out[k++] = id;
      }
    }
    return out;
  }

  @Test
  void tenBalancedFoldsWithCorrectFlags() {
    int[] labels = labels();
    List<BenchmarkPairs.Pair> pairs = BenchmarkPairs.draw(labels, 200, 7);
    assertEquals(200, pairs.size());
    Set<Integer> used = new HashSet<>();
    for (int fold = 0; fold < 10; fold++) {
      for (int k = 0; k < 20; k++) {
        BenchmarkPairs.Pair p = pairs.get(20 * fold + k);
        assertEquals(k < 10, p.same(), "genuine pairs first in each fold");
        assertNotEquals(p.first(), p.second(), "a pair of one image");
        assertEquals(p.same(), labels[p.first()] == labels[p.second()], "flag of pair " + k);
        used.add(labels[p.first()]);
        used.add(labels[p.second()]);
      }
    }
    assertTrue(used.size() > 20, "identities drawn across the set: " + used.size());
  }

  @Test
  void theSeedAloneDecides() {
    assertEquals(BenchmarkPairs.draw(labels(), 100, 7), BenchmarkPairs.draw(labels(), 100, 7));
    assertNotEquals(BenchmarkPairs.draw(labels(), 100, 7), BenchmarkPairs.draw(labels(), 100, 8));
  }

  @Test
  void impossibleRequestsSayWhy() {
    IllegalArgumentException odd =
        assertThrows(IllegalArgumentException.class, () -> BenchmarkPairs.draw(labels(), 30, 1));
    assertTrue(odd.getMessage().contains("multiple of 20"), odd.getMessage());
    IllegalArgumentException single =
        assertThrows(
            IllegalArgumentException.class, () -> BenchmarkPairs.draw(new int[] {0, 1, 2}, 20, 1));
    assertTrue(single.getMessage().contains("0 with two or more images"), single.getMessage());
  }
}
