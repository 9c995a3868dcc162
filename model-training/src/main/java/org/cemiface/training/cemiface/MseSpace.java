package org.cemiface.training.cemiface;

import org.cemiface.config.ConfigError;
import org.cemiface.diffusion.NoiseSchedule;

/**
 * Where L_MSE compares prediction and truth. The paper's is ε; v weights the same squared error by
 * 1/ᾱ_t, because v̂ − v = (ε̂ − ε)/√ᾱ_t: small t are weighted as in ε-space, large t as an x0-space
 * error, so the network also learns to denoise where ε-space gives it almost no weight (ᾱ_T ≈ 4e-5)
 * and x̂0 would otherwise be shaped by L_sim alone.
 */
public enum MseSpace {
  /** mean((ε̂ − ε)²): the paper's L_MSE. */
  EPSILON,
  /**
   * mean((v̂ − v)²) = mean((ε̂ − ε)²/ᾱ_t), Salimans and Ho's v-loss ("SNR + 1" weighting of the x0
   * error).
   */
  V,
  /**
   * The x0 error weighted by max(SNR_t, floor) (Salimans and Ho's "truncated SNR" with a floor of
   * 1): ε-space where the signal dominates, and at large t an x0 error weighted by the floor, so a
   * floor below 1 leaves L_sim more say there than v does (v weighs large t 1 + SNR ≈ 1).
   */
  SNR_FLOOR,
  /**
   * The x0 error weighted by min(SNR_t, γ) (Hang et al. 2023, "Min-SNR weighting"): the paper's
   * ε-space error wherever SNR_t ≤ γ, capped at small t, where ε-space would weigh the x0 error by
   * SNR_t up to ~10⁴ and spend the gradient on imperceptible noise.
   */
  MIN_SNR;

  /** Parses a configuration value; {@code key} names it in errors. */
  public static MseSpace parse(String value, String key) {
    return switch (value) {
      case "epsilon" -> EPSILON;
      case "v" -> V;
      case "snr-floor" -> SNR_FLOOR;
      case "min-snr" -> MIN_SNR;
      default ->
          throw new ConfigError(
              key + " = \"" + value + "\": use epsilon (the paper), v, snr-floor or min-snr");
    };
  }

  /**
   * The per-sample weight of the squared ε error for timesteps {@code t}. The x0 error is (ε̂ −
   * ε)²/SNR, so an x0 weight f(SNR) is an ε weight f(SNR)/SNR; {@code snr} is the floor of
   * SNR_FLOOR (ε weight max(1, floor/SNR)) or the γ of MIN_SNR (ε weight min(1, γ/SNR)), unused
   * otherwise.
   */
  public float[] weights(NoiseSchedule schedule, int[] t, double snr) {
    float[] w = new float[t.length];
    for (int i = 0; i < t.length; i++) {
      double alphaBar = schedule.alphaBar(t[i]);
      w[i] =
          switch (this) {
            case EPSILON -> 1f;
            case V -> (float) (1 / alphaBar);
            case SNR_FLOOR -> (float) Math.max(1, snr * (1 - alphaBar) / alphaBar);
            case MIN_SNR -> (float) Math.min(1, snr * (1 - alphaBar) / alphaBar);
          };
    }
    return w;
  }
}
