package org.cemiface.model.cemiface;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import org.cemiface.nn.Activations;
import org.cemiface.nn.Layers;
import org.cemiface.nn.Tensors;

/**
 * The CemiFace condition: identity token C_id, similarity token C_sim = F1(m) (Linear 1→d),
 * optional spatial tokens (Linear C→d plus a learned position per token), each projected by F2
 * (Linear d→2·C_att) into the cross-attention key/value tensor [B, 2·C_att, L]. Optionally also a
 * term for the time embedding: the identity (the DCFace variant) and/or SiLU(F1(m)), each through a
 * Linear, summed. With {@code identityScaledByM} the identity enters both paths as m·C_id. A term
 * there reaches every residual block's scale and shift, a far stronger path than one attention
 * level (docs/training.md has the measurements). Inputs: (id [B,d], m [B,1], spatial [B,C,s,s]?).
 * Outputs: (kv, timeTerm?).
 */
public final class CemiFaceCondition extends AbstractBlock {
  private final CemiFaceConfig config;
  private final Linear simEmbed;
  private final Linear kvProj;
  private final Linear spatialProj;
  private final Parameter spatialPos;
  private final Linear idTime;
  private final Linear simTime;

  /** Builds the condition for {@code config}. */
  public CemiFaceCondition(CemiFaceConfig config) {
    this.config = config;
    simEmbed = addChildBlock("sim_embed", Layers.linear(config.identityDim(), true));
    kvProj = addChildBlock("kv_proj", Layers.linear(2L * config.unet().attentionChannels(), true));
    if (config.spatialTokens()) {
      spatialProj = addChildBlock("spatial_proj", Layers.linear(config.identityDim(), true));
      spatialPos =
          addParameter(
              Parameter.builder()
                  .setName("spatial_pos")
                  .setType(Parameter.Type.WEIGHT)
                  .optShape(
                      new Shape(config.spatialSize() * config.spatialSize(), config.identityDim()))
                  .optInitializer(new NormalInitializer(0.02f))
                  .build());
    } else {
      spatialProj = null;
      spatialPos = null;
    }
    idTime =
        config.identityInTime()
            ? addChildBlock("id_time", Layers.linear(config.unet().timeEmbedDim(), true))
            : null;
    simTime =
        config.similarityInTime()
            ? addChildBlock("sim_time", Layers.linear(config.unet().timeEmbedDim(), true))
            : null;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray id = inputs.get(0);
    NDArray m = inputs.get(1).reshape(-1, 1);
    long b = id.getShape().get(0);
    NDArray simToken = Layers.apply(simEmbed, ps, m, training);
    NDArray identity = config.identityScaledByM() ? id.mul(m) : id;
    NDArray tokens = identity.expandDims(1).concat(simToken.expandDims(1), 1);
    if (spatialProj != null) {
      NDArray spatial = inputs.get(2);
      NDArray flat = spatial.reshape(b, spatial.getShape().get(1), -1).transpose(0, 2, 1);
      NDArray pos =
          Tensors.viewLike(
              ps.getValue(spatialPos, id.getDevice(), training),
              new Shape(1, config.spatialSize() * config.spatialSize(), config.identityDim()),
              id);
      tokens = tokens.concat(Layers.apply(spatialProj, ps, flat, training).add(pos), 1);
    }
    NDArray kv = Layers.apply(kvProj, ps, tokens, training).transpose(0, 2, 1);
    NDList out = new NDList(kv);
    NDArray timeTerm = idTime == null ? null : Layers.apply(idTime, ps, identity, training);
    if (simTime != null) {
      NDArray simTerm = Layers.apply(simTime, ps, Activations.silu(simToken), training);
      timeTerm = timeTerm == null ? simTerm : timeTerm.add(simTerm);
    }
    if (timeTerm != null) {
      out.add(timeTerm);
    }
    return out;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    long b = inputShapes[0].get(0);
    Shape kv = new Shape(b, 2L * config.unet().attentionChannels(), config.tokens());
    return !config.conditionInTime()
        ? new Shape[] {kv}
        : new Shape[] {kv, new Shape(b, config.unet().timeEmbedDim())};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long b = inputShapes[0].get(0);
    int d = config.identityDim();
    simEmbed.initialize(manager, dataType, new Shape(b, 1));
    kvProj.initialize(manager, dataType, new Shape(b, config.tokens(), d));
    if (spatialProj != null) {
      spatialProj.initialize(
          manager,
          dataType,
          new Shape(
              b, (long) config.spatialSize() * config.spatialSize(), config.spatialChannels()));
    }
    if (idTime != null) {
      idTime.initialize(manager, dataType, new Shape(b, d));
    }
    if (simTime != null) {
      simTime.initialize(manager, dataType, new Shape(b, d));
    }
  }
}
