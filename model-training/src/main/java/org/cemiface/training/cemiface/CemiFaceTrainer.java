package org.cemiface.training.cemiface;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.google.gson.Gson;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.Path;
import org.cemiface.checkpoint.ModelStore;
import org.cemiface.checkpoint.ModelWeights;
import org.cemiface.data.Batch;
import org.cemiface.data.ImageEntry;
import org.cemiface.data.TrainingImages;
import org.cemiface.diffusion.DdimSampler;
import org.cemiface.diffusion.NoiseSchedule;
import org.cemiface.encoder.DifferentiableEncoder;
import org.cemiface.image.RgbImage;
import org.cemiface.model.cemiface.CemiFaceConfig;
import org.cemiface.model.cemiface.CemiFaceGenerator;
import org.cemiface.model.cemiface.CemiFaceStore;
import org.cemiface.model.cemiface.CemiFaceUNet;
import org.cemiface.nn.TorchNames;
import org.cemiface.progress.Progress;
import org.cemiface.training.optim.AdamW;
import org.cemiface.training.optim.Ema;
import org.cemiface.training.optim.LossScaler;
import org.cemiface.training.optim.NamedParameters;
import org.cemiface.training.optim.Optimizer;
import org.cemiface.training.parallel.ShardThreads;
import org.cemiface.training.parallel.Shards;

/**
 * The CemiFace training loop: AdamW on the UNet, EMA of its weights, gradient clipping, a guard
 * that skips non-finite steps (and stops after too many in a row), progress lines, metrics as JSON
 * lines, sample sheets and resumable checkpoints.
 */
public final class CemiFaceTrainer {
  private final TrainSettings settings;
  private final CemiFaceConfig modelConfig;
  private final NoiseSchedule schedule;
  private final DdimSampler sheetSampler;
  private final DifferentiableEncoder encoder;
  private final long seed;
  private final String configText;
  private final PrintStream log;

  /** Between forward and backward of every step (tests force GCs here). */
  Runnable beforeBackward = () -> {};

  private List<DifferentiableEncoder> replicaEncoders = List.of();
  private ModelWeights init;

  /** A trainer; {@code encoder} must stay open for its lifetime. */
  public CemiFaceTrainer(
      TrainSettings settings,
      CemiFaceConfig modelConfig,
      NoiseSchedule schedule,
      DdimSampler sheetSampler,
      DifferentiableEncoder encoder,
      long seed,
      String configText,
      PrintStream log) {
    this.settings = settings;
    this.modelConfig = modelConfig;
    this.schedule = schedule;
    this.sheetSampler = sheetSampler;
    this.encoder = encoder;
    this.seed = seed;
    this.configText = configText;
    this.log = log;
  }

  /**
   * Splits every batch over more devices: one replica of the UNet per extra encoder, on that
   * encoder's device (see {@link Replicas}).
   */
  public CemiFaceTrainer withReplicas(List<DifferentiableEncoder> encoders) {
    this.replicaEncoders = List.copyOf(encoders);
    return this;
  }

  private List<Device> shardDevices() {
    List<Device> devices = new ArrayList<>(List.of(encoder.device()));
    replicaEncoders.forEach(e -> devices.add(e.device()));
    return devices;
  }

  /**
   * Starts a fresh run from {@code weights} instead of random weights (a resumed run continues from
   * its checkpoint); their card must describe this trainer's model.
   */
  public CemiFaceTrainer startingFrom(ModelWeights weights) {
    CemiFaceConfig theirs =
        new Gson()
            .fromJson(
                ModelStore.card(weights.dir(), weights.name()).config(), CemiFaceConfig.class);
    if (!theirs.sameNetwork(modelConfig)) {
      throw new IllegalArgumentException(
          weights.params()
              + " is a "
              + theirs
              + ", but model.* describes a "
              + modelConfig
              + ": set model.* (and the encoder, for the identity width) to match train.init");
    }
    this.init = weights;
    return this;
  }

  /**
   * Trains from {@code data} into {@code output}, resuming from its latest checkpoint when {@code
   * resume}.
   */
  public TrainingSummary train(String data, Path output, boolean resume) {
    TrainingCheckpoints checkpoints = new TrainingCheckpoints(output);
    OptionalLong existing = checkpoints.latestStep();
    if (existing.isPresent() && !resume) {
      throw new IllegalArgumentException(
          output
              + " already holds a checkpoint at step "
              + existing.getAsLong()
              + ": pass --resume to continue it, or choose another train.output");
    }
    List<ImageEntry> entries = TrainingImages.list(data);
    long totalSteps = settings.stepsFor(entries.size());
    if (settings.epochs() > 0) {
      log.printf(
          "%d epochs of %,d images at batch %d: %,d steps%n",
          settings.epochs(), entries.size(), settings.batchSize(), totalSteps);
    }
    List<RgbImage> inquiries =
        MSweep.firstImages(
            entries,
            settings.reporting().sheetInquiries(),
            bad -> log.println("sample sheet: skipping " + bad));
    try (NDManager manager = NDManager.newBaseManager(encoder.device())) {
      // Initial weights come from the engine's generator: seed it so a run is reproducible from its
      // seed.
      Engine.getInstance().setRandomSeed(Long.hashCode(seed));
      CemiFaceUNet model = CemiFaceStore.create(modelConfig, manager);
      CemiFaceUNet shadow = CemiFaceStore.create(modelConfig, manager);
      Map<String, Parameter> params = NamedParameters.trainable(model);
      AdamW optimizer =
          new AdamW(
              params,
              manager,
              settings.optimiser().beta1(),
              settings.optimiser().beta2(),
              settings.optimiser().adamEps(),
              settings.optimiser().weightDecay());
      TrainSettings.Start start = settings.start();
      if (start.freezeTrunkSteps() > 0 || start.trunkLrScale() != 1) {
        optimizer.groups(
            name ->
                name.startsWith(CemiFaceUNet.TRUNK_PREFIX)
                    ? new Optimizer.Group(start.trunkLrScale(), start.freezeTrunkSteps())
                    : Optimizer.Group.DEFAULT);
      }
      LossScaler scaler = settings.execution().precision().scaler();
      TrainerState state = TrainerState.start();
      if (existing.isPresent()) {
        state =
            checkpoints.restore(existing.getAsLong(), model, shadow, optimizer, scaler, manager);
        log.printf("Resuming from %s at step %d%n", checkpoints.dir(state.step()), state.step());
      } else if (init != null) {
        ModelStore.loadParameters(model, manager, init.dir(), init.name());
        checkpoints.startedFrom(init);
        log.println("Starting from " + init.describe());
      }
      params.values().forEach(p -> p.getArray().setRequiresGradient(true));
      GuardedUpdate update =
          new GuardedUpdate(
              params,
              optimizer,
              new Ema(model, shadow, settings.optimiser().ema(), manager),
              scaler,
              settings,
              state,
              log,
              () -> checkpoints.latestStep().orElse(0));
      AtomicLong skipped = new AtomicLong(state.skippedImages());
      if (settings.execution().precision().precision().reduced()) {
        log.printf(
            "Mixed precision: %s compute, float32 master weights, loss scale %.0f%s%n",
            settings.execution().precision().precision().dataType(),
            scaler.scale(),
            encoder.device().isGpu()
                ? ""
                : " (on a CPU float16 is slower than float32: meant for GPUs)");
      }
      long startStep = state.step();
      Progress progress = new Progress("train", "steps", totalSteps - startStep, log);
      MetricsListener metrics =
          new MetricsListener(
              new Path(output, "metrics.jsonl"),
              startStep,
              totalSteps,
              settings.reporting().logEvery(),
              scaler,
              progress,
              log);
      SampleSheetListener sheets =
          new SampleSheetListener(
              output,
              inquiries,
              encoder,
              new CemiFaceGenerator(shadow, sheetSampler, new ParameterStore(manager, false)),
              manager,
              seed,
              log);
      List<TrainingListener> listeners =
          List.of(
              sheets,
              new CheckpointListener(
                  checkpoints, model, shadow, optimizer, update, skipped, configText, log),
              metrics);
      ParameterStore ps = new ParameterStore(manager, false);
      TrainingStep trainingStep = stepFactory().create(model, encoder);
      long step = startStep;
      try (Replicas replicas = new Replicas(replicaEncoders, modelConfig, stepFactory());
          ShardThreads threads =
              ShardThreads.forDevices(
                  "train",
                  shardDevices(),
                  settings.execution().concurrentReplicas(),
                  modelConfig.unet().dropout() > 0,
                  log);
          EpochBatches batches =
              new EpochBatches(
                  entries,
                  settings.batchSize(),
                  settings.execution().threads(),
                  seed,
                  skipped,
                  log)) {
        replicas.syncFrom(params);
        while (step < totalSteps) {
          Batch batch = batches.next(step);
          long started = System.nanoTime();
          TrainingListener.StepRecord record = TrainingListener.StepRecord.EMPTY;
          if (batch.size() > 0) {
            try (NDManager scope = manager.newSubManager()) {
              double scale = update.lossScale();
              TrainingStep.Losses losses =
                  runShards(
                      batch.images(),
                      step,
                      trainingStep,
                      params,
                      ps,
                      scope,
                      replicas,
                      threads,
                      scale);
              record =
                  new TrainingListener.StepRecord(
                      update.apply(losses, scale, scope),
                      losses,
                      batch.size(),
                      System.nanoTime() - started);
            }
            if (record.kind() == GuardedUpdate.Kind.APPLIED) {
              replicas.syncFrom(params);
            }
          }
          step++;
          progress.record(1);
          update.record(record, step);
          for (TrainingListener listener : listeners) {
            listener.onStep(step, record);
          }
          if (step % settings.reporting().checkpointEvery() == 0 || step == totalSteps) {
            for (TrainingListener listener : listeners) {
              listener.onCheckpoint(step);
            }
          }
        }
      }
      return new TrainingSummary(
          startStep,
          step,
          metrics.firstMse(),
          metrics.lastMse(),
          update.nonFiniteSteps(),
          skipped.get(),
          sheets.last(),
          nonFiniteValues(model),
          update.overflowSteps(),
          scaler.scale());
    }
  }

  /** Training steps for the primary model and each replica, all with this run's loss and recipe. */
  private Replicas.TrainingStepFactory stepFactory() {
    return (m, e) -> {
      TrainingStep ts =
          new TrainingStep(
                  m, e, schedule, settings.objective().lambda(), settings.objective().grid(), seed)
              .straightThroughClip(settings.objective().straightThroughClip())
              .precision(settings.execution().precision().precision())
              .mseSpace(settings.objective().mseSpace(), settings.objective().mseSnr());
      ts.beforeBackward = beforeBackward;
      return ts;
    };
  }

  /**
   * Runs the batch as contiguous shards, the first on the primary model and one per replica, each
   * weighted by its share and by the loss scale, at the same time on {@code threads}; replica
   * gradients are then added to the primary's. Returns the batch-mean losses, summed in shard order
   * (so concurrency changes no number).
   */
  private static TrainingStep.Losses runShards(
      List<RgbImage> images,
      long step,
      TrainingStep primary,
      Map<String, Parameter> params,
      ParameterStore ps,
      NDManager scope,
      Replicas replicas,
      ShardThreads threads,
      double lossScale) {
    int shards = 1 + replicas.all().size();
    int n = images.size();
    int[] sizes = Shards.sizes(n, shards);
    List<Callable<TrainingStep.Losses>> units = new ArrayList<>();
    int offset = 0;
    for (int k = 0; k < shards; k++) {
      int size = sizes[k];
      List<RgbImage> shard = images.subList(offset, offset + size);
      double weight = (double) size / n * lossScale;
      int first = offset;
      if (k == 0) {
        units.add(() -> size == 0 ? null : primary.run(shard, step, first, weight, ps, scope));
      } else {
        Replicas.Replica r = replicas.all().get(k - 1);
        units.add(
            () -> {
              if (size == 0) {
                return null;
              }
              try (NDManager replicaScope = r.manager().newSubManager()) {
                return r.step().run(shard, step, first, weight, r.store(), replicaScope);
              }
            });
      }
      offset += size;
    }
    List<TrainingStep.Losses> losses = threads.run(units);
    TrainingStep.Losses sum = TrainingStep.Losses.ZERO;
    for (int k = 0; k < shards; k++) {
      if (losses.get(k) != null) {
        sum = sum.plus(losses.get(k), (double) sizes[k] / n);
      }
    }
    if (shards > 1) {
      replicas.gatherInto(params, scope);
    }
    return sum;
  }

  /**
   * Weights that are NaN or infinite (must be 0: the guard skips any update that would produce
   * them).
   */
  static long nonFiniteValues(CemiFaceUNet model) {
    long bad = 0;
    for (Parameter p : TorchNames.parameters(model).values()) {
      for (float v : p.getArray().toFloatArray()) {
        bad += Float.isFinite(v) ? 0 : 1;
      }
    }
    return bad;
  }
}
