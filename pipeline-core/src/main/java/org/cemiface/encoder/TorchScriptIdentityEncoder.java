package org.cemiface.encoder;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.cemiface.image.TensorLayout;

/**
 * A TorchScript encoder on DJL's PyTorch engine. Loaded with trainable parameters and then frozen:
 * with DJL's default (inference tensors) even backpropagating to the input fails ("Inference
 * tensors cannot be saved for backward"), and the CemiFace losses need that gradient.
 */
public final class TorchScriptIdentityEncoder extends BatchedEncoder
    implements DifferentiableEncoder {
  private final Model model;
  private final ParameterStore store;
  private final int dimension;

  /**
   * Loads a TorchScript file whose forward maps [B,3,S,S] images to [B,d] features (or a tuple
   * starting so).
   */
  public TorchScriptIdentityEncoder(
      String file, TensorLayout layout, int batchSize, Device device) {
    super(layout, batchSize);
    model = ModelFiles.load(file, "PyTorch", "TorchScript", device, Map.of("trainParam", "true"));
    model.getBlock().freezeParameters(true);
    store = new ParameterStore(model.getNDManager(), false);
    try (NDManager probe = model.getNDManager().newSubManager()) {
      NDArray x = probe.zeros(new Shape(1, 3, layout.size(), layout.size()));
      dimension = (int) features(x).getShape().get(1);
    }
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public NDList forwardTensor(NDArray input) {
    NDArray f = features(input);
    return new NDList(f.div(f.norm(new int[] {1}, true)));
  }

  @Override
  public Device device() {
    return model.getNDManager().getDevice();
  }

  @Override
  public int[] spatialShape() {
    return new int[] {0, 0};
  }

  @Override
  NDManager manager() {
    return model.getNDManager();
  }

  @Override
  NDArray features(NDArray batch) {
    NDList out = model.getBlock().forward(store, new NDList(batch), false);
    return out.get(0).reshape(batch.getShape().get(0), -1);
  }

  @Override
  public void close() {
    model.close();
  }
}
