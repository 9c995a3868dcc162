package org.cemiface.encoder;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import org.cemiface.image.TensorLayout;

/**
 * An ONNX encoder (e.g. insightface's ArcFace files) through DJL's OnnxRuntime engine. Inference
 * only: the stages that need gradients use a DJL or TorchScript encoder.
 */
public final class OnnxIdentityEncoder extends BatchedEncoder {
  private final Model model;
  private final Predictor<NDList, NDList> predictor;
  private final int dimension;

  /** Loads an ONNX model whose first output is [B,d] features for [B,3,S,S] input. */
  public OnnxIdentityEncoder(String file, TensorLayout layout, int batchSize, Device device) {
    super(layout, batchSize);
    model = ModelFiles.load(file, "OnnxRuntime", "ONNX", device, null);
    predictor = model.newPredictor(new NoopTranslator());
    try (NDManager probe = model.getNDManager().newSubManager()) {
      dimension =
          (int)
              features(probe.zeros(new Shape(1, 3, layout.size(), layout.size())))
                  .getShape()
                  .get(1);
    }
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  NDManager manager() {
    return model.getNDManager();
  }

  @Override
  NDArray features(NDArray batch) {
    try {
      NDArray out = predictor.predict(new NDList(batch)).get(0);
      out.attach(batch.getManager());
      return out;
    } catch (TranslateException e) {
      throw new IllegalStateException("ONNX inference failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    predictor.close();
    model.close();
  }
}
