package org.cemiface.training.optim;

import java.util.Locale;
import org.cemiface.config.ConfigError;

/**
 * How the EMA's decay warms up with the number of updates n, capped at {@code maxDecay}: {@code
 * ratio} is (1 + n)/(10 + n) (TensorFlow's ExponentialMovingAverage with num_updates); {@code
 * power} is 1 − (1 + k/invGamma)^(−power) with k = n − 2 and 0 for the first two updates, the
 * warm-up of the EMAModel in DCFace's code (inv_gamma 1, power 3/4 there).
 */
public record EmaSchedule(Kind kind, double maxDecay, double power, double invGamma) {
  /** The two warm-up shapes. */
  public enum Kind {
    RATIO,
    POWER
  }

  /** Parses {@code ratio} or {@code power}; {@code key} names the setting in errors. */
  public static Kind parseKind(String value, String key) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "ratio" -> Kind.RATIO;
      case "power" -> Kind.POWER;
      default -> throw new ConfigError(key + " = \"" + value + "\": use ratio or power");
    };
  }

  /** The decay applied at update {@code updates} (1-based). */
  public double decay(long updates) {
    double value =
        switch (kind) {
          case RATIO -> (1.0 + updates) / (10.0 + updates);
          case POWER -> {
            // DCFace's EMAModel counts its own calls from 0 and skips one more: k = n - 2.
            long k = updates - 2;
            yield k <= 0 ? 0.0 : 1 - Math.pow(1 + k / invGamma, -power);
          }
        };
    return Math.min(maxDecay, value);
  }
}
