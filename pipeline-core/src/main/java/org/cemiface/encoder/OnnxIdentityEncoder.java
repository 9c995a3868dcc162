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
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import org.cemiface.image.TensorLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ONNX encoder (e.g. insightface's ArcFace files) through DJL's OnnxRuntime engine. Inference
 * only: the stages that need gradients use a DJL or TorchScript encoder.
 */
public final class OnnxIdentityEncoder extends BatchedEncoder {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxIdentityEncoder.class);
  private final Model model;
  private final Predictor<NDList, NDList> predictor;
  private final int dimension;

  /**
   * Loads an ONNX model whose first output is [B,d] features for [B,3,S,S] input. A model exported
   * with a fixed batch dimension (often 1) is fed batches of that size whatever {@code batchSize}
   * asks; a fixed image size other than the layout's is refused.
   */
  public OnnxIdentityEncoder(String file, TensorLayout layout, int batchSize, Device device) {
    this(ModelFiles.load(file, "OnnxRuntime", "ONNX", device, null), file, layout, batchSize);
    // Said once here instead of DJL's per-load warning that a CPU-only OnnxRuntime has no CUDA
    // provider.
    LOG.info(
        "{}: OnnxRuntime on {} with the {} execution provider",
        file,
        device,
        device.isGpu() ? "CUDA" : "CPU");
  }

  private OnnxIdentityEncoder(Model model, String file, TensorLayout layout, int batchSize) {
    this(model, layout, acceptedBatch(model, file, layout, batchSize));
  }

  private OnnxIdentityEncoder(Model model, TensorLayout layout, Batch batch) {
    super(layout, batch.size(), batch.fixed());
    this.model = model;
    predictor = model.newPredictor(new NoopTranslator());
    try (NDManager probe = model.getNDManager().newSubManager()) {
      dimension =
          (int)
              features(probe.zeros(new Shape(batch.size(), 3, layout.size(), layout.size())))
                  .getShape()
                  .get(1);
    }
  }

  /**
   * The batch size the model takes: {@code requested}, or the model's own when its input fixes one
   * (a negative or zero dimension is dynamic).
   */
  private static Batch acceptedBatch(Model model, String file, TensorLayout layout, int requested) {
    long[] shape = inputShape(model, file);
    if (shape == null) {
      return new Batch(requested, false);
    }
    if (shape.length != 4) {
      model.close();
      throw new IllegalArgumentException(
          file
              + ": the model's input has shape "
              + Arrays.toString(shape)
              + "; an encoder takes [batch, 3, size, size]");
    }
    for (int axis = 2; axis < 4; axis++) {
      if (shape[axis] > 0 && shape[axis] != layout.size()) {
        model.close();
        throw new IllegalArgumentException(
            file
                + ": the model takes "
                + shape[2]
                + "x"
                + shape[3]
                + " images and encoder.input-size is "
                + layout.size()
                + "; set encoder.input-size = "
                + shape[axis]);
      }
    }
    long fixed = shape[0];
    if (fixed > 0) {
      if (fixed != requested) {
        LOG.info(
            "{}: the model's input has a fixed batch of {}; embedding {} image(s) per call instead"
                + " of {}",
            file,
            fixed,
            fixed,
            requested);
      }
      return new Batch((int) fixed, true);
    }
    return new Batch(requested, false);
  }

  /**
   * The model's first input shape as OnnxRuntime declares it (−1 for a dynamic axis), read from the
   * file's metadata (DJL's block leaves the shapes out), or null when it cannot be read.
   */
  private static long[] inputShape(Model model, String file) {
    Path path =
        Files.isRegularFile(Path.of(file))
            ? Path.of(file)
            : model.getModelPath().resolve(model.getName() + ".onnx");
    // A second session only for the metadata: unoptimised, so it costs a parse, not a compile.
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      try (OrtSession session =
          OrtEnvironment.getEnvironment().createSession(path.toString(), options)) {
        Iterator<NodeInfo> inputs = session.getInputInfo().values().iterator();
        return inputs.hasNext() && inputs.next().getInfo() instanceof TensorInfo t
            ? t.getShape()
            : null;
      }
    } catch (OrtException e) {
      return null;
    }
  }

  /** Images per call, and whether the model takes no other number. */
  private record Batch(int size, boolean fixed) {}

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
