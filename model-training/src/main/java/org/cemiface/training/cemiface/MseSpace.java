package org.cemiface.training.cemiface;

import org.cemiface.config.ConfigError;
import org.cemiface.diffusion.NoiseSchedule;

/**
 * Where L_MSE compares prediction and truth. The paper's is ε; v weights the same squared error by 1/ᾱ_t, because
 * v̂ − v = (ε̂ − ε)/√ᾱ_t: small t are weighted as in ε-space, large t as an x0-space error, so the network also learns
 * to denoise where ε-space gives it almost no weight (ᾱ_T ≈ 4e-5) and x̂0 would otherwise be shaped by L_sim alone.
 */
public enum MseSpace {
  /** mean((ε̂ − ε)²): the paper's L_MSE. */
  EPSILON,
  /** mean((v̂ − v)²) = mean((ε̂ − ε)²/ᾱ_t), Salimans and Ho's v-loss ("SNR + 1" weighting of the x0 error). */
  V;

  /** Parses a configuration value; {@code key} names it in errors. */
  public static MseSpace parse(String value, String key) {
    return switch (value) {
      case "epsilon" -> EPSILON;
      case "v" -> V;
      default -> throw new ConfigError(key + " = \"" + value + "\": use epsilon (the paper) or v");
    };
  }

  /** The per-sample weight of the squared ε error for timesteps {@code t}. */
  public float[] weights(NoiseSchedule schedule, int[] t) {
    float[] w = new float[t.length];
    for (int i = 0; i < t.length; i++) {
      w[i] = this == EPSILON ? 1f : (float) (1 / schedule.alphaBar(t[i]));
    }
    return w;
  }
}
