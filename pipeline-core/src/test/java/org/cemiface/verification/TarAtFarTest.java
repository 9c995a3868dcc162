package org.cemiface.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TarAtFarTest {
  /**
   * 10 folds of 10 pairs: genuine at 0.3 (four) and 1.0 (one), impostors at 0.5 (one) and 2.0
   * (four). On nine folds the FAR is 0 up to threshold 0.5 and 9/45 from 0.501, so the 1e-3
   * threshold lies 1e-3 / 0.2 of the way from 0.500 to 0.501.
   */
  private static double[] distances(double impostorNear) {
    double[] d = new double[100];
    for (int f = 0; f < 10; f++) {
      double[] fold = {0.3, 0.3, 0.3, 0.3, 1.0, impostorNear, 2.0, 2.0, 2.0, 2.0};
      System.arraycopy(fold, 0, d, 10 * f, 10);
    }
    return d;
  }

  private static boolean[] same() {
    boolean[] s = new boolean[100];
    for (int i = 0; i < 100; i++) {
      s[i] = i % 10 < 5;
    }
    return s;
  }

  @Test
  void thresholdIsInterpolatedWhereTheTrainingFarCrossesTheTarget() {
    assertEquals(0.500005, TarAtFar.threshold(distances(0.5), same(), 0, 10, 1e-3), 1e-12);
    TarAtFar.Result r = TarAtFar.compute(distances(0.5), same(), 1e-3);
    // On the test fold the threshold 0.500005 accepts the four genuine pairs at 0.3 and the
    // impostor at 0.5.
    assertEquals(0.8, r.tar(), 1e-12);
    assertEquals(0.0, r.tarStd(), 1e-12);
    assertEquals(0.2, r.far(), 1e-12);
  }

  @Test
  void aTargetNoThresholdReachesGivesThresholdZero() {
    // Impostors beyond the grid's last threshold (3.999): the FAR never reaches 1e-3, threshold 0
    // accepts nothing.
    double[] d = distances(5.0);
    for (int i = 0; i < d.length; i++) {
      d[i] = d[i] == 2.0 ? 5.0 : d[i];
    }
    TarAtFar.Result r = TarAtFar.compute(d, same(), 1e-3);
    assertEquals(0.0, r.tar(), 0);
    assertEquals(0.0, r.far(), 0);
  }

  @Test
  void aTargetMetExactlyTakesTheMostAcceptingGridThresholdAtIt() {
    // The training FAR is exactly 9/45 from 0.501 to 2.000 and 1 beyond: 2.000, no interpolation.
    assertEquals(2.0, TarAtFar.threshold(distances(0.5), same(), 0, 10, 0.2), 1e-12);
  }

  @Test
  void tooFewPairsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> TarAtFar.compute(new double[] {0.1, 0.2}, new boolean[] {true, false}, 1e-3));
  }
}
