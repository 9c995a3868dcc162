package org.cemiface.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * A named group of sub-blocks whose owner drives their forward passes, mirroring a PyTorch {@code
 * nn.Sequential}/{@code nn.ModuleList} so parameter paths match PyTorch state-dict keys (e.g.
 * {@code in_layers.2.weight}). It has no forward of its own.
 */
public final class ModuleGroup extends AbstractBlock {
  private final Map<String, Block> byName = new HashMap<>();

  /** Adds {@code block} under the PyTorch module name {@code name} (often an index such as "0"). */
  public <B extends Block> B add(String name, B block) {
    byName.put(name, addChildBlock(name, block));
    return block;
  }

  /** The child added under {@code name}. */
  @SuppressWarnings("unchecked")
  public <B extends Block> B get(String name) {
    Block b = byName.get(name);
    if (b == null) {
      throw new IllegalArgumentException(
          "no module '" + name + "' in this group; have " + byName.keySet());
    }
    return (B) b;
  }

  /** Whether a child named {@code name} exists. */
  public boolean has(String name) {
    return byName.containsKey(name);
  }

  /**
   * A group is never initialised itself (its owner initialises the children), so it records no
   * input shapes.
   */
  @Override
  protected void saveMetadata(DataOutputStream os) {
    // Nothing: the children carry their own metadata.
  }

  @Override
  public void loadMetadata(byte loadVersion, DataInputStream is) {
    // Nothing was written by saveMetadata.
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    throw new UnsupportedOperationException(
        "a ModuleGroup is driven by its owning block, not called directly");
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    throw new UnsupportedOperationException("a ModuleGroup has no output of its own");
  }
}
