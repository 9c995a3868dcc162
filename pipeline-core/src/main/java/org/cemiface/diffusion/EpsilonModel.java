package org.cemiface.diffusion;

import ai.djl.ndarray.NDArray;

/** Predicts the noise ε̂ in x_t at integer timesteps t (one per sample). */
@FunctionalInterface
public interface EpsilonModel {
  /**
   * ε̂ with the shape of {@code xt}; results must be attached to {@code xt}'s manager (the step
   * scope).
   */
  NDArray predict(NDArray xt, int[] t);
}
