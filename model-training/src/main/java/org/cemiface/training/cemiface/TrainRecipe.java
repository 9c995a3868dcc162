package org.cemiface.training.cemiface;

import org.cemiface.config.ConfigReader;

/**
 * How the objective is weighted and the learning rate ramps: {@code mseSpace} (train.mse-space, with
 * train.mse-snr-floor for snr-floor) and a linear
 * learning-rate warm-up over {@code warmupSteps} optimiser steps (train.warmup-steps; 0: the full rate from the start).
 */
public record TrainRecipe(MseSpace mseSpace, double snrFloor, int warmupSteps) {
  /** The paper's objective without warm-up. */
  public static TrainRecipe paper() {
    return new TrainRecipe(MseSpace.EPSILON, 1, 0);
  }

  /** A recipe whose MSE space needs no floor. */
  public TrainRecipe(MseSpace mseSpace, int warmupSteps) {
    this(mseSpace, 1, warmupSteps);
  }

  /** Reads the recipe keys of the {@code train} section. */
  public static TrainRecipe from(ConfigReader train) {
    return new TrainRecipe(MseSpace.parse(train.string("mse-space"), "train.mse-space"),
        train.doubleIn("mse-snr-floor", 1e-6, 1e6), train.intIn("warmup-steps", 0, Integer.MAX_VALUE));
  }

  /** The learning rate of optimiser step {@code step} (1-based) for a base rate {@code lr}. */
  public double lrAt(double lr, long step) {
    return warmupSteps == 0 || step >= warmupSteps ? lr : lr * step / warmupSteps;
  }
}
