package org.cemiface.training.cemiface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.cemiface.diffusion.NoiseSchedule;
import org.cemiface.nn.Tensors;
import org.cemiface.training.optim.EmaSchedule;
import org.junit.jupiter.api.Test;

class CemiFaceLossTest {
  @Test
  void matchesHandComputedValues() {
    try (NDManager m = NDManager.newBaseManager()) {
      // Two samples, two values each.
      var epsHat = Tensors.floats(m, new float[] {1, 2, 0, -1}, new Shape(2, 2));
      var eps = Tensors.floats(m, new float[] {0, 2, 1, 1}, new Shape(2, 2));
      var s = Tensors.floats(m, new float[] {0.8f, -0.2f}, new Shape(2));
      float[] target = {0.5f, 0.1f};
      int[] t = {250, 750};
      CemiFaceLoss.Parts p = new CemiFaceLoss(0.05, 1000).compute(epsHat, eps, s, target, t);
      // MSE = (1 + 0 + 1 + 4) / 4 = 1.5
      assertEquals(1.5, p.mse().getFloat(), 1e-6);
      // sample 0: rec |1-0.8| = 0.2, sim |0.5-0.8| = 0.3, gamma 0.25 -> 0.75*0.2 + 0.25*0.3 = 0.225
      // sample 1: rec |1+0.2| = 1.2, sim |0.1+0.2| = 0.3, gamma 0.75 -> 0.25*1.2 + 0.75*0.3 = 0.525
      assertEquals(0.375, p.simMat().getFloat(), 1e-6);
      assertEquals(0.7, p.rec().getFloat(), 1e-6);
      assertEquals(0.3, p.sim().getFloat(), 1e-6);
      assertEquals(1.5 + 0.05 * 0.375, p.total().getFloat(), 1e-6);
    }
  }

  @Test
  void vSpaceWeightsEachSamplesSquaredErrorByOneOverAlphaBar() {
    NoiseSchedule schedule = NoiseSchedule.standard();
    int[] t = {10, 900};
    float[] w = MseSpace.V.weights(schedule, t, 1);
    assertEquals(1 / schedule.alphaBar(10), w[0], 1e-6 * w[0]);
    assertEquals(1 / schedule.alphaBar(900), w[1], 1e-6 * w[1]);
    assertTrue(w[1] > 1000 * w[0], "large t must weigh far more in v-space");
    assertEquals(1f, MseSpace.EPSILON.weights(schedule, t, 1)[1]);
    try (NDManager m = NDManager.newBaseManager()) {
      var epsHat = Tensors.floats(m, new float[] {1, 2, 0, -1}, new Shape(2, 2));
      var eps = Tensors.floats(m, new float[] {0, 2, 1, 1}, new Shape(2, 2));
      var s = Tensors.floats(m, new float[] {0.8f, -0.2f}, new Shape(2));
      CemiFaceLoss.Parts p =
          new CemiFaceLoss(0.05, 1000)
              .compute(
                  epsHat,
                  eps,
                  s,
                  new float[] {0.5f, 0.1f},
                  new int[] {250, 750},
                  new float[] {3, 0.5f});
      // sample 0: (1 + 0) * 3, sample 1: (1 + 4) * 0.5, over 4 values: (3 + 2.5) / 4
      assertEquals(5.5 / 4, p.mse().getFloat(), 1e-6);
      assertEquals(5.5 / 4 + 0.05 * 0.375, p.total().getFloat(), 1e-6);
    }
  }

  @Test
  void snrFloorWeighsTheX0ErrorByTheLargerOfSnrAndTheFloor() {
    NoiseSchedule schedule = NoiseSchedule.standard();
    int[] t = {10, 500, 999};
    float[] w = MseSpace.SNR_FLOOR.weights(schedule, t, 0.1);
    float[] v = MseSpace.V.weights(schedule, t, 1);
    for (int i = 0; i < t.length; i++) {
      double a = schedule.alphaBar(t[i]);
      double snr = a / (1 - a);
      // The ε error is the x0 error times SNR, so the x0 weight is the ε weight times SNR.
      assertEquals(Math.max(snr, 0.1), w[i] * snr, 1e-6 * Math.max(snr, 0.1), "t = " + t[i]);
    }
    assertEquals(1f, w[0], "where SNR is above the floor the weight is epsilon-space's");
    assertEquals(v[2] / 10, w[2], 0.01 * w[2], "at t = T a floor of 0.1 weighs a tenth of v");
  }

  @Test
  void minSnrWeighsTheX0ErrorByTheSmallerOfSnrAndGamma() {
    NoiseSchedule schedule = NoiseSchedule.standard();
    int[] t = {0, 10, 100, 500, 999};
    float[] w = MseSpace.MIN_SNR.weights(schedule, t, 5);
    for (int i = 0; i < t.length; i++) {
      double a = schedule.alphaBar(t[i]);
      double snr = a / (1 - a);
      assertEquals(Math.min(snr, 5), w[i] * snr, 1e-5 * Math.min(snr, 5), "t = " + t[i]);
    }
    // SNR at t = 0 is ~10^4: the ε error counts 5/10^4 of the paper's; past SNR = 5 it counts
    // fully.
    assertTrue(w[0] < 1e-3, "small t must be capped: " + w[0]);
    assertEquals(1f, w[3], "where SNR is below gamma the weight is epsilon-space's");
    assertEquals(1f, w[4]);
    assertEquals(MseSpace.MIN_SNR, MseSpace.parse("min-snr", "train.mse-space"));
  }

  private static final EmaSchedule RATIO = new EmaSchedule(EmaSchedule.Kind.RATIO, 0.9999, 0.75, 1);

  @Test
  void warmUpRampsTheLearningRateLinearly() {
    TrainSettings.Optimiser warm =
        new TrainSettings.Optimiser(1e-3, 100, 0.9, 0.999, 1e-8, 0, RATIO);
    assertEquals(1e-5, warm.lrAt(1), 1e-12);
    assertEquals(5e-4, warm.lrAt(50), 1e-12);
    assertEquals(1e-3, warm.lrAt(100), 1e-12);
    assertEquals(1e-3, warm.lrAt(5000), 1e-12);
    TrainSettings.Optimiser none = new TrainSettings.Optimiser(1e-3, 0, 0.9, 0.999, 1e-8, 0, RATIO);
    assertEquals(1e-3, none.lrAt(1), 1e-12);
  }
}
