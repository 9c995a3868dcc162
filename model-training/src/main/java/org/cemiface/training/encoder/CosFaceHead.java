package org.cemiface.training.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import org.cemiface.nn.Tensors;

/**
 * Margin softmax head: logits = s·(cos θ_j − m·[j = y]) (CosFace) or s·cos(θ_y + m) at the target
 * (ArcFace), with cos θ between the L2-normalised embedding and L2-normalised class centres.
 * Inputs: (embedding [B,d], one-hot target [B,C]). Output: logits [B,C]. Parameter: kernel [C,d].
 */
public final class CosFaceHead extends AbstractBlock {
  private final int classes;
  private final double scale;
  private final double margin;
  private final boolean arcface;
  private final Parameter kernel;

  /** A head over {@code classes} identities. */
  public CosFaceHead(int classes, int dimension, double scale, double margin, boolean arcface) {
    this.classes = classes;
    this.scale = scale;
    this.margin = margin;
    this.arcface = arcface;
    kernel =
        addParameter(
            Parameter.builder()
                .setName("kernel")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(classes, dimension))
                .optInitializer(new NormalInitializer(0.01f))
                .build());
  }

  /** cos θ between each embedding and each class centre, [B,C]. */
  public NDArray cosine(ParameterStore ps, NDArray emb, boolean training) {
    NDArray w = ps.getValue(kernel, emb.getDevice(), training);
    NDArray wn = w.div(w.norm(new int[] {1}, true));
    NDArray en = emb.div(emb.norm(new int[] {1}, true));
    return en.matMul(wn.transpose());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray target = inputs.get(1);
    NDArray cos = cosine(ps, inputs.get(0), training);
    NDArray adjusted;
    if (arcface) {
      NDArray sin = Tensors.plus(cos.square().neg(), 1).clip(1e-7, 1).sqrt();
      NDArray cosMargin =
          Tensors.times(cos, Math.cos(margin)).sub(Tensors.times(sin, Math.sin(margin)));
      adjusted = cos.add(cosMargin.sub(cos).mul(target));
    } else {
      adjusted = cos.sub(Tensors.times(target, margin));
    }
    return new NDList(Tensors.times(adjusted, scale));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), classes)};
  }
}
