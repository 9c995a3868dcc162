package org.cemiface.model.iresnet;

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
import org.cemiface.nn.ChannelPRelu;
import org.cemiface.nn.Layers;
import org.cemiface.nn.ModuleGroup;
import org.cemiface.nn.TorchBatchNorm;

/**
 * AdaFace's BasicBlockIR: res = BN, conv3×3, BN, PReLU, conv3×3 (stride s), BN [, SE]; shortcut =
 * MaxPool(1, s) when the width is kept, else conv1×1 (stride s) + BN. Keys:
 * res_layer.{0..5}[.se_block], shortcut_layer.{0,1}.
 */
final class BasicBlockIR extends AbstractBlock {
  private final int in;
  private final int depth;
  private final int stride;
  private final List<Block> residual = new ArrayList<>();
  private final ModuleGroup shortcut;

  BasicBlockIR(int in, int depth, int stride, boolean se) {
    this.in = in;
    this.depth = depth;
    this.stride = stride;
    if (in == depth) {
      shortcut = null;
    } else {
      shortcut = addChildBlock("shortcut_layer", new ModuleGroup());
      shortcut.add("0", Layers.conv2d(depth, 1, stride, 0, false));
      shortcut.add("1", new TorchBatchNorm(depth, true));
    }
    ModuleGroup res = addChildBlock("res_layer", new ModuleGroup());
    residual.add(res.add("0", new TorchBatchNorm(in, true)));
    residual.add(res.add("1", Layers.conv2d(depth, 3, 1, 1, false)));
    residual.add(res.add("2", new TorchBatchNorm(depth, true)));
    residual.add(res.add("3", new ChannelPRelu(depth)));
    residual.add(res.add("4", Layers.conv2d(depth, 3, stride, 1, false)));
    residual.add(res.add("5", new TorchBatchNorm(depth, true)));
    if (se) {
      residual.add(res.add("se_block", new SqueezeExcite(depth, 16)));
    }
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    NDArray sc;
    if (shortcut == null) {
      sc =
          stride == 1
              ? x
              : x.getNDArrayInternal()
                  .maxPool(new Shape(1, 1), new Shape(stride, stride), new Shape(0, 0), false);
    } else {
      sc =
          Layers.apply(
              shortcut.get("1"), ps, Layers.apply(shortcut.get("0"), ps, x, training), training);
    }
    NDArray h = x;
    for (Block layer : residual) {
      h = Layers.apply(layer, ps, h, training);
    }
    return new NDList(h.add(sc));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape x = inputShapes[0];
    return new Shape[] {
      new Shape(x.get(0), depth, (x.get(2) - 1) / stride + 1, (x.get(3) - 1) / stride + 1)
    };
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape x = inputShapes[0];
    Shape mid = new Shape(x.get(0), depth, x.get(2), x.get(3));
    Shape out = getOutputShapes(inputShapes)[0];
    if (shortcut != null) {
      shortcut.get("0").initialize(manager, dataType, x);
      shortcut.get("1").initialize(manager, dataType, out);
    }
    Shape[] shapes = {x, x, mid, mid, mid, out, out};
    for (int i = 0; i < residual.size(); i++) {
      residual.get(i).initialize(manager, dataType, shapes[i]);
    }
  }
}
