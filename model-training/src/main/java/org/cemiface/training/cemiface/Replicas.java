package org.cemiface.training.cemiface;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cemiface.encoder.DifferentiableEncoder;
import org.cemiface.model.cemiface.CemiFaceConfig;
import org.cemiface.model.cemiface.CemiFaceStore;
import org.cemiface.model.cemiface.CemiFaceUNet;
import org.cemiface.training.optim.NamedParameters;
import org.cemiface.training.parallel.ParameterMirror;

/**
 * Synchronous data parallelism over extra devices: each replica holds a copy of the primary UNet
 * and an encoder on its device, runs its shard of the batch, and hands its gradients to the
 * primary, which alone updates; the new weights are then copied back. (DJL's own multi-device path
 * does the same sum on device 0, one replica after the other in one thread; this keeps the
 * optimiser's state in one place.)
 */
final class Replicas implements AutoCloseable {
  /** One extra device. */
  record Replica(
      NDManager manager,
      CemiFaceUNet model,
      Map<String, Parameter> params,
      ParameterStore store,
      TrainingStep step) {}

  private final List<Replica> replicas = new ArrayList<>();

  Replicas(List<DifferentiableEncoder> encoders, CemiFaceConfig config, TrainingStepFactory steps) {
    for (DifferentiableEncoder encoder : encoders) {
      NDManager manager = NDManager.newBaseManager(encoder.device());
      CemiFaceUNet model = CemiFaceStore.create(config, manager);
      Map<String, Parameter> params = NamedParameters.trainable(model);
      params.values().forEach(p -> p.getArray().setRequiresGradient(true));
      replicas.add(
          new Replica(
              manager,
              model,
              params,
              new ParameterStore(manager, false),
              steps.create(model, encoder)));
    }
  }

  /** Builds a training step for a replica's model and encoder. */
  interface TrainingStepFactory {
    TrainingStep create(CemiFaceUNet model, DifferentiableEncoder encoder);
  }

  List<Replica> all() {
    return replicas;
  }

  /** Copies the primary's weights into every replica. */
  void syncFrom(Map<String, Parameter> primary) {
    for (Replica r : replicas) {
      try (NDManager scope = r.manager().newSubManager()) {
        ParameterMirror.copyWeights(primary, r.params(), scope);
      }
    }
  }

  /** Adds every replica's gradients to the primary's, then zeroes the replicas'. */
  void gatherInto(Map<String, Parameter> primary, NDManager scope) {
    for (Replica r : replicas) {
      ParameterMirror.addGradients(r.params(), primary, scope);
    }
  }

  @Override
  public void close() {
    replicas.forEach(r -> r.manager().close());
  }
}
