package org.cemiface.training.cemiface;

import org.cemiface.config.ConfigReader;

/**
 * How the objective is weighted and the learning rate ramps: {@code mseSpace} (train.mse-space) and a linear
 * learning-rate warm-up over {@code warmupSteps} optimiser steps (train.warmup-steps; 0: the full rate from the start).
 */
public record TrainRecipe(MseSpace mseSpace, int warmupSteps) {
  /** The paper's objective without warm-up. */
  public static TrainRecipe paper() {
    return new TrainRecipe(MseSpace.EPSILON, 0);
  }

  /** Reads the recipe keys of the {@code train} section. */
  public static TrainRecipe from(ConfigReader train) {
    return new TrainRecipe(MseSpace.parse(train.string("mse-space"), "train.mse-space"),
        train.intIn("warmup-steps", 0, Integer.MAX_VALUE));
  }

  /** The learning rate of optimiser step {@code step} (1-based) for a base rate {@code lr}. */
  public double lrAt(double lr, long step) {
    return warmupSteps == 0 || step >= warmupSteps ? lr : lr * step / warmupSteps;
  }
}
