package org.cemiface.training.cemiface;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.cemiface.image.ChannelOrder;
import org.cemiface.image.TensorLayout;
import org.cemiface.nn.Tensors;

/**
 * Differentiable conversion from the diffusion model's image space (RGB in [−1, 1]) to an encoder's
 * input layout: channel order, per-channel normalisation and an integer-factor resize.
 */
public final class EncoderInput {
  private EncoderInput() {}

  /** Whether diffusion images of side {@code imageSize} can be fed to an encoder of this layout. */
  public static void check(int imageSize, TensorLayout layout) {
    int e = layout.size();
    if (!(imageSize == e || (imageSize % e == 0) || (e % imageSize == 0))) {
      throw new IllegalArgumentException(
          "the UNet's image size "
              + imageSize
              + " and the encoder's input size "
              + e
              + " must be equal or integer multiples of each other");
    }
  }

  /** {@code x} [B,3,S,S] in [−1, 1] RGB, as the encoder expects it. */
  public static NDArray convert(NDArray x, TensorLayout layout) {
    long s = x.getShape().get(2);
    int e = layout.size();
    NDArray y = x;
    if (s > e) {
      long k = s / e;
      y =
          y.getNDArrayInternal()
              .avgPool(new Shape(k, k), new Shape(k, k), new Shape(0, 0), false, true);
    } else if (s < e) {
      y = y.getNDArrayInternal().interpolation(new long[] {e, e}, 0, false);
    }
    if (layout.order() == ChannelOrder.BGR) {
      y = y.flip(1);
    }
    // pixel/255 = (x + 1)/2, so v = (x + 1)/2·(1/std) − mean/std = x·a + b per channel.
    float[] a = new float[3];
    float[] b = new float[3];
    boolean identity = true;
    for (int c = 0; c < 3; c++) {
      a[c] = (float) (0.5 / layout.std()[c]);
      b[c] = (float) ((0.5 - layout.mean()[c]) / layout.std()[c]);
      identity &= a[c] == 1f && b[c] == 0f;
    }
    if (identity) {
      return y;
    }
    NDArray scale =
        Tensors.floats(y.getManager(), a, new Shape(1, 3, 1, 1)).toDevice(y.getDevice(), false);
    NDArray shift =
        Tensors.floats(y.getManager(), b, new Shape(1, 3, 1, 1)).toDevice(y.getDevice(), false);
    return y.mul(scale).add(shift);
  }
}
