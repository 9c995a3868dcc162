package org.cemiface.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.Map;

/** AdamW as {@code torch.optim.AdamW}: decoupled weight decay, bias-corrected moments. */
public final class AdamW extends Optimizer {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;

  /** AdamW over {@code params} with the given hyper-parameters. */
  public AdamW(
      Map<String, Parameter> params,
      NDManager manager,
      double beta1,
      double beta2,
      double eps,
      double weightDecay) {
    super(params, manager, 2);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
  }

  @Override
  void update(NDArray w, NDArray g, NDArray[] buffers, double lr, long step, NDManager scope) {
    NDArray m = buffers[0];
    NDArray v = buffers[1];
    if (weightDecay > 0) {
      w.muli(scalar(w, 1 - lr * weightDecay, scope));
    }
    m.muli(scalar(m, beta1, scope)).addi(g.mul(scalar(g, 1 - beta1, scope)));
    v.muli(scalar(v, beta2, scope)).addi(g.square().mul(scalar(g, 1 - beta2, scope)));
    double bc1 = 1 - Math.pow(beta1, step);
    double bc2 = 1 - Math.pow(beta2, step);
    NDArray denom = v.div(scalar(v, bc2, scope)).sqrt().add(scalar(v, eps, scope));
    w.subi(m.div(denom).mul(scalar(m, lr / bc1, scope)));
  }
}
