package org.cemiface.model.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * ADM's TimestepEmbedSequential: runs its layers in order, giving residual blocks the time
 * embedding and attention blocks the cross-attention condition. Inputs: (x, emb, cond?). Children
 * are named "0", "1", …
 */
public final class TimestepSequence extends AbstractBlock {
  private final List<Block> layers = new ArrayList<>();

  /** Appends a layer (a convolution, {@link ResBlock} or {@link AttentionBlock}). */
  public TimestepSequence add(Block layer) {
    layers.add(addChildBlock(String.valueOf(layers.size()), layer));
    return this;
  }

  /** The layers in order. */
  public List<Block> layers() {
    return List.copyOf(layers);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray emb = inputs.get(1);
    NDArray cond = inputs.size() > 2 ? inputs.get(2) : null;
    for (Block layer : layers) {
      NDList in;
      if (layer instanceof ResBlock) {
        in = new NDList(x, emb);
      } else if (layer instanceof AttentionBlock) {
        in = cond == null ? new NDList(x) : new NDList(x, cond);
      } else {
        in = new NDList(x);
      }
      x = layer.forward(ps, in, training).singletonOrThrow();
    }
    return new NDList(x);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape x = inputShapes[0];
    for (Block layer : layers) {
      x = layer.getOutputShapes(shapesFor(layer, x, inputShapes))[0];
    }
    return new Shape[] {x};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape x = inputShapes[0];
    for (Block layer : layers) {
      Shape[] in = shapesFor(layer, x, inputShapes);
      layer.initialize(manager, dataType, in);
      x = layer.getOutputShapes(in)[0];
    }
  }

  private static Shape[] shapesFor(Block layer, Shape x, Shape[] inputShapes) {
    if (layer instanceof ResBlock) {
      return new Shape[] {x, inputShapes[1]};
    }
    return new Shape[] {x};
  }
}
