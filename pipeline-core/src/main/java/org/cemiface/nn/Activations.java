package org.cemiface.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * Activations written with native ops only (DJL's {@code swish(x, β)} multiplies by a Java-backed
 * β).
 */
public final class Activations {
  private Activations() {}

  /** SiLU: x · sigmoid(x). */
  public static NDArray silu(NDArray x) {
    return x.mul(Activation.sigmoid(x));
  }
}
