package org.cemiface.verification;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class RocCurveTest {
  @Test
  void onePointPerDistinctDistanceWithTiesTakenTogether() {
    double[] d = {0.1, 0.4, 0.4, 0.9, 0.2, 1.5};
    boolean[] same = {true, true, false, false, true, false};
    RocCurve roc = RocCurve.of(d, same);
    // Thresholds just above 0.1, 0.2, 0.4 (one genuine and one impostor tie), 0.9, 1.5.
    assertArrayEquals(new double[] {0, 0, 0, 1.0 / 3, 2.0 / 3, 1}, roc.far(), 1e-12);
    assertArrayEquals(new double[] {0, 1.0 / 3, 2.0 / 3, 1, 1, 1}, roc.tar(), 1e-12);
  }
}
