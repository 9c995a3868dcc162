package org.cemiface.training.encoder;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cemiface.model.iresnet.IResNet;
import org.cemiface.model.iresnet.IResNetConfig;
import org.cemiface.training.parallel.ParameterMirror;

/**
 * Synchronous data parallelism for the face-recognition trainer: a copy of the network and the
 * margin head on each extra device runs its shard of the batch; its gradients are added to the
 * primary's, which alone updates, and the new weights are copied back (as the diffusion trainer's
 * replicas). Batch norm's running statistics are the primary's alone.
 */
final class RecognitionReplicas implements AutoCloseable {
  /** One extra device. */
  record Replica(
      NDManager manager,
      Map<String, Parameter> params,
      ParameterStore store,
      RecognitionStep step) {}

  private final List<Replica> replicas = new ArrayList<>();

  /** Builds a replica per device; its weights are set by {@link #syncFrom}. */
  RecognitionReplicas(
      List<Device> devices, IResNetConfig config, Factory factory, int classes, int dimension) {
    for (Device device : devices) {
      NDManager manager = NDManager.newBaseManager(device);
      IResNet net = new IResNet(config);
      int size = config.inputSize();
      net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, size, size));
      CosFaceHead head = factory.head();
      head.initialize(manager, DataType.FLOAT32, new Shape(1, dimension), new Shape(1, classes));
      Map<String, Parameter> params = RecognitionParameters.of(net, head);
      replicas.add(
          new Replica(
              manager, params, new ParameterStore(manager, false), factory.step(net, head)));
    }
  }

  /** Makes each replica's head and training step the way the primary's are made. */
  interface Factory {
    /** A fresh, uninitialised margin head. */
    CosFaceHead head();

    /** The training step of a replica's network and head. */
    RecognitionStep step(IResNet net, CosFaceHead head);
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
