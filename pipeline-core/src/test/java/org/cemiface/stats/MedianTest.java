package org.cemiface.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MedianTest {
  @Test
  void middleValueOrMeanOfTheTwoMiddleOnes() {
    assertEquals(3.0, Median.of(5, 1, 3));
    assertEquals(2.5, Median.of(4, 1, 2, 3));
    assertEquals(20.0, Median.of(30, 10));
    assertEquals(7.0, Median.of(7));
    assertThrows(IllegalArgumentException.class, Median::of);
  }
}
