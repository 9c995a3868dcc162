package org.cemiface.training.cemiface;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.cemiface.nn.Tensors;
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
}
