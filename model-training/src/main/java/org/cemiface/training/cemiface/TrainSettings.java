package org.cemiface.training.cemiface;

import java.util.List;
import org.cemiface.checkpoint.TrainingRunLayout;
import org.cemiface.config.ConfigReader;
import org.cemiface.model.cemiface.SimilarityGrid;
import org.cemiface.training.optim.EmaSchedule;
import org.cemiface.training.optim.PrecisionSettings;

/**
 * The {@code train} section, grouped by what each part drives: the optimiser, the objective, the
 * guard against diverging steps, what is reported and saved when, and where and at what precision
 * it runs. Tests build it from HOCON overrides through {@link #from} like the commands do.
 */
public record TrainSettings(
    String data,
    String output,
    int batchSize,
    int steps,
    int epochs,
    Optimiser optimiser,
    Objective objective,
    Guard guard,
    Reporting reporting,
    Execution execution,
    Start start) {

  /**
   * Where training starts: seeded random weights, or the weights of a model directory ({@code
   * init}) with the trunk frozen for the first {@code freezeTrunkSteps} and its learning rate
   * scaled by {@code trunkLrScale} (the condition path trains at the full rate).
   */
  public record Start(String init, String initWeights, long freezeTrunkSteps, double trunkLrScale) {
    static Start from(ConfigReader r) {
      return new Start(
          r.text("init"),
          TrainingRunLayout.network(r.string("init-weights"), "train.init-weights"),
          r.longIn("freeze-trunk-steps", 0, Long.MAX_VALUE),
          r.doubleIn("trunk-lr-scale", 0, 1000));
    }

    /** Whether training starts from a given model rather than random weights. */
    public boolean fromModel() {
      return !init.isEmpty();
    }
  }

  /** AdamW with a linear learning-rate warm-up, and the EMA of the weights. */
  public record Optimiser(
      double lr,
      int warmupSteps,
      double beta1,
      double beta2,
      double adamEps,
      double weightDecay,
      EmaSchedule ema) {
    static Optimiser from(ConfigReader r) {
      return new Optimiser(
          r.doubleIn("lr", 0, 10),
          r.intIn("warmup-steps", 0, Integer.MAX_VALUE),
          r.doubleIn("beta1", 0, 0.999999),
          r.doubleIn("beta2", 0, 0.999999),
          r.doubleIn("adam-eps", 0, 1),
          r.doubleIn("weight-decay", 0, 10),
          new EmaSchedule(
              EmaSchedule.parseKind(r.string("ema-schedule"), "train.ema-schedule"),
              r.doubleIn("ema-max-decay", 0, 1),
              r.doubleIn("ema-power", 1e-3, 10),
              r.doubleIn("ema-inv-gamma", 1e-3, 1e9)));
    }

    /**
     * The learning rate of optimiser step {@code step} (1-based): linear up to {@code lr} over the
     * warm-up.
     */
    public double lrAt(long step) {
      return warmupSteps == 0 || step >= warmupSteps ? lr : lr * step / warmupSteps;
    }
  }

  /**
   * The CemiFace loss: λ, the grid m is drawn from, where L_MSE is taken ({@code mseSpace}, with
   * {@code mseSnr} its SNR parameter: the floor of snr-floor, the γ of min-snr) and whether L_sim's
   * gradient passes the clip of x̂0.
   */
  public record Objective(
      double lambda,
      SimilarityGrid grid,
      MseSpace mseSpace,
      double mseSnr,
      boolean straightThroughClip) {
    static Objective from(ConfigReader r) {
      MseSpace space = MseSpace.parse(r.string("mse-space"), "train.mse-space");
      double floor = r.doubleIn("mse-snr-floor", 1e-6, 1e6);
      double gamma = r.doubleIn("mse-min-snr-gamma", 1e-6, 1e6);
      return new Objective(
          r.doubleIn("lambda", 0, 1000),
          SimilarityGrid.from(r.section("m-grid")),
          space,
          space == MseSpace.MIN_SNR ? gamma : floor,
          r.bool("straight-through-clip"));
    }
  }

  /** Gradient-norm clipping (0: off) and how many non-finite steps in a row stop the run. */
  public record Guard(double gradClip, int maxNonFinite) {
    static Guard from(ConfigReader r) {
      return new Guard(r.doubleIn("grad-clip", 0, 1e6), r.intIn("max-non-finite", 1, 1_000_000));
    }
  }

  /**
   * Checkpoints (with a sample sheet of {@code sheetInquiries} inquiries) and progress lines, every
   * so many steps.
   */
  public record Reporting(int checkpointEvery, int logEvery, int sheetInquiries) {
    static Reporting from(ConfigReader r) {
      return new Reporting(
          r.intIn("checkpoint-every", 1, Integer.MAX_VALUE),
          r.intIn("log-every", 1, Integer.MAX_VALUE),
          r.intIn("sheet-inquiries", 0, 64));
    }
  }

  /**
   * Decoding threads, the devices a batch is split over (their shards run at once unless {@code
   * concurrentReplicas} is off), and the UNet's arithmetic.
   */
  public record Execution(
      int threads, List<String> devices, boolean concurrentReplicas, PrecisionSettings precision) {
    static Execution from(ConfigReader r) {
      return new Execution(
          r.intIn("threads", 1, 256),
          r.strings("devices"),
          r.bool("concurrent-replicas"),
          PrecisionSettings.from(r, "train"));
    }
  }

  /**
   * The optimiser steps of a run over {@code images} training images: {@code epochs} whole epochs
   * when it is above 0, else {@code steps}.
   */
  public long stepsFor(int images) {
    return epochs > 0 ? (long) epochs * EpochBatches.batchesPerEpoch(images, batchSize) : steps;
  }

  /** Reads the {@code train} section. */
  public static TrainSettings from(ConfigReader root) {
    ConfigReader r = root.section("train");
    return new TrainSettings(
        r.string("data"),
        r.string("output"),
        r.intIn("batch-size", 1, 65536),
        r.intIn("steps", 1, Integer.MAX_VALUE),
        r.intIn("epochs", 0, 1_000_000),
        Optimiser.from(r),
        Objective.from(r),
        Guard.from(r),
        Reporting.from(r),
        Execution.from(r),
        Start.from(r));
  }
}
