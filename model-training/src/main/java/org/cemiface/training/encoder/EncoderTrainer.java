package org.cemiface.training.encoder;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.Path;
import org.cemiface.data.Batch;
import org.cemiface.data.BatchLoader;
import org.cemiface.data.ImageEntry;
import org.cemiface.data.Shuffle;
import org.cemiface.image.ChannelOrder;
import org.cemiface.image.TensorLayout;
import org.cemiface.model.iresnet.IResNet;
import org.cemiface.model.iresnet.IResNetConfig;
import org.cemiface.nn.Tensors;
import org.cemiface.progress.Progress;
import org.cemiface.random.Seeds;
import org.cemiface.training.optim.GradientTools;
import org.cemiface.training.optim.LossScaler;
import org.cemiface.training.optim.Sgd;
import org.cemiface.training.parallel.ShardThreads;
import org.cemiface.verification.PairVerification;

/**
 * Trains an IResNet with a CosFace (or ArcFace) head by SGD, then measures pair verification on
 * held-out people.
 */
public final class EncoderTrainer {
  private static final long STREAM_AUGMENT = 0xA6;
  private static final long STREAM_DROPOUT = 0xA7;
  private final String task;
  private final EncoderTrainSettings settings;
  private final long seed;
  private final PrintStream log;
  private List<Device> replicaDevices = List.of();

  /** A trainer printing progress to {@code log}, its lines tagged with {@code task}. */
  public EncoderTrainer(String task, EncoderTrainSettings settings, long seed, PrintStream log) {
    this.task = task;
    this.settings = settings;
    this.seed = seed;
    this.log = log;
  }

  /**
   * The trained network (owned by {@code manager}), its input layout and the verification result.
   */
  public record Result(
      IResNet network,
      TensorLayout layout,
      Optional<HeldOutCheck> heldOut,
      int classes,
      long steps,
      long skippedImages,
      double seconds) {}

  /** Pair verification and impostor cosines on the held-out identities. */
  public record HeldOutCheck(PairVerification.Result verification, SpreadOut.Impostors impostors) {}

  /**
   * Splits every batch over more devices: a replica of the network and head on each (see {@link
   * RecognitionReplicas}); the manager given to {@link #train} holds the primary.
   */
  public EncoderTrainer withReplicasOn(List<Device> devices) {
    this.replicaDevices = List.copyOf(devices);
    return this;
  }

  private List<Device> shardDevices(NDManager manager) {
    List<Device> devices = new ArrayList<>(List.of(manager.getDevice()));
    devices.addAll(replicaDevices);
    return devices;
  }

  /**
   * Trains on all identities but the last {@code holdout-identities}, which are used for
   * verification (none held out: no check; benchmarks are then {@code verify}'s job). With
   * checkpoint-every-epochs &gt; 0 checkpoints and metrics.jsonl go to {@code output}, and {@code
   * resume} continues from the newest checkpoint there.
   */
  public Result train(List<ImageEntry> entries, NDManager manager, Path output, boolean resume) {
    int identities = entries.stream().mapToInt(ImageEntry::label).max().orElse(-1) + 1;
    int classes = identities - settings.holdoutIdentities();
    if (classes < 2) {
      throw new IllegalArgumentException(
          task
              + " needs more than holdout-identities ("
              + settings.holdoutIdentities()
              + ") identities; the data has "
              + identities);
    }
    List<ImageEntry> train = entries.stream().filter(e -> e.label() < classes).toList();
    List<ImageEntry> holdout = entries.stream().filter(e -> e.label() >= classes).toList();
    IResNetConfig cfg = IResNetConfig.named(settings.arch());
    double[] half = {0.5, 0.5, 0.5};
    TensorLayout layout = new TensorLayout(cfg.inputSize(), ChannelOrder.RGB, half, half);
    Engine.getInstance().setRandomSeed(Long.hashCode(seed));
    IResNet net = new IResNet(cfg);
    net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, cfg.inputSize(), cfg.inputSize()));
    CosFaceHead head = newHead(classes, cfg);
    head.initialize(
        manager, DataType.FLOAT32, new Shape(1, cfg.embeddingSize()), new Shape(1, classes));
    Map<String, Parameter> params = RecognitionParameters.of(net, head);
    Sgd sgd = new Sgd(params, manager, settings.momentum(), settings.weightDecay());
    LossScaler scaler = settings.precision().scaler();

    long start = System.nanoTime();
    int batchesPerEpoch = Math.max(1, train.size() / settings.batchSize());
    AtomicLong skipped = new AtomicLong();
    long step = 0;
    int firstEpoch = 0;
    boolean checkpointing = settings.checkpointEveryEpochs() > 0;
    EncoderCheckpoints checkpoints = new EncoderCheckpoints(output);
    EpochMetrics metrics = new EpochMetrics(new Path(output, "metrics.jsonl"));
    if (resume) {
      if (!checkpointing) {
        throw new IllegalArgumentException(
            "--resume: "
                + task
                + ".checkpoint-every-epochs is 0, so this run writes no checkpoints to resume from");
      }
      OptionalLong latest = checkpoints.latestStep();
      if (latest.isPresent()) {
        EncoderCheckpoints.State state =
            checkpoints.restore(latest.getAsLong(), net, head, sgd, scaler, manager);
        // Loading replaces the parameters' arrays: the new ones must record gradients again.
        params.values().forEach(p -> p.getArray().setRequiresGradient(true));
        firstEpoch = state.epochsDone();
        step = state.step();
        skipped.set(state.skippedImages());
        log.printf(
            Locale.ROOT,
            "[%s] resumed after epoch %d (step %d) from %s%n",
            task,
            firstEpoch,
            step,
            output);
      } else {
        log.printf("[%s] --resume: no checkpoint in %s yet, starting from scratch%n", task, output);
      }
    }
    if (checkpointing) {
      if (!resume) {
        checkpoints.clear();
      }
      metrics.keepEpochsBefore(firstEpoch);
    }
    if (settings.precision().precision().reduced()) {
      log.printf(
          Locale.ROOT,
          "[%s] mixed precision: %s network, float32 weights, head and loss, loss scale %.0f%n",
          task,
          settings.precision().precision().dataType(),
          scaler.scale());
    }
    RecognitionReplicas.Factory factory =
        new RecognitionReplicas.Factory() {
          @Override
          public CosFaceHead head() {
            return newHead(classes, cfg);
          }

          @Override
          public RecognitionStep step(IResNet n, CosFaceHead h) {
            return new RecognitionStep(
                n, h, layout, classes, settings.spreadOut(), settings.precision().precision());
          }
        };
    Progress progress =
        new Progress(task, "steps", (long) batchesPerEpoch * (settings.epochs() - firstEpoch), log);
    try (RecognitionReplicas replicas =
            new RecognitionReplicas(replicaDevices, cfg, factory, classes, cfg.embeddingSize());
        ShardThreads threads =
            ShardThreads.forDevices(
                task,
                shardDevices(manager),
                settings.concurrentReplicas(),
                cfg.dropout() > 0,
                log)) {
      replicas.syncFrom(params);
      ShardedBackward backward =
          new ShardedBackward(
              factory.step(net, head),
              new ParameterStore(manager, false),
              params,
              replicas,
              threads);
      Updates updates = new Updates(backward, params, replicas, sgd, scaler);
      for (int epoch = firstEpoch; epoch < settings.epochs(); epoch++) {
        double lr = settings.lrAt(epoch);
        if (checkpointing) {
          // Dropout draws from the engine's generator, whose state a checkpoint cannot hold: a
          // generator seeded per epoch makes a resumed epoch draw what an uninterrupted one draws.
          Engine.getInstance()
              .setRandomSeed(Long.hashCode(Seeds.derive(seed, STREAM_DROPOUT, epoch, 0)));
        }
        List<ImageEntry> order =
            Shuffle.epochOrder(train, seed, epoch)
                .subList(0, batchesPerEpoch * settings.batchSize());
        EpochTotals totals = new EpochTotals();
        int epochSteps = 0;
        try (BatchLoader loader =
            new BatchLoader(
                order,
                settings.batchSize(),
                settings.threads(),
                skipped,
                why -> log.println("skipping unreadable image " + why),
                augmentation(epoch, layout))) {
          while (loader.hasNext()) {
            Batch batch = loader.next();
            if (batch.size() < 2 * backward.shards()) {
              continue; // batch norm needs two images per shard
            }
            try (NDManager scope = manager.newSubManager()) {
              updates.apply(batch, lr, epoch, totals, scope);
            }
            step++;
            epochSteps++;
            progress.record(1);
            if (step % settings.logEvery() == 0) {
              log.printf(
                  Locale.ROOT,
                  "[%s] epoch %d lr %.4g loss %.4f train-acc %.3f, %s%n",
                  task,
                  epoch,
                  lr,
                  totals.loss(),
                  totals.accuracy(),
                  progress.summary());
            }
          }
        }
        if (epochSteps == 0) {
          throw new IllegalArgumentException(
              "no batch of epoch "
                  + epoch
                  + " had "
                  + 2 * backward.shards()
                  + " readable images ("
                  + skipped.get()
                  + " unreadable images skipped so far, each named in the log): the training data is"
                  + " mostly unreadable; fix or remove those files");
        }
        log.printf(
            Locale.ROOT,
            "[%s] epoch %d done: loss %.4f, train accuracy %.3f%n",
            task,
            epoch,
            totals.loss(),
            totals.accuracy());
        if (checkpointing) {
          metrics.append(
              epoch, step, lr, totals.loss(), totals.accuracy(), (System.nanoTime() - start) / 1e9);
          boolean last = epoch + 1 == settings.epochs();
          if (last || (epoch + 1) % settings.checkpointEveryEpochs() == 0) {
            checkpoints.save(
                new EncoderCheckpoints.State(epoch + 1, step, skipped.get()),
                net,
                layout,
                head,
                sgd,
                scaler);
          }
        }
      }
    }
    Optional<HeldOutCheck> check = Optional.empty();
    if (!holdout.isEmpty()) {
      HeldOut heldOut = embed(net, layout, holdout, new ParameterStore(manager, false), manager);
      check =
          Optional.of(
              new HeldOutCheck(
                  PairVerification.tenFold(
                      heldOut.embeddings(), PairVerification.pairs(heldOut.labels(), 20, seed)),
                  SpreadOut.measure(heldOut.embeddings(), heldOut.labels())));
    }
    return new Result(
        net, layout, check, classes, step, skipped.get(), (System.nanoTime() - start) / 1e9);
  }

  private CosFaceHead newHead(int classes, IResNetConfig cfg) {
    return new CosFaceHead(
        classes, cfg.embeddingSize(), settings.scale(), settings.margin(), settings.arcface());
  }

  /**
   * The augmentation of the image at position p of an epoch's order, run on the decoding threads.
   * Its generator is (seed, epoch, p + B): batch k ≥ 1, slot i draws as k·B + i.
   */
  private BatchLoader.Transform augmentation(int epoch, TensorLayout layout) {
    int batch = settings.batchSize();
    return (position, image) ->
        settings
            .augment()
            .apply(
                image,
                layout.size(),
                Seeds.random(seed, STREAM_AUGMENT, epoch, (long) position + batch));
  }

  /** Loss and accuracy over an epoch's applied updates. */
  private static final class EpochTotals {
    private double lossSum;
    private int correct;
    private int seen;

    void add(double loss, int correctImages, int images) {
      lossSum += loss * images;
      correct += correctImages;
      seen += images;
    }

    double loss() {
      return lossSum / Math.max(1, seen);
    }

    double accuracy() {
      return (double) correct / Math.max(1, seen);
    }
  }

  /**
   * One update: the batch forward and backward over the devices, then SGD on the primary when loss
   * (and, below float32, the gradients) are finite, the loss scaler told, the replicas given the
   * new weights.
   */
  private final class Updates {
    private final ShardedBackward backward;
    private final Map<String, Parameter> params;
    private final RecognitionReplicas replicas;
    private final Sgd sgd;
    private final LossScaler scaler;

    Updates(
        ShardedBackward backward,
        Map<String, Parameter> params,
        RecognitionReplicas replicas,
        Sgd sgd,
        LossScaler scaler) {
      this.backward = backward;
      this.params = params;
      this.replicas = replicas;
      this.sgd = sgd;
      this.scaler = scaler;
    }

    void apply(Batch batch, double lr, int epoch, EpochTotals totals, NDManager scope) {
      double lossScale = scaler.scale();
      RecognitionStep.Result r = backward.run(batch.images(), batch.labels(), lossScale, scope);
      double loss = r.loss();
      boolean finite =
          Double.isFinite(loss)
              && (!scaler.enabled() || Double.isFinite(GradientTools.globalNorm(params, scope)));
      // Overflowed float16 gradients with a finite loss are the scaler's business until its floor.
      boolean overflow = !finite && Double.isFinite(loss) && scaler.canBackOff();
      if (finite) {
        if (lossScale != 1) {
          GradientTools.scale(params, 1 / lossScale, scope);
        }
        sgd.step(lr);
        totals.add(loss, r.correct(), batch.size());
      }
      GradientTools.zero(params, scope);
      scaler.update(finite);
      if (finite) {
        replicas.syncFrom(params);
      } else if (overflow) {
        log.printf(
            Locale.ROOT,
            "epoch %d: float16 gradients overflowed at loss scale %.0f; update skipped, scale now"
                + " %.0f%n",
            epoch,
            lossScale,
            scaler.scale());
      } else {
        log.printf("epoch %d: non-finite loss or gradient, update skipped%n", epoch);
      }
    }
  }

  private record HeldOut(float[][] embeddings, int[] labels) {}

  private HeldOut embed(
      IResNet net,
      TensorLayout layout,
      List<ImageEntry> holdout,
      ParameterStore ps,
      NDManager manager) {
    List<float[]> embeddings = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    try (BatchLoader loader =
        new BatchLoader(holdout, 64, settings.threads(), new AtomicLong(), why -> {})) {
      while (loader.hasNext()) {
        Batch batch = loader.next();
        if (batch.size() == 0) {
          continue;
        }
        try (NDManager scope = manager.newSubManager()) {
          NDArray x =
              Tensors.floats(
                  scope,
                  layout.toNchw(batch.images()),
                  new Shape(batch.size(), 3, layout.size(), layout.size()));
          float[] flat = net.forward(ps, new NDList(x), false).get(0).toFloatArray();
          int d = flat.length / batch.size();
          for (int i = 0; i < batch.size(); i++) {
            embeddings.add(Arrays.copyOfRange(flat, i * d, (i + 1) * d));
            labels.add(batch.labels()[i]);
          }
        }
      }
    }
    return new HeldOut(
        embeddings.toArray(new float[0][]), labels.stream().mapToInt(Integer::intValue).toArray());
  }
}
