package org.cemiface.model.cemiface;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.cemiface.model.unet.UNet;
import org.cemiface.nn.CastingParameterStore;
import org.cemiface.nn.Precision;
import org.cemiface.nn.Tensors;

/**
 * ε̂ = UNet(x_t, t, C_id, m): the CemiFace condition feeding the UNet's cross-attention. Inputs:
 * (x_t [B,3,H,W], t [B], id [B,d], m [B], spatial [B,C,s,s]?). Output: ε̂, or v̂ when {@code
 * config.prediction()} says so (turn it into ε̂ with {@link
 * org.cemiface.diffusion.Prediction#epsilon}), [B,3,H,W] (the first three UNet channels). Keys:
 * condition.*, unet.* (the latter are guided-diffusion keys, so DCFace UNet weights import with
 * prefix "unet.").
 */
public final class CemiFaceUNet extends AbstractBlock {
  /**
   * Parameter-name prefix of the UNet trunk (what import-unet loads); every other parameter belongs
   * to the condition path.
   */
  public static final String TRUNK_PREFIX = "unet.";

  private final CemiFaceConfig config;
  private final CemiFaceCondition condition;
  private final UNet unet;

  /** Builds the model for {@code config}. */
  public CemiFaceUNet(CemiFaceConfig config) {
    this.config = config;
    condition = addChildBlock("condition", new CemiFaceCondition(config));
    unet = addChildBlock(TRUNK_PREFIX.replace(".", ""), new UNet(config.unet()));
  }

  /** The UNet trunk (guided-diffusion keys). */
  public UNet unet() {
    return unet;
  }

  /** The condition network (F1, F2 and friends). */
  public CemiFaceCondition condition() {
    return condition;
  }

  /** The configuration. */
  public CemiFaceConfig config() {
    return config;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList condIn =
        config.spatialTokens()
            ? new NDList(inputs.get(2), inputs.get(3), inputs.get(4))
            : new NDList(inputs.get(2), inputs.get(3));
    NDList cond = condition.forward(ps, condIn, training);
    NDList unetIn = new NDList(inputs.get(0), inputs.get(1), cond.get(0));
    if (cond.size() > 1) {
      unetIn.add(cond.get(1));
    }
    NDArray out = unet.forward(ps, unetIn, training).singletonOrThrow();
    return new NDList(config.unet().outChannels() == 3 ? out : out.get(":, 0:3"));
  }

  /**
   * The forward pass at {@code precision}, output in float32. Below float32 the weights come cast
   * from {@code ps} when it is a {@link CastingParameterStore} of that type (shared across calls,
   * e.g. a batch's DDIM steps), else from a new one in {@code scope}; the float32 masters keep the
   * gradients. The floating inputs are cast, except t, whose embedding is computed in float32; the
   * output is cast back differentiably, so losses run in float32.
   */
  public NDArray predict(
      ParameterStore ps, NDList inputs, boolean training, Precision precision, NDManager scope) {
    if (!precision.reduced()) {
      return forward(ps, inputs, training).singletonOrThrow();
    }
    DataType type = precision.dataType();
    NDList cast = new NDList(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      NDArray a = inputs.get(i);
      cast.add(i == 1 || !a.getDataType().isFloating() ? a : Tensors.cast(a, type, scope));
    }
    ParameterStore store =
        ps instanceof CastingParameterStore c && c.compute() == type
            ? ps
            : new CastingParameterStore(scope, type);
    NDArray out = forward(store, cast, training).singletonOrThrow();
    return Tensors.cast(out, DataType.FLOAT32, scope);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape x = inputShapes[0];
    long b = x.get(0);
    Shape[] condShapes =
        config.spatialTokens()
            ? new Shape[] {inputShapes[2], new Shape(b, 1), inputShapes[4]}
            : new Shape[] {inputShapes[2], new Shape(b, 1)};
    condition.initialize(manager, dataType, condShapes);
    Shape kv = condition.getOutputShapes(condShapes)[0];
    unet.initialize(manager, dataType, x, inputShapes[1], kv);
  }
}
