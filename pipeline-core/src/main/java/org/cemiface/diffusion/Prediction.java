package org.cemiface.diffusion;

import ai.djl.ndarray.NDArray;
import org.cemiface.config.ConfigError;

/**
 * What the network's output means. Training loss and samplers always work with ε̂; this only
 * changes how the network's raw output becomes ε̂, i.e. how well conditioned the optimisation is,
 * never the loss's value.
 *
 * <p>{@link #EPSILON}: the output is ε̂ (DDPM, guided-diffusion, DCFace and CemiFace checkpoints).
 * {@link #V}: the output is v̂ with v = √ᾱ·ε − √(1−ᾱ)·x0 (Salimans &amp; Ho), so ε̂ = √ᾱ·v̂ +
 * √(1−ᾱ)·x_t and x̂0 = √ᾱ·x_t − √(1−ᾱ)·v̂. With ε-output, x̂0 = (x_t − √(1−ᾱ)·ε̂)/√ᾱ multiplies the
 * network's error by up to √((1−ᾱ)/ᾱ) ≈ 150 at large t, so an imprecise young network's x̂0
 * saturates the [−1, 1] clip there, which is exactly where CemiFace's similarity loss carries most
 * weight. With v-output both ε̂ and x̂0 depend on the network with gain at most 1.
 */
public enum Prediction {
  /** The network predicts the noise ε. */
  EPSILON,
  /** The network predicts the velocity v = √ᾱ·ε − √(1−ᾱ)·x0. */
  V;

  /**
   * ε̂ from the network's {@code output} for inputs {@code xt} at per-sample timesteps {@code t}.
   */
  public NDArray epsilon(NoiseSchedule schedule, NDArray output, NDArray xt, int[] t) {
    if (this == EPSILON) {
      return output;
    }
    return output
        .mul(schedule.coefficients(xt, t, true))
        .add(xt.mul(schedule.coefficients(xt, t, false)));
  }

  /** Parses a configuration value ({@code epsilon} or {@code v}). */
  public static Prediction parse(String value, String key) {
    return switch (value) {
      case "epsilon" -> EPSILON;
      case "v" -> V;
      default -> throw new ConfigError(key + " = \"" + value + "\": use epsilon or v");
    };
  }
}
