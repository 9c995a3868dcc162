package org.cemiface.training.cemiface;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.Path;
import org.cemiface.data.Batch;
import org.cemiface.data.BatchLoader;
import org.cemiface.data.ImageEntry;
import org.cemiface.data.TrainingImages;
import org.cemiface.data.Shuffle;
import org.cemiface.diffusion.DdimSampler;
import org.cemiface.diffusion.NoiseSchedule;
import org.cemiface.encoder.DifferentiableEncoder;
import org.cemiface.image.RgbImage;
import org.cemiface.io.HadoopFiles;
import org.cemiface.model.cemiface.CemiFaceConfig;
import org.cemiface.model.cemiface.CemiFaceGenerator;
import org.cemiface.model.cemiface.CemiFaceStore;
import org.cemiface.model.cemiface.CemiFaceUNet;
import org.cemiface.progress.Progress;
import org.cemiface.training.optim.AdamW;
import org.cemiface.training.optim.Ema;
import org.cemiface.training.optim.GradientTools;
import org.cemiface.training.optim.LossScaler;
import org.cemiface.training.optim.NamedParameters;

/**
 * The CemiFace training loop: AdamW on the UNet, EMA of its weights, gradient clipping, a guard that skips
 * non-finite steps (and stops after too many in a row), progress lines, metrics as JSON lines, sample sheets and
 * resumable checkpoints.
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
  Runnable beforeBackward = () -> { };
  private List<DifferentiableEncoder> replicaEncoders = List.of();

  /** A trainer; {@code encoder} must stay open for its lifetime. */
  public CemiFaceTrainer(TrainSettings settings, CemiFaceConfig modelConfig, NoiseSchedule schedule,
      DdimSampler sheetSampler, DifferentiableEncoder encoder, long seed, String configText, PrintStream log) {
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
   * Splits every batch over more devices: one replica of the UNet per extra encoder, on that encoder's device
   * (see {@link Replicas}).
   */
  public CemiFaceTrainer withReplicas(List<DifferentiableEncoder> encoders) {
    this.replicaEncoders = List.copyOf(encoders);
    return this;
  }

  /** Trains from {@code data} into {@code output}, resuming from its latest checkpoint when {@code resume}. */
  public TrainingSummary train(String data, Path output, boolean resume) {
    TrainingCheckpoints checkpoints = new TrainingCheckpoints(output);
    OptionalLong existing = checkpoints.latestStep();
    if (existing.isPresent() && !resume) {
      throw new IllegalArgumentException(output + " already holds a checkpoint at step " + existing.getAsLong()
          + ": pass --resume to continue it, or choose another train.output");
    }
    List<ImageEntry> entries = TrainingImages.list(data);
    List<RgbImage> inquiries = MSweep.firstImages(entries, settings.sheetInquiries(),
        bad -> log.println("sample sheet: skipping " + bad));
    try (NDManager manager = NDManager.newBaseManager(encoder.device())) {
      // Initial weights come from the engine's generator: seed it so a run is reproducible from its seed.
      ai.djl.engine.Engine.getInstance().setRandomSeed(Long.hashCode(seed));
      CemiFaceUNet model = CemiFaceStore.create(modelConfig, manager);
      CemiFaceUNet shadow = CemiFaceStore.create(modelConfig, manager);
      Map<String, Parameter> params = NamedParameters.trainable(model);
      AdamW optimizer = new AdamW(params, manager, settings.beta1(), settings.beta2(), settings.adamEps(),
          settings.weightDecay());
      Ema ema = new Ema(model, shadow, settings.emaMaxDecay(), manager);
      long step = 0;
      long nonFiniteTotal = 0;
      long overflowTotal = 0;
      LossScaler scaler = settings.precision().scaler();
      AtomicLong skipped = new AtomicLong();
      MetricsLog metrics = new MetricsLog(new Path(output, "metrics.jsonl"));
      if (existing.isPresent()) {
        JsonObject state = checkpoints.restore(existing.getAsLong(), model, shadow, optimizer, manager);
        step = state.get("step").getAsLong();
        nonFiniteTotal = state.get("non_finite_steps").getAsLong();
        skipped.set(state.get("skipped_images").getAsLong());
        overflowTotal = state.has("overflow_steps") ? state.get("overflow_steps").getAsLong() : 0;
        scaler.restore(state);
        metrics.truncateAfter(step);
        log.printf("Resuming from %s at step %d%n", checkpoints.dir(step), step);
      }
      params.values().forEach(p -> p.getArray().setRequiresGradient(true));
      ParameterStore ps = new ParameterStore(manager, false);
      Replicas.TrainingStepFactory steps = (m, e) -> {
        TrainingStep ts = new TrainingStep(m, e, schedule, settings.lambda(), settings.grid(), seed)
            .straightThroughClip(settings.straightThroughClip()).precision(settings.precision().precision())
            .mseSpace(settings.recipe().mseSpace(), settings.recipe().snrFloor());
        ts.beforeBackward = beforeBackward;
        return ts;
      };
      TrainingStep trainingStep = steps.create(model, encoder);
      Replicas replicas = new Replicas(replicaEncoders, modelConfig, steps);
      replicas.syncFrom(params);
      CemiFaceGenerator sheetGenerator = new CemiFaceGenerator(shadow, sheetSampler, new ParameterStore(manager, false));

      long startStep = step;
      int batchesPerEpoch = Math.max(1, entries.size() / settings.batchSize());
      if (settings.precision().precision().reduced()) {
        log.printf("Mixed precision: %s compute, float32 master weights, loss scale %.0f%s%n",
            settings.precision().precision().dataType(), scaler.scale(),
            encoder.device().isGpu() ? "" : " (on a CPU float16 is slower than float32: meant for GPUs)");
      }
      Progress progress = new Progress("train", "steps", settings.steps() - startStep, log);
      Interval interval = new Interval();
      int nonFiniteInRow = 0;
      double firstMse = Double.NaN;
      double lastMse = Double.NaN;
      double[] sheet = new double[0];
      BatchLoader loader = null;
      try {
        while (step < settings.steps()) {
          long epoch = step / batchesPerEpoch;
          int index = (int) (step % batchesPerEpoch);
          if (loader == null || index == 0) {
            if (loader != null) {
              loader.close();
            }
            List<ImageEntry> order = Shuffle.epochOrder(entries, seed, epoch);
            loader = new BatchLoader(order.subList(index * settings.batchSize(),
                Math.min(order.size(), batchesPerEpoch * settings.batchSize())), settings.batchSize(),
                settings.threads(), skipped, why -> log.println("skipping unreadable image " + why));
          }
          Batch batch = loader.next();
          long started = System.nanoTime();
          boolean ok = false;
          boolean overflow = false;
          double scale = scaler.scale();
          TrainingStep.Losses losses = null;
          double gradNorm = Double.NaN;
          if (batch.size() > 0) {
            try (NDManager scope = manager.newSubManager()) {
              losses = runShards(batch.images(), step, trainingStep, params, ps, scope, replicas, scale);
              gradNorm = GradientTools.globalNorm(params, scope) / scale;
              ok = losses.finite() && Double.isFinite(gradNorm);
              // Overflowed float16 gradients with a finite loss are the scaler's business until it reaches its floor.
              overflow = !ok && losses.finite() && scaler.canBackOff();
              if (ok) {
                double factor = 1 / scale;
                if (settings.gradClip() > 0 && gradNorm > settings.gradClip()) {
                  factor *= settings.gradClip() / gradNorm;
                }
                if (factor != 1) {
                  GradientTools.scale(params, factor, scope);
                }
                optimizer.step(settings.recipe().lrAt(settings.lr(), optimizer.steps() + 1));
                ema.update(optimizer.steps());
              }
              GradientTools.zero(params, scope);
              scaler.update(ok);
            }
            if (ok) {
              replicas.syncFrom(params);
            }
          }
          step++;
          progress.record(1);
          if (overflow) {
            overflowTotal++;
            log.printf("step %d: float16 gradients overflowed at loss scale %.0f; update skipped, scale now %.0f%n",
                step, scale, scaler.scale());
          } else if (batch.size() > 0 && !ok) {
            nonFiniteTotal++;
            nonFiniteInRow++;
            log.printf("step %d: non-finite loss or gradient (loss %s, grad norm %s); update skipped (%d in a row)%n",
                step, losses == null ? "?" : losses.total(), gradNorm, nonFiniteInRow);
            if (nonFiniteInRow >= settings.maxNonFinite()) {
              throw new IllegalStateException(nonFiniteInRow + " consecutive training steps had a non-finite loss or"
                  + " gradient (up to step " + step + "); lower train.lr or enable train.grad-clip, then --resume from "
                  + checkpoints.latestStep().orElse(0));
            }
          } else if (ok) {
            nonFiniteInRow = 0;
            interval.add(losses, gradNorm, batch.size(), System.nanoTime() - started);
          }
          if (step % settings.logEvery() == 0 || step == settings.steps()) {
            if (interval.count > 0) {
              double mse = interval.mse / interval.count;
              firstMse = Double.isNaN(firstMse) ? mse : firstMse;
              lastMse = mse;
              String scaleText = scaler.enabled() ? String.format(Locale.ROOT, ", loss scale %.0f", scaler.scale()) : "";
              log.println(interval.line(step, settings.steps()) + scaleText + ", " + progress.summary());
              JsonObject json = interval.json(step);
              if (scaler.enabled()) {
                json.addProperty("loss_scale", scaler.scale());
              }
              metrics.append(json);
              interval = new Interval();
            }
          }
          if (step % settings.checkpointEvery() == 0 || step == settings.steps()) {
            if (!inquiries.isEmpty()) {
              Path sheetFile = new Path(output, String.format(Locale.ROOT, "samples-step-%07d.png", step));
              sheet = SampleSheet.write(sheetFile, inquiries, encoder, sheetGenerator, manager, seed);
              log.printf("step %d: sample sheet %s; mean achieved similarity at m=1, 0.5, 0, -0.5: %s%n", step,
                  sheetFile, format(sheet));
            }
            JsonObject state = new JsonObject();
            state.addProperty("non_finite_steps", nonFiniteTotal);
            state.addProperty("skipped_images", skipped.get());
            state.addProperty("overflow_steps", overflowTotal);
            scaler.save(state);
            checkpoints.save(step, model, shadow, optimizer, state, configText);
            metrics.write();
            log.printf("step %d: checkpoint %s%n", step, checkpoints.dir(step));
          }
        }
      } finally {
        if (loader != null) {
          loader.close();
        }
        replicas.close();
      }
      return new TrainingSummary(startStep, step, firstMse, lastMse, nonFiniteTotal, skipped.get(), sheet,
          nonFiniteValues(model), overflowTotal, scaler.scale());
    }
  }

  /**
   * Runs the batch as contiguous shards, the first on the primary model and one per replica, each weighted by its
   * share and by the loss scale; replica gradients are then added to the primary's. Returns the batch-mean losses.
   */
  private static TrainingStep.Losses runShards(List<RgbImage> images, long step, TrainingStep primary,
      Map<String, Parameter> params, ParameterStore ps, NDManager scope, Replicas replicas, double lossScale) {
    int shards = 1 + replicas.all().size();
    int n = images.size();
    double total = 0;
    double mse = 0;
    double simMat = 0;
    double rec = 0;
    double sim = 0;
    int offset = 0;
    for (int k = 0; k < shards; k++) {
      int size = n / shards + (k < n % shards ? 1 : 0);
      if (size == 0) {
        continue;
      }
      List<RgbImage> shard = images.subList(offset, offset + size);
      double weight = (double) size / n * lossScale;
      TrainingStep.Losses l;
      if (k == 0) {
        l = primary.run(shard, step, offset, weight, ps, scope);
      } else {
        Replicas.Replica r = replicas.all().get(k - 1);
        try (NDManager replicaScope = r.manager().newSubManager()) {
          l = r.step().run(shard, step, offset, weight, r.store(), replicaScope);
        }
      }
      double share = (double) size / n;
      total += share * l.total();
      mse += share * l.mse();
      simMat += share * l.simMat();
      rec += share * l.rec();
      sim += share * l.sim();
      offset += size;
    }
    if (shards > 1) {
      replicas.gatherInto(params, scope);
    }
    return new TrainingStep.Losses(total, mse, simMat, rec, sim);
  }

  /** Weights that are NaN or infinite (must be 0: the guard skips any update that would produce them). */
  static long nonFiniteValues(CemiFaceUNet model) {
    long bad = 0;
    for (Parameter p : org.cemiface.nn.TorchNames.parameters(model).values()) {
      for (float v : p.getArray().toFloatArray()) {
        bad += Float.isFinite(v) ? 0 : 1;
      }
    }
    return bad;
  }

  static String format(double[] values) {
    StringBuilder s = new StringBuilder();
    for (double v : values) {
      s.append(s.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", v));
    }
    return s.toString();
  }

  /** Running means over one log interval. */
  private static final class Interval {
    long count;
    long images;
    long nanos;
    double total;
    double mse;
    double simMat;
    double rec;
    double sim;
    double gradNorm;

    void add(TrainingStep.Losses l, double norm, int batchImages, long stepNanos) {
      count++;
      images += batchImages;
      nanos += stepNanos;
      total += l.total();
      mse += l.mse();
      simMat += l.simMat();
      rec += l.rec();
      sim += l.sim();
      gradNorm += norm;
    }

    String line(long step, long steps) {
      return String.format(Locale.ROOT, "[train] step %d/%d loss %.4f (mse %.4f, rec %.4f, sim %.4f), %.1f images/s",
          step, steps, total / count, mse / count, rec / count, sim / count, images / (nanos / 1e9));
    }

    JsonObject json(long step) {
      JsonObject o = new JsonObject();
      o.addProperty("step", step);
      o.addProperty("loss", total / count);
      o.addProperty("mse", mse / count);
      o.addProperty("sim_mat", simMat / count);
      o.addProperty("rec", rec / count);
      o.addProperty("sim", sim / count);
      o.addProperty("grad_norm", gradNorm / count);
      o.addProperty("images_per_s", images / (nanos / 1e9));
      return o;
    }
  }

  /** metrics.jsonl: one JSON object per log interval, rewritten atomically. */
  static final class MetricsLog {
    private final Path file;
    private final List<String> lines = new ArrayList<>();

    MetricsLog(Path file) {
      this.file = file;
      if (HadoopFiles.exists(file)) {
        for (String line : new String(HadoopFiles.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
          if (!line.isBlank()) {
            lines.add(line);
          }
        }
      }
    }

    void truncateAfter(long step) {
      lines.removeIf(l -> com.google.gson.JsonParser.parseString(l).getAsJsonObject().get("step").getAsLong() > step);
    }

    void append(JsonObject o) {
      lines.add(o.toString());
    }

    void write() {
      HadoopFiles.writeAtomically(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }
}
