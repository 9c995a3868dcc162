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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.cemiface.nn.Activations;
import org.cemiface.nn.GroupNorm;
import org.cemiface.nn.Layers;
import org.cemiface.nn.ModuleGroup;
import org.cemiface.nn.Tensors;

/**
 * The ADM / guided-diffusion UNet as DCFace builds it (resblock up/down sampling, scale-shift norm,
 * attention with cross-attention keys and values). Parameter paths equal guided-diffusion
 * state-dict keys.
 *
 * <p>Inputs: (x [B,C,H,W], t [B], cond [B, 2·attentionChannels, L] or absent, extraEmb [B, 4·model
 * channels] or absent). The extra embedding is added to the time embedding (DCFace's "stylemod";
 * CemiFace leaves it out). Output: [B, outChannels, H, W].
 */
public final class UNet extends AbstractBlock {
  private final UNetConfig config;
  private final Linear time0;
  private final Linear time2;
  private final List<TimestepSequence> inputBlocks = new ArrayList<>();
  private final TimestepSequence middle;
  private final List<TimestepSequence> outputBlocks = new ArrayList<>();
  private final GroupNorm outNorm;
  private final Conv2d outConv;

  /** Builds the network described by {@code config}. */
  public UNet(UNetConfig config) {
    this.config = config;
    int mc = config.modelChannels();
    int[] mult = config.channelMult();
    float dropout = config.dropout();
    ModuleGroup timeEmbed = addChildBlock("time_embed", new ModuleGroup());
    time0 = timeEmbed.add("0", Layers.linear(config.timeEmbedDim(), true));
    time2 = timeEmbed.add("2", Layers.linear(config.timeEmbedDim(), true));

    ModuleGroup inputs = addChildBlock("input_blocks", new ModuleGroup());
    int ch = mult[0] * mc;
    addInput(inputs, new TimestepSequence().add(Layers.conv2d(ch, 3, 1, 1, true)));
    Deque<Integer> skipChannels = new ArrayDeque<>();
    skipChannels.push(ch);
    List<Boolean> halved = new ArrayList<>();
    int ds = 1;
    int resolution = config.imageSize();
    for (int level = 0; level < mult.length; level++) {
      for (int r = 0; r < config.numResBlocks(); r++) {
        TimestepSequence seq =
            new TimestepSequence()
                .add(new ResBlock(ch, mult[level] * mc, dropout, ResBlock.Resample.NONE));
        ch = mult[level] * mc;
        if (config.attentionDs().contains(ds)) {
          seq.add(new AttentionBlock(ch, config.headsFor(ch)));
        }
        addInput(inputs, seq);
        skipChannels.push(ch);
      }
      if (level != mult.length - 1) {
        // An odd resolution cannot be halved: the level keeps its block without resampling (DCFace
        // at 7x7).
        boolean halve = resolution % 2 == 0;
        halved.add(halve);
        addInput(
            inputs,
            new TimestepSequence()
                .add(
                    new ResBlock(
                        ch, ch, dropout, halve ? ResBlock.Resample.DOWN : ResBlock.Resample.NONE)));
        skipChannels.push(ch);
        ds *= 2;
        resolution = halve ? resolution / 2 : resolution;
      }
    }

    middle =
        addChildBlock(
            "middle_block",
            new TimestepSequence()
                .add(new ResBlock(ch, ch, dropout, ResBlock.Resample.NONE))
                .add(new AttentionBlock(ch, config.headsFor(ch)))
                .add(new ResBlock(ch, ch, dropout, ResBlock.Resample.NONE)));

    ModuleGroup outputs = addChildBlock("output_blocks", new ModuleGroup());
    for (int level = mult.length - 1; level >= 0; level--) {
      for (int i = 0; i <= config.numResBlocks(); i++) {
        int skipCh = skipChannels.pop();
        TimestepSequence seq =
            new TimestepSequence()
                .add(new ResBlock(ch + skipCh, mult[level] * mc, dropout, ResBlock.Resample.NONE));
        ch = mult[level] * mc;
        if (config.attentionDs().contains(ds)) {
          seq.add(new AttentionBlock(ch, config.headsFor(ch)));
        }
        if (level > 0 && i == config.numResBlocks()) {
          boolean wasHalved = halved.get(level - 1);
          seq.add(
              new ResBlock(
                  ch, ch, dropout, wasHalved ? ResBlock.Resample.UP : ResBlock.Resample.NONE));
          ds /= 2;
        }
        outputs.add(String.valueOf(outputBlocks.size()), seq);
        outputBlocks.add(seq);
      }
    }
    ModuleGroup out = addChildBlock("out", new ModuleGroup());
    outNorm = out.add("0", GroupNorm.adm(ch));
    outConv = out.add("2", Layers.zeroInit(Layers.conv2d(config.outChannels(), 3, 1, 1, true)));
  }

  private void addInput(ModuleGroup inputs, TimestepSequence seq) {
    inputs.add(String.valueOf(inputBlocks.size()), seq);
    inputBlocks.add(seq);
  }

  /** The configuration this network was built from. */
  public UNetConfig config() {
    return config;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.get(0);
    NDArray t = inputs.get(1);
    NDArray cond = inputs.size() > 2 ? inputs.get(2) : null;
    // The sinusoid is computed in float32 (float16 cannot resolve t·freq near t = 1000), then runs
    // at x's precision.
    NDArray emb =
        Tensors.cast(TimestepEmbedding.sinusoid(t, config.modelChannels()), x.getDataType());
    emb =
        Layers.apply(time2, ps, Activations.silu(Layers.apply(time0, ps, emb, training)), training);
    if (inputs.size() > 3 && inputs.get(3) != null) {
      emb = emb.add(inputs.get(3));
    }
    Deque<NDArray> skips = new ArrayDeque<>();
    NDArray h = x;
    for (TimestepSequence block : inputBlocks) {
      h = run(block, ps, h, emb, cond, training);
      skips.push(h);
    }
    h = run(middle, ps, h, emb, cond, training);
    for (TimestepSequence block : outputBlocks) {
      h = run(block, ps, h.concat(skips.pop(), 1), emb, cond, training);
    }
    h = Activations.silu(Layers.apply(outNorm, ps, h, training));
    return new NDList(Layers.apply(outConv, ps, h, training));
  }

  private static NDArray run(
      TimestepSequence block,
      ParameterStore ps,
      NDArray h,
      NDArray emb,
      NDArray cond,
      boolean training) {
    NDList in = cond == null ? new NDList(h, emb) : new NDList(h, emb, cond);
    return block.forward(ps, in, training).singletonOrThrow();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape x = inputShapes[0];
    return new Shape[] {new Shape(x.get(0), config.outChannels(), x.get(2), x.get(3))};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape x = inputShapes[0];
    long b = x.get(0);
    Shape emb = new Shape(b, config.timeEmbedDim());
    time0.initialize(manager, dataType, new Shape(b, config.modelChannels()));
    time2.initialize(manager, dataType, emb);
    Deque<Shape> skips = new ArrayDeque<>();
    Shape h = x;
    for (TimestepSequence block : inputBlocks) {
      block.initialize(manager, dataType, h, emb);
      h = block.getOutputShapes(new Shape[] {h, emb})[0];
      skips.push(h);
    }
    middle.initialize(manager, dataType, h, emb);
    h = middle.getOutputShapes(new Shape[] {h, emb})[0];
    for (TimestepSequence block : outputBlocks) {
      Shape skip = skips.pop();
      Shape in = new Shape(b, h.get(1) + skip.get(1), h.get(2), h.get(3));
      block.initialize(manager, dataType, in, emb);
      h = block.getOutputShapes(new Shape[] {in, emb})[0];
    }
    outNorm.initialize(manager, dataType, h);
    outConv.initialize(manager, dataType, h);
  }
}
