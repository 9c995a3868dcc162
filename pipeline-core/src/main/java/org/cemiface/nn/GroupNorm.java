package org.cemiface.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;

/**
 * Group normalisation as {@code torch.nn.GroupNorm}: statistics over each group of channels and all
 * positions, biased variance, eps inside the square root, then a per-channel affine transform. DJL
 * has no GroupNorm; this reuses the native layer-norm kernel on a [B, G, C/G·spatial] view.
 * Parameters: {@code weight}, {@code bias}.
 */
public final class GroupNorm extends AbstractBlock {
  private final int groups;
  private final int channels;
  private final float eps;
  private final boolean affine;
  private final Parameter weight;
  private final Parameter bias;

  /**
   * GroupNorm over {@code channels} in {@code groups}; {@code affine} adds the learned scale and
   * shift.
   */
  public GroupNorm(int groups, int channels, float eps, boolean affine) {
    if (channels % groups != 0) {
      throw new IllegalArgumentException(
          channels + " channels cannot be split into " + groups + " groups");
    }
    this.groups = groups;
    this.channels = channels;
    this.eps = eps;
    this.affine = affine;
    if (affine) {
      weight =
          addParameter(
              Parameter.builder()
                  .setName("weight")
                  .setType(Parameter.Type.GAMMA)
                  .optShape(new Shape(channels))
                  .build());
      bias =
          addParameter(
              Parameter.builder()
                  .setName("bias")
                  .setType(Parameter.Type.BETA)
                  .optShape(new Shape(channels))
                  .build());
    } else {
      weight = null;
      bias = null;
    }
  }

  /** The ADM convention: 32 groups, eps 1e-5, affine. */
  public static GroupNorm adm(int channels) {
    return new GroupNorm(Math.min(32, channels), channels, 1e-5f, true);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray input = inputs.singletonOrThrow();
    // Statistics and the affine transform in float32 whatever the activations are
    // (guided-diffusion's GroupNorm32):
    // a float16 variance over thousands of values loses the digits the normalised output depends
    // on.
    NDArray x = Tensors.cast(input, DataType.FLOAT32);
    NDArray out = normalize(x);
    if (affine) {
      long[] view = new long[x.getShape().dimension()];
      Arrays.fill(view, 1);
      view[1] = channels;
      NDArray w =
          Tensors.viewLike(ps.getValue(weight, x.getDevice(), training), new Shape(view), x);
      NDArray b = Tensors.viewLike(ps.getValue(bias, x.getDevice(), training), new Shape(view), x);
      out = out.mul(Tensors.cast(w, DataType.FLOAT32)).add(Tensors.cast(b, DataType.FLOAT32));
    }
    return new NDList(Tensors.cast(out, input.getDataType()));
  }

  private NDArray normalize(NDArray x) {
    Shape shape = x.getShape();
    long batch = shape.get(0);
    long perGroup = shape.size() / batch / groups;
    NDArray grouped = x.reshape(batch, groups, perGroup);
    NDManager m = x.getManager();
    NDArray ones = m.ones(new Shape(perGroup), x.getDataType(), x.getDevice());
    NDArray zeros = m.zeros(new Shape(perGroup), x.getDataType(), x.getDevice());
    return grouped
        .getNDArrayInternal()
        .layerNorm(grouped, new Shape(perGroup), ones, zeros, eps)
        .singletonOrThrow()
        .reshape(shape);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    // No children.
  }
}
