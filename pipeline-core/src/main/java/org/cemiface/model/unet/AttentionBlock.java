package org.cemiface.model.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.cemiface.nn.GroupNorm;
import org.cemiface.nn.Layers;
import org.cemiface.nn.Tensors;

/**
 * ADM spatial self-attention with "legacy" head-major q|k|v, optionally extended by
 * cross-attention: a condition tensor [B, 2·heads·ch, L] supplies per head ch key and ch value
 * channels that are placed in front of the self keys and values. q and k are each scaled by
 * ch^(-1/4). Inputs: (x [B,C,H,W], cond?). PyTorch keys: norm, qkv, proj_out.
 */
public final class AttentionBlock extends AbstractBlock {
  private final int channels;
  private final int heads;
  private final GroupNorm norm;
  private final Conv1d qkv;
  private final Conv1d projOut;

  /** Attention over {@code channels} with {@code heads} heads. */
  public AttentionBlock(int channels, int heads) {
    if (channels % heads != 0) {
      throw new IllegalArgumentException(
          channels + " channels cannot be split into " + heads + " heads");
    }
    this.channels = channels;
    this.heads = heads;
    norm = addChildBlock("norm", GroupNorm.adm(channels));
    qkv = addChildBlock("qkv", Layers.conv1x1(3 * channels));
    projOut = addChildBlock("proj_out", Layers.zeroInit(Layers.conv1x1(channels)));
  }

  /** Heads of this block. */
  public int heads() {
    return heads;
  }

  /** Channels of this block; cross-attention conditions need 2 × this many channels. */
  public int channels() {
    return channels;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    Shape shape = x.getShape();
    long b = shape.get(0);
    long t = shape.size() / b / channels;
    int ch = channels / heads;
    NDArray flat = x.reshape(b, channels, t);
    NDArray qkvOut = Layers.apply(qkv, ps, Layers.apply(norm, ps, flat, training), training);
    NDList parts = qkvOut.reshape(b * heads, 3L * ch, t).split(3, 1);
    NDArray q = parts.get(0);
    NDArray k = parts.get(1);
    NDArray v = parts.get(2);
    if (inputs.size() > 1 && inputs.get(1) != null) {
      NDArray cond = inputs.get(1);
      if (cond.getShape().get(1) != 2L * channels) {
        throw new IllegalArgumentException(
            "cross-attention condition has "
                + cond.getShape().get(1)
                + " channels, this block needs 2 x "
                + channels);
      }
      NDList kv = cond.reshape(b * heads, 2L * ch, -1).split(2, 1);
      k = kv.get(0).concat(k, 2);
      v = kv.get(1).concat(v, 2);
    }
    double scale = 1.0 / Math.sqrt(Math.sqrt(ch));
    NDArray weight = Tensors.times(q, scale).transpose(0, 2, 1).matMul(Tensors.times(k, scale));
    // Softmax in float32, as guided-diffusion does under fp16: exp overflows float16 for logits
    // above ~11.
    weight = Tensors.cast(Tensors.cast(weight, DataType.FLOAT32).softmax(-1), weight.getDataType());
    NDArray a = v.matMul(weight.transpose(0, 2, 1)).reshape(b, channels, t);
    NDArray h = Layers.apply(projOut, ps, a, training);
    return new NDList(flat.add(h).reshape(shape));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape x = inputShapes[0];
    Shape flat = new Shape(x.get(0), channels, x.size() / x.get(0) / channels);
    norm.initialize(manager, dataType, flat);
    qkv.initialize(manager, dataType, flat);
    projOut.initialize(manager, dataType, flat);
  }
}
