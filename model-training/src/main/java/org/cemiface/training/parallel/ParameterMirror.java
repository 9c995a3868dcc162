package org.cemiface.training.parallel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import java.util.Map;

/**
 * Keeps a replica's copy of a network in step with the primary's, parameter by parameter (both maps
 * by the same PyTorch keys): the primary's weights go out to the replica, the replica's gradients
 * come back and are added to the primary's. Only the primary's optimiser ever updates.
 */
public final class ParameterMirror {
  private ParameterMirror() {}

  /**
   * Overwrites every replica weight with the primary's, in place (the replica keeps its arrays).
   */
  public static void copyWeights(
      Map<String, Parameter> primary, Map<String, Parameter> replica, NDManager replicaScope) {
    primary.forEach(
        (k, p) -> {
          NDArray target = replica.get(k).getArray();
          target.tempAttach(replicaScope);
          NDArray source = p.getArray().toDevice(target.getDevice(), true);
          source.attach(replicaScope);
          target.muli(0f).addi(source);
        });
  }

  /** Adds every replica gradient to the primary's, then sets the replica's to zero. */
  public static void addGradients(
      Map<String, Parameter> replica, Map<String, Parameter> primary, NDManager scope) {
    primary.forEach(
        (k, p) -> {
          NDArray g = replica.get(k).getArray().getGradient();
          g.attach(scope);
          NDArray moved = g.toDevice(p.getArray().getDevice(), true);
          moved.attach(scope);
          NDArray g0 = p.getArray().getGradient();
          g0.attach(scope);
          g0.addi(moved);
          g.set(new NDIndex("..."), 0f);
        });
  }
}
