package org.cemiface.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

/**
 * Factories for DJL's built-in layers with PyTorch's conventions, and a one-line forward helper.
 */
public final class Layers {
  private Layers() {}

  /** A square 2-D convolution; weight [out, in, k, k] as in PyTorch. */
  public static Conv2d conv2d(int out, int kernel, int stride, int padding, boolean bias) {
    return Conv2d.builder()
        .setFilters(out)
        .setKernelShape(new Shape(kernel, kernel))
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(padding, padding))
        .optBias(bias)
        .build();
  }

  /** A 1×1 1-D convolution (the attention projections of ADM UNets); weight [out, in, 1]. */
  public static Conv1d conv1x1(int out) {
    return Conv1d.builder().setFilters(out).setKernelShape(new Shape(1)).build();
  }

  /** A fully connected layer over the last axis; weight [units, in]. */
  public static Linear linear(long units, boolean bias) {
    return Linear.builder().setUnits(units).optBias(bias).build();
  }

  /**
   * Makes {@code block} start at zero (ADM's zero_module), so a residual branch starts as the
   * identity.
   */
  public static <B extends Block> B zeroInit(B block) {
    block.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
    block.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
    return block;
  }

  /** Runs a single-input, single-output block. */
  public static NDArray apply(Block block, ParameterStore ps, NDArray x, boolean training) {
    return block.forward(ps, new NDList(x), training).singletonOrThrow();
  }
}
