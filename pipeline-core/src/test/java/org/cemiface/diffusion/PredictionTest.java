package org.cemiface.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.cemiface.config.ConfigError;
import org.junit.jupiter.api.Test;

class PredictionTest {
  private static final int[] T = {0, 250, 700, 999};

  @Test
  void trueVelocityGivesTrueNoiseAndCleanImage() {
    NoiseSchedule s = NoiseSchedule.standard();
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x0 = m.randomUniform(-1, 1, new Shape(4, 3, 5, 5));
      NDArray eps = m.randomNormal(new Shape(4, 3, 5, 5));
      NDArray xt = s.qSample(x0, T, eps);
      NDArray v = eps.mul(s.coefficients(x0, T, true)).sub(x0.mul(s.coefficients(x0, T, false)));
      NDArray epsHat = Prediction.V.epsilon(s, v, xt, T);
      assertTrue(epsHat.sub(eps).abs().max().getFloat() < 1e-4f);
      // x̂0 from the derived ε̂ is the v-parameterisation's own x̂0 = √ᾱ·x_t − √(1−ᾱ)·v̂.
      NDArray x0FromV =
          xt.mul(s.coefficients(xt, T, true)).sub(v.mul(s.coefficients(xt, T, false)));
      assertTrue(
          s.predictX0(xt, new int[] {0, 250, 700, 999}, epsHat).sub(x0FromV).abs().max().getFloat()
              < 2e-3f);
      assertTrue(x0FromV.sub(x0).abs().max().getFloat() < 1e-4f);
    }
  }

  @Test
  void velocityErrorsReachCleanImageWithGainAtMostOne() {
    NoiseSchedule s = NoiseSchedule.standard();
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray xt = m.randomNormal(new Shape(4, 3, 5, 5));
      NDArray a = m.randomNormal(new Shape(4, 3, 5, 5));
      NDArray delta = m.ones(new Shape(4, 3, 5, 5)).mul(0.01f);
      for (Prediction p : Prediction.values()) {
        NDArray x0a = s.predictX0(xt, T, p.epsilon(s, a, xt, T));
        NDArray x0b = s.predictX0(xt, T, p.epsilon(s, a.add(delta), xt, T));
        float gain = x0a.sub(x0b).abs().max().getFloat() / 0.01f;
        if (p == Prediction.V) {
          assertTrue(gain <= 1.01f, "v gain " + gain); // float rounding of the 1/√ᾱ division
        } else {
          // ε-output: √((1−ᾱ)/ᾱ) at t = 999, about 157.
          assertEquals(157, gain, 2);
        }
      }
    }
  }

  @Test
  void epsilonOutputIsPassedThroughAndNamesParse() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray out = m.ones(new Shape(1, 3, 2, 2));
      assertSame(
          out, Prediction.EPSILON.epsilon(NoiseSchedule.standard(), out, out, new int[] {5}));
    }
    assertEquals(Prediction.V, Prediction.parse("v", "model.prediction"));
    assertEquals(Prediction.EPSILON, Prediction.parse("epsilon", "model.prediction"));
    ConfigError e =
        assertThrows(ConfigError.class, () -> Prediction.parse("x0", "model.prediction"));
    assertTrue(e.getMessage().contains("model.prediction"), e.getMessage());
  }
}
