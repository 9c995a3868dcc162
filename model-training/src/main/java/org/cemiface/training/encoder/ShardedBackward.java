package org.cemiface.training.encoder;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cemiface.image.RgbImage;
import org.cemiface.training.parallel.ShardThreads;
import org.cemiface.training.parallel.Shards;

/**
 * Forward and backward of a whole batch over the primary device and the replicas, all at once on
 * {@link ShardThreads}: contiguous shards, the first on the primary, each loss weighted by its
 * share of the batch and the loss scale, so the gradients gathered on the primary are those of the
 * batch mean.
 */
final class ShardedBackward {
  private final RecognitionStep primary;
  private final ParameterStore store;
  private final Map<String, Parameter> params;
  private final RecognitionReplicas replicas;
  private final ShardThreads threads;

  ShardedBackward(
      RecognitionStep primary,
      ParameterStore store,
      Map<String, Parameter> params,
      RecognitionReplicas replicas,
      ShardThreads threads) {
    this.primary = primary;
    this.store = store;
    this.params = params;
    this.replicas = replicas;
    this.threads = threads;
  }

  /** How many shards a batch is split into. */
  int shards() {
    return 1 + replicas.all().size();
  }

  /**
   * Runs the batch, leaving its gradients (times {@code lossScale}) on the primary's parameters;
   * returns the batch-mean loss and the correctly classified images.
   */
  RecognitionStep.Result run(
      List<RgbImage> images, int[] labels, double lossScale, NDManager scope) {
    int n = images.size();
    int[] sizes = Shards.sizes(n, shards());
    List<Callable<RecognitionStep.Result>> units = new ArrayList<>();
    int offset = 0;
    for (int k = 0; k < sizes.length; k++) {
      List<RgbImage> shard = images.subList(offset, offset + sizes[k]);
      int[] shardLabels = Arrays.copyOfRange(labels, offset, offset + sizes[k]);
      double share = (double) sizes[k] / n;
      if (k == 0) {
        units.add(() -> primary.run(shard, shardLabels, share * lossScale, store, scope));
      } else {
        RecognitionReplicas.Replica replica = replicas.all().get(k - 1);
        units.add(
            () -> {
              try (NDManager replicaScope = replica.manager().newSubManager()) {
                return replica
                    .step()
                    .run(shard, shardLabels, share * lossScale, replica.store(), replicaScope);
              }
            });
      }
      offset += sizes[k];
    }
    // Summed in shard order whichever shard finished first: the same numbers as on one thread.
    List<RecognitionStep.Result> results = threads.run(units);
    double loss = 0;
    int correct = 0;
    for (int k = 0; k < sizes.length; k++) {
      loss += results.get(k).loss() * ((double) sizes[k] / n);
      correct += results.get(k).correct();
    }
    replicas.gatherInto(params, scope);
    return new RecognitionStep.Result(loss, correct);
  }
}
