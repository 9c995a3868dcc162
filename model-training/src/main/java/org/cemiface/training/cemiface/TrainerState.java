package org.cemiface.training.cemiface;

import com.google.gson.JsonObject;
import org.cemiface.training.optim.LossScaler;

/**
 * The trainer's counters at a checkpoint, written as its {@code trainer.json}: the step, the steps
 * the guard skipped (non-finite, or float16 overflow absorbed by the loss scaler), the images the
 * loader skipped, and the loss scaler's state. Every key of that file is spelled here.
 */
public record TrainerState(long step, long nonFiniteSteps, long skippedImages, long overflowSteps) {
  /** A run that has not started. */
  public static TrainerState start() {
    return new TrainerState(0, 0, 0, 0);
  }

  /**
   * trainer.json's content, with {@code scaler}'s state (nothing for float32 runs, which scale by
   * 1).
   */
  public JsonObject toJson(LossScaler scaler) {
    JsonObject o = new JsonObject();
    o.addProperty("non_finite_steps", nonFiniteSteps);
    o.addProperty("skipped_images", skippedImages);
    o.addProperty("overflow_steps", overflowSteps);
    scaler.save(o);
    o.addProperty("step", step);
    return o;
  }

  /**
   * Reads trainer.json's content (from {@code source}, for errors) and restores {@code scaler} from
   * it.
   */
  public static TrainerState fromJson(JsonObject o, String source, LossScaler scaler) {
    for (String key : new String[] {"step", "non_finite_steps", "skipped_images"}) {
      if (!o.has(key)) {
        throw new IllegalStateException(
            source
                + " has no '"
                + key
                + "': the checkpoint is incomplete; delete it to"
                + " resume from the previous one");
      }
    }
    scaler.restore(o);
    // Checkpoints written before float16 training existed have no overflow count.
    long overflow = o.has("overflow_steps") ? o.get("overflow_steps").getAsLong() : 0;
    return new TrainerState(
        o.get("step").getAsLong(),
        o.get("non_finite_steps").getAsLong(),
        o.get("skipped_images").getAsLong(),
        overflow);
  }
}
