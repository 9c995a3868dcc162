package org.cemiface.training.optim;

import com.google.gson.JsonObject;

/**
 * Dynamic loss scaling for float16 training (as PyTorch's GradScaler): the loss is multiplied by
 * the scale before backward so small gradients survive float16, and the float32 gradients are
 * divided by it before the update. A step whose gradients overflowed is skipped and halves the
 * scale; every {@code growthInterval} clean steps in a row double it. Its state goes into each
 * checkpoint, so a resumed run scales exactly as an uninterrupted one.
 */
public final class LossScaler {
  /** Below this the scale no longer helps; an overflow there is a real non-finite gradient. */
  public static final double MIN_SCALE = 1.0;

  /** Above this a float16 gradient of any useful size overflows. */
  public static final double MAX_SCALE = 4_294_967_296.0;

  private final boolean enabled;
  private final int growthInterval;
  private double scale;
  private int cleanSteps;

  private LossScaler(boolean enabled, double initialScale, int growthInterval) {
    this.enabled = enabled;
    this.scale = enabled ? initialScale : 1.0;
    this.growthInterval = growthInterval;
  }

  /**
   * A scaler starting at {@code initialScale}, doubling after {@code growthInterval} clean steps.
   */
  public static LossScaler dynamic(double initialScale, int growthInterval) {
    if (!(initialScale >= MIN_SCALE && initialScale <= MAX_SCALE) || growthInterval < 1) {
      throw new IllegalArgumentException(
          "loss scale "
              + initialScale
              + " must be in ["
              + MIN_SCALE
              + ", "
              + MAX_SCALE
              + "] and growth interval "
              + growthInterval
              + " at least 1");
    }
    return new LossScaler(true, initialScale, growthInterval);
  }

  /** A scaler that always scales by 1 (float32 training needs none). */
  public static LossScaler none() {
    return new LossScaler(false, 1.0, 1);
  }

  /** Whether this scaler scales at all. */
  public boolean enabled() {
    return enabled;
  }

  /** The factor the loss is multiplied by now. */
  public double scale() {
    return scale;
  }

  /**
   * Records a step's outcome: {@code finite} false halves the scale (down to {@link #MIN_SCALE});
   * true counts a clean step and doubles the scale after {@code growthInterval} of them in a row.
   * Returns whether the update may be applied.
   */
  public boolean update(boolean finite) {
    if (!enabled) {
      return finite;
    }
    if (!finite) {
      scale = Math.max(MIN_SCALE, scale / 2);
      cleanSteps = 0;
      return false;
    }
    if (++cleanSteps >= growthInterval) {
      scale = Math.min(MAX_SCALE, scale * 2);
      cleanSteps = 0;
    }
    return true;
  }

  /**
   * Whether an overflow now would be the scaler's to absorb (false at the floor, where it is a real
   * failure).
   */
  public boolean canBackOff() {
    return enabled && scale > MIN_SCALE;
  }

  /** Writes the scale and the clean-step count into {@code state}. */
  public void save(JsonObject state) {
    if (enabled) {
      state.addProperty("loss_scale", scale);
      state.addProperty("loss_scale_clean_steps", cleanSteps);
    }
  }

  /** Restores what {@link #save} wrote; a checkpoint from a float32 run keeps the initial scale. */
  public void restore(JsonObject state) {
    if (enabled && state.has("loss_scale")) {
      scale = state.get("loss_scale").getAsDouble();
      cleanSteps = state.get("loss_scale_clean_steps").getAsInt();
    }
  }
}
