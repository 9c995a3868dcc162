package org.cemiface.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import java.util.Map;

/**
 * Global gradient norm, clipping and zeroing, each in its own scope so no wrapper outlives the
 * step.
 */
public final class GradientTools {
  private GradientTools() {}

  /** √(Σ‖g‖²) over all parameters; NaN or ∞ when any gradient is not finite. */
  public static double globalNorm(Map<String, Parameter> params, NDManager scope) {
    double sum = 0;
    for (Parameter p : params.values()) {
      NDArray g = p.getArray().getGradient();
      g.attach(scope);
      double sq = g.square().sum().getFloat();
      sum += sq;
    }
    return Math.sqrt(sum);
  }

  /** Multiplies every gradient by {@code factor}. */
  public static void scale(Map<String, Parameter> params, double factor, NDManager scope) {
    for (Parameter p : params.values()) {
      NDArray g = p.getArray().getGradient();
      g.attach(scope);
      g.muli((float) factor);
    }
  }

  /**
   * Sets every gradient to zero (PyTorch accumulates them across backward passes). A fill, not a
   * multiplication by zero: ∞ · 0 is NaN, and a skipped non-finite step would otherwise poison
   * every later one.
   */
  public static void zero(Map<String, Parameter> params, NDManager scope) {
    for (Parameter p : params.values()) {
      NDArray g = p.getArray().getGradient();
      g.attach(scope);
      g.set(new NDIndex("..."), 0f);
    }
  }
}
