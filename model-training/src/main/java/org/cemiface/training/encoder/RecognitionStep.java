package org.cemiface.training.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.cemiface.image.RgbImage;
import org.cemiface.image.TensorLayout;
import org.cemiface.model.iresnet.IResNet;
import org.cemiface.nn.CastingParameterStore;
import org.cemiface.nn.Precision;
import org.cemiface.nn.Tensors;
import org.cemiface.training.parallel.StepGradients;

/**
 * Forward and backward of one shard of a face-recognition batch on one device: the network at the
 * configured precision, the margin head and the cross-entropy (plus the spread-out term) in
 * float32, gradients accumulated into the float32 weights.
 */
final class RecognitionStep {
  private final IResNet net;
  private final CosFaceHead head;
  private final TensorLayout layout;
  private final int classes;
  private final double spreadOut;
  private final Precision precision;

  /** What one shard's forward pass measured. */
  record Result(double loss, int correct) {}

  RecognitionStep(
      IResNet net,
      CosFaceHead head,
      TensorLayout layout,
      int classes,
      double spreadOut,
      Precision precision) {
    this.net = net;
    this.head = head;
    this.layout = layout;
    this.classes = classes;
    this.spreadOut = spreadOut;
    this.precision = precision;
  }

  /**
   * Runs the shard and back-propagates its loss times {@code gradientWeight} (its share of the
   * batch times the loss scale). Returns the shard's mean loss, unweighted, and its correctly
   * classified images.
   */
  Result run(
      List<RgbImage> images,
      int[] labels,
      double gradientWeight,
      ParameterStore ps,
      NDManager scope) {
    int n = images.size();
    float[] x = new float[n * layout.imageLength()];
    for (int i = 0; i < n; i++) {
      layout.writeChw(images.get(i), x, i * layout.imageLength());
    }
    NDArray input = Tensors.floats(scope, x, new Shape(n, 3, layout.size(), layout.size()));
    NDArray target = Tensors.floats(scope, oneHot(labels), new Shape(n, classes));
    try (GradientCollector gc = StepGradients.open()) {
      NDArray emb = embed(input, ps, scope);
      NDArray logits = head.forward(ps, new NDList(emb, target), true).singletonOrThrow();
      NDArray ce = logits.logSoftmax(1).mul(target).sum(new int[] {1}).mean().neg();
      NDArray total =
          spreadOut > 0 ? ce.add(Tensors.times(SpreadOut.loss(emb, labels, scope), spreadOut)) : ce;
      gc.backward(gradientWeight == 1 ? total : Tensors.times(total, gradientWeight));
      double loss = total.getFloat();
      int[] predicted =
          head.cosine(ps, emb.stopGradient(), false)
              .argMax(1)
              .toType(DataType.INT32, false)
              .toIntArray();
      int correct = 0;
      for (int i = 0; i < n; i++) {
        correct += predicted[i] == labels[i] ? 1 : 0;
      }
      return new Result(loss, correct);
    }
  }

  /** The embedding in float32; below float32 the network runs on cast copies of its weights. */
  private NDArray embed(NDArray input, ParameterStore ps, NDManager scope) {
    if (!precision.reduced()) {
      return net.forward(ps, new NDList(input), true).get(0);
    }
    ParameterStore cast = new CastingParameterStore(scope, precision.dataType());
    NDArray low = Tensors.cast(input, precision.dataType(), scope);
    return Tensors.cast(net.forward(cast, new NDList(low), true).get(0), DataType.FLOAT32, scope);
  }

  private float[] oneHot(int[] labels) {
    float[] out = new float[labels.length * classes];
    for (int i = 0; i < labels.length; i++) {
      out[i * classes + labels[i]] = 1f;
    }
    return out;
  }
}
