package org.cemiface.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import java.util.Arrays;

/**
 * PReLU with one learned slope per channel, as {@code torch.nn.PReLU(C)} (DJL's Prelu learns a
 * single slope). Parameter: {@code weight} of shape [C], initialised to 0.25 like PyTorch.
 */
public final class ChannelPRelu extends AbstractBlock {
  private final int channels;
  private final Parameter weight;

  /** A PReLU over {@code channels} channels (axis 1). */
  public ChannelPRelu(int channels) {
    this.channels = channels;
    weight =
        addParameter(
            Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(channels))
                .optInitializer(new ConstantInitializer(0.25f))
                .build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    long[] view = new long[x.getShape().dimension()];
    Arrays.fill(view, 1);
    view[1] = channels;
    NDArray slope =
        Tensors.viewLike(ps.getValue(weight, x.getDevice(), training), new Shape(view), x);
    NDArray zero = x.zerosLike();
    return new NDList(x.maximum(zero).add(x.minimum(zero).mul(slope)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
