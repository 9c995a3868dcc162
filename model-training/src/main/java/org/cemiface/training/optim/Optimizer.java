package org.cemiface.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.cemiface.nn.Tensors;

/**
 * A first-order optimiser with PyTorch's update rules and state that can be saved and restored
 * exactly. Updates run outside any gradient collector, in place, in a per-step NDManager scope.
 */
public abstract class Optimizer {
  /**
   * How one parameter is updated: its learning rate as a multiple of the step's, and the optimiser
   * steps it sits out at the start. A parameter that sits out keeps its weights and its moments,
   * and counts its own steps from its first update (PyTorch's Adam keeps a step count per
   * parameter), so its bias correction starts then.
   */
  public record Group(double lrScale, long frozenSteps) {
    /** Every step at the full rate. */
    public static final Group DEFAULT = new Group(1, 0);
  }

  private final Map<String, Parameter> params;
  private Function<String, Group> groups = name -> Group.DEFAULT;
  private final Map<String, NDArray[]> state = new LinkedHashMap<>();
  private final NDManager manager;
  private long steps;

  Optimizer(Map<String, Parameter> params, NDManager manager, int buffersPerParam) {
    this.params = params;
    this.manager = manager;
    params.forEach(
        (k, p) -> {
          NDArray[] buffers = new NDArray[buffersPerParam];
          for (int i = 0; i < buffersPerParam; i++) {
            buffers[i] =
                manager.zeros(
                    p.getArray().getShape(), p.getArray().getDataType(), p.getArray().getDevice());
          }
          state.put(k, buffers);
        });
  }

  /** Puts each parameter, by name, into a {@link Group} (default: all at the full rate). */
  public Optimizer groups(Function<String, Group> groups) {
    this.groups = groups;
    return this;
  }

  /** Applies one update with learning rate {@code lr} from the current gradients. */
  public final void step(double lr) {
    steps++;
    try (NDManager scope = manager.newSubManager()) {
      for (Map.Entry<String, Parameter> e : params.entrySet()) {
        Group group = groups.apply(e.getKey());
        if (steps <= group.frozenSteps()) {
          continue;
        }
        NDArray weight = e.getValue().getArray();
        NDArray grad = weight.getGradient();
        grad.attach(scope);
        // Results of ops attach to their first operand's manager: borrow the long-lived arrays into
        // the step
        // scope so every temporary dies with it (they return to their owners when the scope
        // closes).
        weight.tempAttach(scope);
        NDArray[] buffers = state.get(e.getKey());
        for (NDArray b : buffers) {
          b.tempAttach(scope);
        }
        update(weight, grad, buffers, lr * group.lrScale(), steps - group.frozenSteps(), scope);
      }
    }
  }

  /** Updates {@code weight} in place; temporaries must attach to {@code scope}. */
  abstract void update(
      NDArray weight, NDArray grad, NDArray[] buffers, double lr, long step, NDManager scope);

  /** Updates taken so far. */
  public long steps() {
    return steps;
  }

  /**
   * A scalar on {@code like}'s device for in-place arithmetic (no autograd here, but one rule
   * everywhere).
   */
  static NDArray scalar(NDArray like, double v, NDManager scope) {
    NDArray s = Tensors.scalarLike(like, v);
    s.attach(scope);
    return s;
  }

  /** Saves the step count and every buffer. */
  public void save(DataOutputStream out) throws IOException {
    Map<String, float[]> buffers = new LinkedHashMap<>();
    state.forEach(
        (k, b) -> {
          for (int i = 0; i < b.length; i++) {
            buffers.put(k + "#" + i, b[i].toFloatArray());
          }
        });
    OptimizerState.write(out, steps, buffers);
  }

  /** Restores what {@link #save} wrote; parameter names and shapes must match. */
  public void load(DataInputStream in, String source) throws IOException {
    Map<String, float[]> buffers = new LinkedHashMap<>();
    steps = OptimizerState.read(in, buffers, source);
    for (Map.Entry<String, NDArray[]> e : state.entrySet()) {
      for (int i = 0; i < e.getValue().length; i++) {
        float[] v = buffers.get(e.getKey() + "#" + i);
        if (v == null || v.length != e.getValue()[i].getShape().size()) {
          throw new IOException(
              source
                  + " has no matching state for "
                  + e.getKey()
                  + "; was it written for another model?");
        }
        ByteBuffer b = ByteBuffer.allocateDirect(v.length * 4).order(ByteOrder.nativeOrder());
        b.asFloatBuffer().put(v);
        e.getValue()[i].set(b);
      }
    }
  }
}
