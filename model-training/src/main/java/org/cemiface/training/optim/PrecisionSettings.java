package org.cemiface.training.optim;

import org.cemiface.config.ConfigReader;
import org.cemiface.nn.Precision;

/**
 * A trainer's {@code precision} key and the loss-scaling keys that go with float16 ({@code train},
 * {@code train-encoder}, {@code train-fr}).
 */
public record PrecisionSettings(
    Precision precision, double initialLossScale, int lossScaleGrowthInterval) {
  /** Reads the keys from {@code section}, called {@code sectionName} in errors. */
  public static PrecisionSettings from(ConfigReader section, String sectionName) {
    return new PrecisionSettings(
        Precision.parse(section.string("precision"), sectionName + ".precision"),
        section.doubleIn("loss-scale.initial", LossScaler.MIN_SCALE, LossScaler.MAX_SCALE),
        section.intIn("loss-scale.growth-interval", 1, Integer.MAX_VALUE));
  }

  /** A fresh scaler for this precision: dynamic below float32, none at float32. */
  public LossScaler scaler() {
    return precision.reduced()
        ? LossScaler.dynamic(initialLossScale, lossScaleGrowthInterval)
        : LossScaler.none();
  }
}
