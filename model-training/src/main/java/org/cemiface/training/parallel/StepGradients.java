package org.cemiface.training.parallel;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import java.util.function.Supplier;

/**
 * The gradient collector a shard's backward runs under. DJL's PyTorch engine allows one open
 * collector in a JVM at a time, so when the shards of one step run at once they share the collector
 * their caller opened ({@link #sharing}); otherwise each opens its own. Backward passes of
 * different shards touch disjoint graphs (each device has its own replica), which PyTorch's
 * autograd runs from several threads.
 */
public final class StepGradients {
  private static volatile GradientCollector shared;

  private StepGradients() {}

  /** The collector for one shard's backward; close it when the shard is done. */
  public static GradientCollector open() {
    GradientCollector s = shared;
    return s != null ? new Borrowed(s) : Engine.getInstance().newGradientCollector();
  }

  /** Runs {@code body} with one collector shared by every {@link #open()} inside it. */
  static <T> T sharing(Supplier<T> body) {
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      shared = collector;
      try {
        return body.get();
      } finally {
        shared = null;
      }
    }
  }

  /** The shared collector, closed by its owner, not by the shard that borrowed it. */
  private record Borrowed(GradientCollector owner) implements GradientCollector {
    @Override
    public void backward(NDArray target) {
      owner.backward(target);
    }

    @Override
    public void zeroGradients() {
      owner.zeroGradients();
    }

    @Override
    public void close() {
      // The owner closes it once every shard is done.
    }
  }
}
