package org.cemiface.training.cemiface;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.cemiface.io.HadoopFiles;
import org.cemiface.progress.Progress;
import org.cemiface.training.optim.LossScaler;

/**
 * Loss means over each log interval (train.log-every steps): a progress line, and one JSON object
 * per interval in {@code metrics.jsonl}, rewritten atomically at each checkpoint. A resumed run
 * drops the lines after its checkpoint.
 */
final class MetricsListener implements TrainingListener {
  private final Path file;
  private final List<String> lines = new ArrayList<>();
  private final long steps;
  private final int logEvery;
  private final LossScaler scaler;
  private final Progress progress;
  private final PrintStream log;
  private Interval interval = new Interval();
  private double firstMse = Double.NaN;
  private double lastMse = Double.NaN;

  MetricsListener(
      Path file,
      long resumedStep,
      long steps,
      int logEvery,
      LossScaler scaler,
      Progress progress,
      PrintStream log) {
    this.file = file;
    this.steps = steps;
    this.logEvery = logEvery;
    this.scaler = scaler;
    this.progress = progress;
    this.log = log;
    if (HadoopFiles.exists(file)) {
      for (String line :
          new String(HadoopFiles.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()
            && JsonParser.parseString(line).getAsJsonObject().get("step").getAsLong()
                <= resumedStep) {
          lines.add(line);
        }
      }
    }
  }

  /** The MSE of the first and the last interval this run logged (NaN before one). */
  double firstMse() {
    return firstMse;
  }

  double lastMse() {
    return lastMse;
  }

  @Override
  public void onStep(long step, StepRecord record) {
    if (record.kind() == GuardedUpdate.Kind.APPLIED) {
      interval.add(record);
    }
    if ((step % logEvery == 0 || step == steps) && interval.count > 0) {
      TrainingStep.Losses mean = interval.sum.over(interval.count);
      firstMse = Double.isNaN(firstMse) ? mean.mse() : firstMse;
      lastMse = mean.mse();
      String scaleText =
          scaler.enabled() ? String.format(Locale.ROOT, ", loss scale %.0f", scaler.scale()) : "";
      log.println(interval.line(step, steps, mean) + scaleText + ", " + progress.summary());
      JsonObject json = interval.json(step, mean);
      if (scaler.enabled()) {
        json.addProperty("loss_scale", scaler.scale());
      }
      lines.add(json.toString());
      interval = new Interval();
    }
  }

  @Override
  public void onCheckpoint(long step) {
    HadoopFiles.writeAtomically(
        file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Sums over one log interval. */
  private static final class Interval {
    long count;
    long images;
    long nanos;
    TrainingStep.Losses sum = TrainingStep.Losses.ZERO;
    double gradNorm;

    void add(StepRecord r) {
      count++;
      images += r.images();
      nanos += r.nanos();
      sum = sum.plus(r.losses(), 1);
      gradNorm += r.outcome().gradNorm();
    }

    String line(long step, long steps, TrainingStep.Losses mean) {
      return String.format(
          Locale.ROOT,
          "[train] step %d/%d loss %.4f (mse %.4f, rec %.4f, sim %.4f), %.1f images/s",
          step,
          steps,
          mean.total(),
          mean.mse(),
          mean.rec(),
          mean.sim(),
          images / (nanos / 1e9));
    }

    JsonObject json(long step, TrainingStep.Losses mean) {
      JsonObject o = new JsonObject();
      o.addProperty("step", step);
      o.addProperty("loss", mean.total());
      o.addProperty("mse", mean.mse());
      o.addProperty("sim_mat", mean.simMat());
      o.addProperty("rec", mean.rec());
      o.addProperty("sim", mean.sim());
      o.addProperty("grad_norm", gradNorm / count);
      o.addProperty("images_per_s", images / (nanos / 1e9));
      return o;
    }
  }
}
