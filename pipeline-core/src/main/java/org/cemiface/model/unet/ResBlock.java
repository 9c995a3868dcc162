package org.cemiface.model.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.cemiface.nn.Activations;
import org.cemiface.nn.GroupNorm;
import org.cemiface.nn.Layers;
import org.cemiface.nn.ModuleGroup;
import org.cemiface.nn.Tensors;

/**
 * The ADM residual block with AdaGN: {@code h = conv(SiLU(GN(x)))}, then {@code h = GN(h)·(1 +
 * scale) + shift} with [scale | shift] from the time embedding, then SiLU, dropout and a
 * zero-initialised convolution; optional nearest ×2 upsampling or 2×2 average pooling inside the
 * block. Inputs: (x [B,C,H,W], emb [B,E]). PyTorch keys: in_layers.{0,2}, emb_layers.1,
 * out_layers.{0,3}, skip_connection.
 */
public final class ResBlock extends AbstractBlock {
  /** Resampling inside the block. */
  public enum Resample {
    NONE,
    UP,
    DOWN
  }

  private final int channels;
  private final int outChannels;
  private final float dropout;
  private final Resample resample;
  private final GroupNorm inNorm;
  private final Conv2d inConv;
  private final Linear embLinear;
  private final GroupNorm outNorm;
  private final Conv2d outConv;
  private final Conv2d skip;

  /** A block from {@code channels} to {@code outChannels} conditioned on an embedding. */
  public ResBlock(int channels, int outChannels, float dropout, Resample resample) {
    this.channels = channels;
    this.outChannels = outChannels;
    this.dropout = dropout;
    this.resample = resample;
    ModuleGroup in = addChildBlock("in_layers", new ModuleGroup());
    inNorm = in.add("0", GroupNorm.adm(channels));
    inConv = in.add("2", Layers.conv2d(outChannels, 3, 1, 1, true));
    ModuleGroup emb = addChildBlock("emb_layers", new ModuleGroup());
    embLinear = emb.add("1", Layers.linear(2L * outChannels, true));
    ModuleGroup out = addChildBlock("out_layers", new ModuleGroup());
    outNorm = out.add("0", GroupNorm.adm(outChannels));
    outConv = out.add("3", Layers.zeroInit(Layers.conv2d(outChannels, 3, 1, 1, true)));
    skip =
        outChannels == channels
            ? null
            : addChildBlock("skip_connection", Layers.conv2d(outChannels, 1, 1, 0, true));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray emb = inputs.get(1);
    NDArray h = Activations.silu(Layers.apply(inNorm, ps, x, training));
    if (resample != Resample.NONE) {
      h = resample(h);
      x = resample(x);
    }
    h = Layers.apply(inConv, ps, h, training);
    NDArray embOut =
        Layers.apply(embLinear, ps, Activations.silu(emb), training).expandDims(2).expandDims(3);
    NDList scaleShift = embOut.split(2, 1);
    h =
        Layers.apply(outNorm, ps, h, training)
            .mul(Tensors.plus(scaleShift.get(0), 1))
            .add(scaleShift.get(1));
    h = Activations.silu(h);
    if (dropout > 0) {
      h = h.getNDArrayInternal().dropout(h, dropout, training).singletonOrThrow();
    }
    h = Layers.apply(outConv, ps, h, training);
    NDArray shortcut = skip == null ? x : Layers.apply(skip, ps, x, training);
    return new NDList(shortcut.add(h));
  }

  private NDArray resample(NDArray x) {
    Shape s = x.getShape();
    if (resample == Resample.UP) {
      return x.getNDArrayInternal()
          .interpolation(new long[] {s.get(2) * 2, s.get(3) * 2}, 0, false);
    }
    return x.getNDArrayInternal()
        .avgPool(new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
  }

  private Shape resampled(Shape x) {
    return switch (resample) {
      case UP -> new Shape(x.get(0), x.get(1), x.get(2) * 2, x.get(3) * 2);
      case DOWN -> new Shape(x.get(0), x.get(1), x.get(2) / 2, x.get(3) / 2);
      case NONE -> x;
    };
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape r = resampled(inputShapes[0]);
    return new Shape[] {new Shape(r.get(0), outChannels, r.get(2), r.get(3))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape x = inputShapes[0];
    Shape r = resampled(x);
    Shape h = new Shape(r.get(0), outChannels, r.get(2), r.get(3));
    inNorm.initialize(manager, dataType, x);
    inConv.initialize(manager, dataType, new Shape(r.get(0), channels, r.get(2), r.get(3)));
    embLinear.initialize(manager, dataType, inputShapes[1]);
    outNorm.initialize(manager, dataType, h);
    outConv.initialize(manager, dataType, h);
    if (skip != null) {
      skip.initialize(manager, dataType, r);
    }
  }
}
