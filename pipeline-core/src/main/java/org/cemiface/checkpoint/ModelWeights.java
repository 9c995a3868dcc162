package org.cemiface.checkpoint;

import java.util.OptionalLong;
import org.apache.hadoop.fs.Path;

/**
 * The network a consumer loads from a model directory of any of this project's layouts: a training
 * run's output (its newest checkpoint), one {@code step-NNNNNNN} checkpoint, or a directory holding
 * a single network such as import-unet's {@code unet}. The preferred weights (usually the EMA) are
 * taken where they exist, the other network otherwise, and {@link #describe} says which.
 */
public record ModelWeights(Path dir, String name, String layout, boolean preferred) {
  /** Locates the weights to load from {@code model}, preferring the network {@code preferred}. */
  public static ModelWeights locate(Path model, String preferred) {
    TrainingRunLayout run = new TrainingRunLayout(model);
    OptionalLong latest = run.latestStep();
    Path dir = latest.isPresent() ? run.dir(latest.getAsLong()) : model;
    boolean unet = ModelStore.exists(dir, TrainingRunLayout.UNET);
    boolean ema = ModelStore.exists(dir, TrainingRunLayout.EMA);
    if (!unet && !ema) {
      throw new IllegalArgumentException(
          model
              + " holds no CemiFace weights ("
              + TrainingRunLayout.EMA
              + ModelStore.PARAMS_SUFFIX
              + " or "
              + TrainingRunLayout.UNET
              + ModelStore.PARAMS_SUFFIX
              + (latest.isPresent() ? " in " + dir : "")
              + "): give a training output, one of its step-NNNNNNN checkpoints or an import-unet"
              + " output");
    }
    String layout =
        latest.isPresent()
            ? "newest checkpoint (step " + latest.getAsLong() + ") of a training output"
            : unet && ema ? "a checkpoint directory" : "a single network (e.g. import-unet's)";
    boolean found = ModelStore.exists(dir, preferred);
    String name = found ? preferred : ema ? TrainingRunLayout.EMA : TrainingRunLayout.UNET;
    return new ModelWeights(dir, name, layout, found);
  }

  /** The weights file. */
  public Path params() {
    return new Path(dir, name + ModelStore.PARAMS_SUFFIX);
  }

  /** One line for logs and summaries: which file, from which layout, and its card's source. */
  public String describe() {
    String fallback = preferred ? "" : ", the only network there";
    return params() + " (" + layout + fallback + "; " + ModelStore.card(dir, name).source() + ")";
  }
}
