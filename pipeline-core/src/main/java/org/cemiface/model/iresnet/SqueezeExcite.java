package org.cemiface.model.iresnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.cemiface.nn.Layers;

/** The SE module of IR-SE networks: x · sigmoid(fc2(ReLU(fc1(avgpool(x))))). Keys: fc1, fc2. */
final class SqueezeExcite extends AbstractBlock {
  private final int channels;
  private final int reduction;
  private final Conv2d fc1;
  private final Conv2d fc2;

  SqueezeExcite(int channels, int reduction) {
    this.channels = channels;
    this.reduction = reduction;
    fc1 = addChildBlock("fc1", Layers.conv2d(channels / reduction, 1, 1, 0, false));
    fc2 = addChildBlock("fc2", Layers.conv2d(channels, 1, 1, 0, false));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray s = x.mean(new int[] {3}, true).mean(new int[] {2}, true);
    s = Activation.relu(Layers.apply(fc1, ps, s, training));
    s = Activation.sigmoid(Layers.apply(fc2, ps, s, training));
    return new NDList(x.mul(s));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long b = inputShapes[0].get(0);
    fc1.initialize(manager, dataType, new Shape(b, channels, 1, 1));
    fc2.initialize(manager, dataType, new Shape(b, channels / reduction, 1, 1));
  }
}
