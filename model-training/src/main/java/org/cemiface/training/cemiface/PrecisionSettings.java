package org.cemiface.training.cemiface;

import org.cemiface.config.ConfigReader;
import org.cemiface.nn.Precision;
import org.cemiface.training.optim.LossScaler;

/** {@code train.precision} and the loss-scaling keys that go with float16. */
public record PrecisionSettings(
    Precision precision, double initialLossScale, int lossScaleGrowthInterval) {
  /** Reads the keys from the {@code train} section. */
  static PrecisionSettings from(ConfigReader train) {
    return new PrecisionSettings(
        Precision.parse(train.string("precision"), "train.precision"),
        train.doubleIn("loss-scale.initial", LossScaler.MIN_SCALE, LossScaler.MAX_SCALE),
        train.intIn("loss-scale.growth-interval", 1, Integer.MAX_VALUE));
  }

  /** A fresh scaler for this precision: dynamic below float32, none at float32. */
  public LossScaler scaler() {
    return precision.reduced()
        ? LossScaler.dynamic(initialLossScale, lossScaleGrowthInterval)
        : LossScaler.none();
  }
}
