package org.cemiface.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.Map;
import org.cemiface.nn.TorchNames;

/**
 * Exponential moving average of a model's weights, kept in a second network of the same
 * architecture (so it can be saved and sampled from like the model). Its decay warms up as {@link
 * EmaSchedule} says.
 */
public final class Ema {
  private final Map<String, Parameter> source;
  private final Map<String, Parameter> target;
  private final EmaSchedule schedule;
  private final NDManager manager;

  /**
   * Tracks {@code model}'s trainable weights in {@code shadow} (same architecture, initialised).
   */
  public Ema(Block model, Block shadow, EmaSchedule schedule, NDManager manager) {
    this.source = NamedParameters.trainable(model);
    this.target = TorchNames.parameters(shadow);
    this.schedule = schedule;
    this.manager = manager;
    copy();
  }

  /** Sets the shadow weights equal to the model's. */
  public void copy() {
    try (NDManager scope = manager.newSubManager()) {
      source.forEach(
          (k, p) -> {
            NDArray t = target.get(k).getArray();
            t.tempAttach(scope);
            t.muli(Optimizer.scalar(t, 0, scope)).addi(p.getArray());
          });
    }
  }

  /** The decay used after {@code updates} updates. */
  public double decay(long updates) {
    return schedule.decay(updates);
  }

  /** shadow = d·shadow + (1 − d)·model. */
  public void update(long updates) {
    double d = decay(updates);
    try (NDManager scope = manager.newSubManager()) {
      source.forEach(
          (k, p) -> {
            NDArray t = target.get(k).getArray();
            NDArray w = p.getArray();
            t.tempAttach(scope);
            w.tempAttach(scope);
            t.muli(Optimizer.scalar(t, d, scope)).addi(w.mul(Optimizer.scalar(t, 1 - d, scope)));
          });
    }
  }
}
