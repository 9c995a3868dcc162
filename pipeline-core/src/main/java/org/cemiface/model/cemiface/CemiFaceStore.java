package org.cemiface.model.cemiface;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import org.apache.hadoop.fs.Path;
import org.cemiface.checkpoint.ModelCard;
import org.cemiface.checkpoint.ModelStore;
import org.cemiface.nn.TorchNames;

/** Saves and restores {@link CemiFaceUNet}s with their model cards. */
public final class CemiFaceStore {
  /** Architecture name written into cards. */
  public static final String ARCHITECTURE = "cemiface-unet";

  private CemiFaceStore() {}

  /** Shapes to initialise a model of {@code config} with (batch 1). */
  public static Shape[] inputShapes(CemiFaceConfig config) {
    int s = config.unet().imageSize();
    Shape x = new Shape(1, 3, s, s);
    Shape t = new Shape(1);
    Shape id = new Shape(1, config.identityDim());
    Shape m = new Shape(1);
    return config.spatialTokens()
        ? new Shape[] {
          x,
          t,
          id,
          m,
          new Shape(1, config.spatialChannels(), config.spatialSize(), config.spatialSize())
        }
        : new Shape[] {x, t, id, m};
  }

  /** A new, initialised model. */
  public static CemiFaceUNet create(CemiFaceConfig config, NDManager manager) {
    CemiFaceUNet model = new CemiFaceUNet(config);
    model.initialize(manager, DataType.FLOAT32, inputShapes(config));
    return model;
  }

  /** Saves {@code model} as {@code dir/name.{params,json}}. */
  public static void save(CemiFaceUNet model, Path dir, String name, String source) {
    JsonObject config = new Gson().toJsonTree(model.config()).getAsJsonObject();
    ModelStore.save(
        model,
        dir,
        name,
        ModelCard.of(ARCHITECTURE, config, TorchNames.count(model, false), source));
  }

  /** Loads {@code dir/name}, building the network its card describes. */
  public static CemiFaceUNet load(Path dir, String name, NDManager manager) {
    ModelCard card = ModelStore.card(dir, name);
    if (!card.architecture().equals(ARCHITECTURE)) {
      throw new IllegalArgumentException(
          new Path(dir, name + ModelStore.CARD_SUFFIX)
              + " describes a "
              + card.architecture()
              + ", not a "
              + ARCHITECTURE);
    }
    CemiFaceUNet model =
        ModelStore.build(
            dir,
            name,
            () -> create(new Gson().fromJson(card.config(), CemiFaceConfig.class), manager));
    ModelStore.loadParameters(model, manager, dir, name);
    return model;
  }
}
