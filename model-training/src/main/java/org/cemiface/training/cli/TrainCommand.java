package org.cemiface.training.cli;

import java.util.Set;
import org.cemiface.cli.Command;
import org.cemiface.cli.Invocation;
import org.cemiface.training.cemiface.TrainingSummary;

/** {@code train}: trains the CemiFace UNet against a frozen identity encoder. */
public final class TrainCommand implements Command {
  @Override
  public String name() {
    return "train";
  }

  @Override
  public String summary() {
    return "train the CemiFace diffusion UNet (resumable checkpoints, EMA, sample sheets)";
  }

  @Override
  public String help() {
    return "Trains the UNet of model.* on the faces in train.data with L = L_MSE + lambda*[(1-t/T)|1-s| + (t/T)|m-s|],\n"
        + "s = cos(E_id(x), E_id(x0_hat)), E_id the frozen encoder of encoder.source (djl:DIR from train-encoder,\n"
        + "adaface:FILE.ckpt, or torchscript:FILE). Writes train.output: step-NNNNNNN/ checkpoints (unet, ema,\n"
        + "optimizer state, trainer.json, config.conf), latest, metrics.jsonl and samples-step-NNNNNNN.png.\n"
        + "--resume continues from the latest checkpoint with the same per-step random draws.";
  }

  @Override
  public Set<String> flags() {
    return Set.of("--resume");
  }

  @Override
  public int run(Invocation inv) {
    TrainingRun.Result result =
        TrainingRun.run(inv.config(), inv.has("--resume"), inv.out(), inv.err());
    TrainingSummary s = result.summary();
    inv.out()
        .printf(
            "Trained steps %d..%d: L_MSE %.4f -> %.4f (%.0f%% lower); %d non-finite steps skipped, %d"
                + " unreadable images skipped, %d non-finite weights%n",
            s.startStep(),
            s.endStep(),
            s.firstMse(),
            s.lastMse(),
            100 * (1 - s.lastMse() / s.firstMse()),
            s.nonFiniteSteps(),
            s.skippedImages(),
            s.nonFiniteWeights());
    if (result.settings().execution().precision().precision().reduced()) {
      inv.out()
          .printf(
              "Mixed precision %s: %d steps skipped for overflowed gradients, final loss scale %.0f%n",
              result.settings().execution().precision().precision().dataType(),
              s.overflowSteps(),
              s.lossScale());
    }
    inv.out()
        .println("Checkpoints: " + result.output() + " (latest: " + result.output() + "/latest)");
    return 0;
  }
}
