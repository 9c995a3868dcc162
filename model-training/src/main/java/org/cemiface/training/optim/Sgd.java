package org.cemiface.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.Map;

/** SGD with momentum and L2 weight decay as {@code torch.optim.SGD} (dampening 0, not Nesterov). */
public final class Sgd extends Optimizer {
  private final double momentum;
  private final double weightDecay;

  /** SGD over {@code params}. */
  public Sgd(
      Map<String, Parameter> params, NDManager manager, double momentum, double weightDecay) {
    super(params, manager, 1);
    this.momentum = momentum;
    this.weightDecay = weightDecay;
  }

  @Override
  void update(NDArray w, NDArray g, NDArray[] buffers, double lr, long step, NDManager scope) {
    NDArray d = weightDecay > 0 ? g.add(w.mul(scalar(w, weightDecay, scope))) : g;
    NDArray buf = buffers[0];
    if (step == 1) {
      buf.muli(scalar(buf, 0, scope)).addi(d);
    } else {
      buf.muli(scalar(buf, momentum, scope)).addi(d);
    }
    w.subi(buf.mul(scalar(buf, lr, scope)));
  }
}
