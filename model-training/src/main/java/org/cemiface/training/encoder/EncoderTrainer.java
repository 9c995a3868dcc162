package org.cemiface.training.encoder;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
import org.cemiface.training.optim.NamedParameters;
import org.cemiface.training.optim.Sgd;
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
    CosFaceHead head =
        new CosFaceHead(
            classes, cfg.embeddingSize(), settings.scale(), settings.margin(), settings.arcface());
    head.initialize(
        manager, DataType.FLOAT32, new Shape(1, cfg.embeddingSize()), new Shape(1, classes));
    Map<String, Parameter> params = new LinkedHashMap<>(NamedParameters.trainable(net));
    NamedParameters.trainable(head).forEach((k, p) -> params.put("head." + k, p));
    params.values().forEach(p -> p.getArray().setRequiresGradient(true));
    Sgd sgd = new Sgd(params, manager, settings.momentum(), settings.weightDecay());
    ParameterStore ps = new ParameterStore(manager, false);

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
            checkpoints.restore(latest.getAsLong(), net, head, sgd, manager);
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
    Progress progress =
        new Progress(task, "steps", (long) batchesPerEpoch * (settings.epochs() - firstEpoch), log);
    for (int epoch = firstEpoch; epoch < settings.epochs(); epoch++) {
      double lr = settings.lrAt(epoch);
      if (checkpointing) {
        // Dropout draws from the engine's generator, whose state a checkpoint cannot hold: a
        // generator seeded per epoch makes a resumed epoch draw what an uninterrupted one draws.
        Engine.getInstance()
            .setRandomSeed(Long.hashCode(Seeds.derive(seed, STREAM_DROPOUT, epoch, 0)));
      }
      List<ImageEntry> order =
          Shuffle.epochOrder(train, seed, epoch).subList(0, batchesPerEpoch * settings.batchSize());
      double lossSum = 0;
      int correct = 0;
      int seen = 0;
      try (BatchLoader loader =
          new BatchLoader(
              order,
              settings.batchSize(),
              settings.threads(),
              skipped,
              why -> log.println("skipping unreadable image " + why))) {
        int index = 0;
        while (loader.hasNext()) {
          Batch batch = loader.next();
          index += settings.batchSize();
          if (batch.size() < 2) {
            continue;
          }
          try (NDManager scope = manager.newSubManager()) {
            float[] x = new float[batch.size() * layout.imageLength()];
            for (int i = 0; i < batch.size(); i++) {
              var r = Seeds.random(seed, STREAM_AUGMENT, epoch, (long) index + i);
              layout.writeChw(
                  settings.augment().apply(batch.images().get(i), layout.size(), r),
                  x,
                  i * layout.imageLength());
            }
            NDArray input =
                Tensors.floats(scope, x, new Shape(batch.size(), 3, layout.size(), layout.size()));
            NDArray target =
                Tensors.floats(
                    scope, oneHot(batch.labels(), classes), new Shape(batch.size(), classes));
            double loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
              NDArray emb = net.forward(ps, new NDList(input), true).get(0);
              NDArray logits = head.forward(ps, new NDList(emb, target), true).singletonOrThrow();
              NDArray ce = logits.logSoftmax(1).mul(target).sum(new int[] {1}).mean().neg();
              NDArray total =
                  settings.spreadOut() > 0
                      ? ce.add(
                          Tensors.times(
                              SpreadOut.loss(emb, batch.labels(), scope), settings.spreadOut()))
                      : ce;
              gc.backward(total);
              loss = total.getFloat();
              int[] predicted =
                  head.cosine(ps, emb.stopGradient(), false)
                      .argMax(1)
                      .toType(DataType.INT32, false)
                      .toIntArray();
              for (int i = 0; i < predicted.length; i++) {
                correct += predicted[i] == batch.labels()[i] ? 1 : 0;
              }
            }
            if (Double.isFinite(loss)) {
              sgd.step(lr);
              lossSum += loss * batch.size();
              seen += batch.size();
            } else {
              log.printf("epoch %d: non-finite loss, update skipped%n", epoch);
            }
            GradientTools.zero(params, scope);
          }
          step++;
          progress.record(1);
          if (step % settings.logEvery() == 0) {
            log.printf(
                Locale.ROOT,
                "[%s] epoch %d lr %.4g loss %.4f train-acc %.3f, %s%n",
                task,
                epoch,
                lr,
                lossSum / Math.max(1, seen),
                (double) correct / Math.max(1, seen),
                progress.summary());
          }
        }
      }
      double epochLoss = lossSum / Math.max(1, seen);
      double accuracy = (double) correct / Math.max(1, seen);
      log.printf(
          Locale.ROOT,
          "[%s] epoch %d done: loss %.4f, train accuracy %.3f%n",
          task,
          epoch,
          epochLoss,
          accuracy);
      if (checkpointing) {
        metrics.append(epoch, step, lr, epochLoss, accuracy, (System.nanoTime() - start) / 1e9);
        boolean last = epoch + 1 == settings.epochs();
        if (last || (epoch + 1) % settings.checkpointEveryEpochs() == 0) {
          checkpoints.save(
              new EncoderCheckpoints.State(epoch + 1, step, skipped.get()), net, layout, head, sgd);
        }
      }
    }
    Optional<HeldOutCheck> check = Optional.empty();
    if (!holdout.isEmpty()) {
      HeldOut heldOut = embed(net, layout, holdout, ps, manager);
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

  private static float[] oneHot(int[] labels, int classes) {
    float[] out = new float[labels.length * classes];
    for (int i = 0; i < labels.length; i++) {
      out[i * classes + labels[i]] = 1f;
    }
    return out;
  }
}
