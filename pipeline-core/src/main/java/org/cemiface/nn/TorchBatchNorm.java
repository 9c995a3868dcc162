package org.cemiface.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Batch normalisation over axis 1 with PyTorch's parameter set and semantics (momentum 0.1 for the
 * running statistics, eps 1e-5, optional affine). DJL's BatchNorm always carries gamma/beta, which
 * would not map onto {@code BatchNorm1d(affine=False)} checkpoints. Parameters: weight, bias (when
 * affine), running_mean, running_var.
 */
public final class TorchBatchNorm extends AbstractBlock {
  private final int channels;
  private final float eps;
  private final float momentum;
  private final Parameter weight;
  private final Parameter bias;
  private final Parameter runningMean;
  private final Parameter runningVar;

  /** Batch norm over {@code channels} channels, eps 1e-5, momentum 0.1. */
  public TorchBatchNorm(int channels, boolean affine) {
    this.channels = channels;
    this.eps = 1e-5f;
    this.momentum = 0.1f;
    Shape shape = new Shape(channels);
    if (affine) {
      weight =
          addParameter(
              Parameter.builder()
                  .setName("weight")
                  .setType(Parameter.Type.GAMMA)
                  .optShape(shape)
                  .build());
      bias =
          addParameter(
              Parameter.builder()
                  .setName("bias")
                  .setType(Parameter.Type.BETA)
                  .optShape(shape)
                  .build());
    } else {
      weight = null;
      bias = null;
    }
    runningMean =
        addParameter(
            Parameter.builder()
                .setName("running_mean")
                .setType(Parameter.Type.RUNNING_MEAN)
                .optRequiresGrad(false)
                .optShape(shape)
                .build());
    runningVar =
        addParameter(
            Parameter.builder()
                .setName("running_var")
                .setType(Parameter.Type.RUNNING_VAR)
                .optRequiresGrad(false)
                .optShape(shape)
                .build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray input = inputs.singletonOrThrow();
    // Statistics over a batch in float16 lose the digits the normalised output depends on, and the
    // running statistics are float32 masters: below float32 the normalisation runs in float32 and
    // only its output goes back to the input's type (as GroupNorm here and autocast's batch_norm).
    NDArray x = Tensors.cast(input, DataType.FLOAT32);
    NDArray mean = ps.getValue(runningMean, x.getDevice(), training);
    NDArray var = ps.getValue(runningVar, x.getDevice(), training);
    NDArray gamma =
        weight == null
            ? x.getManager().ones(new Shape(channels), DataType.FLOAT32, x.getDevice())
            : Tensors.cast(ps.getValue(weight, x.getDevice(), training), DataType.FLOAT32);
    NDArray beta =
        bias == null
            ? x.getManager().zeros(new Shape(channels), DataType.FLOAT32, x.getDevice())
            : Tensors.cast(ps.getValue(bias, x.getDevice(), training), DataType.FLOAT32);
    // DJL's momentum is the weight of the old running value (PyTorch's is that of the new batch).
    NDList out =
        x.getNDArrayInternal().batchNorm(x, mean, var, gamma, beta, 1, 1 - momentum, eps, training);
    return new NDList(Tensors.cast(out.singletonOrThrow(), input.getDataType()));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }
}
