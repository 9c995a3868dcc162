package org.cemiface.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.HashMap;
import java.util.Map;

/**
 * Hands every floating-point parameter but batch norm's running statistics out cast to a compute
 * type (float16), keeping the float32 array as the master copy: gradients of the cast flow back
 * into the master's float32 gradient, so the optimiser, the EMA and the checkpoints never see
 * reduced precision. Each parameter is cast once per store; the casts live in the store's scope and
 * are freed with it. Make a new store per scope: per training step (the weights change after it),
 * per generated batch (all its DDIM steps share the casts).
 */
public final class CastingParameterStore extends ParameterStore {
  private final NDManager scope;
  private final DataType compute;
  private final Map<String, NDArray> casts = new HashMap<>();

  /** Casts to {@code compute}, each cast attached to {@code scope}. */
  public CastingParameterStore(NDManager scope, DataType compute) {
    super(scope, false);
    this.scope = scope;
    this.compute = compute;
  }

  @Override
  public NDArray getValue(Parameter parameter, Device device, boolean training) {
    if (parameter == null) {
      return null;
    }
    NDArray master = parameter.getArray();
    if (!master.getDevice().equals(device)) {
      throw new IllegalStateException(
          "parameter "
              + parameter.getName()
              + " lives on "
              + master.getDevice()
              + " but is needed on "
              + device
              + "; keep a model's weights and inputs on one device");
    }
    if (!master.getDataType().isFloating() || isRunningStatistic(parameter)) {
      return master;
    }
    return casts.computeIfAbsent(parameter.getId(), id -> Tensors.cast(master, compute, scope));
  }

  // Batch norm updates its running statistics in place during training: a cast copy would take the
  // update and be thrown away with the step, so they go out as the float32 masters (batch norm
  // computes in float32 anyway, see TorchBatchNorm).
  private static boolean isRunningStatistic(Parameter parameter) {
    return parameter.getType() == Parameter.Type.RUNNING_MEAN
        || parameter.getType() == Parameter.Type.RUNNING_VAR;
  }

  /** The type parameters are handed out in. */
  public DataType compute() {
    return compute;
  }
}
