package org.cemiface.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.cemiface.nn.TorchNames;

/** Copies state-dict tensors into an initialised DJL block by PyTorch key. */
public final class WeightImporter {
  /** Buffers PyTorch keeps that have no counterpart here. */
  private static final String IGNORED_SUFFIX = "num_batches_tracked";

  private WeightImporter() {}

  /**
   * Loads {@code tensors} into {@code block}. In strict mode any missing, unexpected or mis-shaped
   * key is an error listing them all; otherwise matching keys are loaded and the report says what
   * was not.
   */
  public static MappingReport load(
      Block block, Map<String, TensorData> tensors, boolean strict, String source) {
    Map<String, Parameter> params = TorchNames.parameters(block);
    List<String> loaded = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    List<String> mismatched = new ArrayList<>();
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      TensorData t = tensors.get(e.getKey());
      if (t == null) {
        missing.add(e.getKey());
        continue;
      }
      Shape expected = e.getValue().getArray().getShape();
      if (!Arrays.equals(expected.getShape(), t.shape())) {
        mismatched.add(e.getKey() + " " + t.shapeText() + " vs " + expected);
      }
    }
    for (String key : tensors.keySet()) {
      if (!params.containsKey(key) && !key.endsWith(IGNORED_SUFFIX)) {
        unexpected.add(key);
      }
    }
    MappingReport report;
    if (strict && !(missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty())) {
      report = new MappingReport(List.of(), missing, unexpected, mismatched);
      throw new IllegalArgumentException(
          source
              + " does not match the network: "
              + report.describe()
              + ". Check the architecture and the key prefix, or import non-strictly.");
    }
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      TensorData t = tensors.get(e.getKey());
      if (t != null && Arrays.equals(e.getValue().getArray().getShape().getShape(), t.shape())) {
        copyInto(e.getValue().getArray(), t.data());
        loaded.add(e.getKey());
      }
    }
    return new MappingReport(loaded, missing, unexpected, mismatched);
  }

  /** Copies values into the existing torch tensor (PyTorch owns the result, so nothing dangles). */
  static void copyInto(NDArray target, float[] values) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * 4).order(ByteOrder.nativeOrder());
    buffer.asFloatBuffer().put(values);
    target.set(buffer);
  }
}
