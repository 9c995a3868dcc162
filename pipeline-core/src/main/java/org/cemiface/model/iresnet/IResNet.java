package org.cemiface.model.iresnet;

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
import java.util.ArrayList;
import java.util.List;
import org.cemiface.nn.ChannelPRelu;
import org.cemiface.nn.Layers;
import org.cemiface.nn.ModuleGroup;
import org.cemiface.nn.TorchBatchNorm;

/**
 * The IResNet face-recognition backbone exactly as AdaFace's net.py (parameter paths equal its
 * state-dict keys without the Lightning "model." prefix). Input: [B,3,S,S] normalised images.
 * Outputs: the L2-normalised embedding [B,D], its norm [B,1], and the last stage's feature map
 * [B,C,S/16,S/16] (DCFace's spatial tokens).
 */
public final class IResNet extends AbstractBlock {
  private final IResNetConfig config;
  private final Conv2d stemConv;
  private final TorchBatchNorm stemNorm;
  private final ChannelPRelu stemAct;
  private final List<BasicBlockIR> body = new ArrayList<>();
  private final TorchBatchNorm headNorm;
  private final Linear headLinear;
  private final TorchBatchNorm headFeatureNorm;

  /** Builds the network described by {@code config}. */
  public IResNet(IResNetConfig config) {
    this.config = config;
    ModuleGroup input = addChildBlock("input_layer", new ModuleGroup());
    stemConv = input.add("0", Layers.conv2d(config.stemChannels(), 3, 1, 1, false));
    stemNorm = input.add("1", new TorchBatchNorm(config.stemChannels(), true));
    stemAct = input.add("2", new ChannelPRelu(config.stemChannels()));
    ModuleGroup units = addChildBlock("body", new ModuleGroup());
    int in = config.stemChannels();
    for (int stage = 0; stage < 4; stage++) {
      int depth = config.stageChannels()[stage];
      for (int u = 0; u < config.units()[stage]; u++) {
        BasicBlockIR block =
            new BasicBlockIR(u == 0 ? in : depth, depth, u == 0 ? 2 : 1, config.squeezeExcite());
        body.add(units.add(String.valueOf(body.size()), block));
      }
      in = depth;
    }
    ModuleGroup output = addChildBlock("output_layer", new ModuleGroup());
    headNorm = output.add("0", new TorchBatchNorm(config.finalChannels(), true));
    headLinear = output.add("3", Layers.linear(config.embeddingSize(), true));
    headFeatureNorm = output.add("4", new TorchBatchNorm(config.embeddingSize(), false));
  }

  /** The configuration this network was built from. */
  public IResNetConfig config() {
    return config;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray h =
        Layers.apply(
            stemAct,
            ps,
            Layers.apply(stemNorm, ps, Layers.apply(stemConv, ps, x, training), training),
            training);
    for (BasicBlockIR block : body) {
      h = Layers.apply(block, ps, h, training);
    }
    NDArray spatial = h;
    NDArray f = Layers.apply(headNorm, ps, h, training);
    if (config.dropout() > 0) {
      f = f.getNDArrayInternal().dropout(f, config.dropout(), training).singletonOrThrow();
    }
    f = f.reshape(f.getShape().get(0), -1);
    f = Layers.apply(headFeatureNorm, ps, Layers.apply(headLinear, ps, f, training), training);
    NDArray norm = f.norm(new int[] {1}, true);
    return new NDList(f.div(norm), norm, spatial);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long b = inputShapes[0].get(0);
    int s = config.finalSize();
    return new Shape[] {
      new Shape(b, config.embeddingSize()),
      new Shape(b, 1),
      new Shape(b, config.finalChannels(), s, s)
    };
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape x = inputShapes[0];
    long b = x.get(0);
    stemConv.initialize(manager, dataType, x);
    Shape stem = new Shape(b, config.stemChannels(), x.get(2), x.get(3));
    stemNorm.initialize(manager, dataType, stem);
    stemAct.initialize(manager, dataType, stem);
    Shape h = stem;
    for (BasicBlockIR block : body) {
      block.initialize(manager, dataType, h);
      h = block.getOutputShapes(new Shape[] {h})[0];
    }
    headNorm.initialize(manager, dataType, h);
    headLinear.initialize(manager, dataType, new Shape(b, h.size() / b));
    headFeatureNorm.initialize(manager, dataType, new Shape(b, config.embeddingSize()));
  }
}
