package org.cemiface.encoder;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * An encoder that can run inside a gradient collector, so losses backpropagate through it to its
 * input.
 */
public interface DifferentiableEncoder extends IdentityEncoder {
  /**
   * Runs on an input already in {@link #layout()} form; returns the L2-normalised embedding [B,d]
   * first, then whatever else the network provides (IResNet: norm, last feature map).
   */
  NDList forwardTensor(NDArray input);

  /** The device the encoder runs on. */
  Device device();

  /**
   * The channels and side of the last feature map (for spatial condition tokens), or {0, 0} if
   * none.
   */
  int[] spatialShape();
}
