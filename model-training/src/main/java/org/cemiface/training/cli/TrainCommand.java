package org.cemiface.training.cli;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.cemiface.cli.Command;
import org.cemiface.cli.Invocation;
import org.cemiface.cli.UsageError;
import org.cemiface.config.ConfigReader;
import org.cemiface.config.RunSettings;
import org.cemiface.diffusion.DdimSampler;
import org.cemiface.diffusion.NoiseSchedule;
import org.cemiface.encoder.DifferentiableEncoder;
import org.cemiface.encoder.EncoderSettings;
import org.cemiface.encoder.IdentityEncoders;
import org.cemiface.model.cemiface.CemiFaceConfig;
import org.cemiface.training.cemiface.CemiFaceTrainer;
import org.cemiface.training.cemiface.TrainSettings;
import org.cemiface.training.cemiface.TrainingDevices;
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
    ConfigReader r = inv.config().reader();
    RunSettings run = RunSettings.from(r);
    TrainSettings train = TrainSettings.from(r);
    EncoderSettings encoderSettings = EncoderSettings.from(r).resolvedAgainst(run);
    if (encoderSettings.source().isEmpty()) {
      throw new UsageError("encoder.source is not set: train an encoder first (bin/cemiface train-encoder) and set"
          + " encoder.source = \"djl:<its output>\", or point it at an AdaFace checkpoint");
    }
    NoiseSchedule schedule = NoiseSchedule.from(r.section("diffusion"));
    DdimSampler sampler = new DdimSampler(schedule, r.intIn("sampling.steps", 1, schedule.timesteps()),
        r.doubleIn("sampling.eta", 0, 10));
    List<Device> devices = TrainingDevices.resolve(train.devices());
    List<DifferentiableEncoder> replicaEncoders = new ArrayList<>();
    try (DifferentiableEncoder encoder = IdentityEncoders.openDifferentiable(encoderSettings, devices.get(0))) {
      for (Device d : devices.subList(1, devices.size())) {
        replicaEncoders.add(IdentityEncoders.openDifferentiable(encoderSettings, d));
      }
      int[] spatial = encoder.spatialShape();
      CemiFaceConfig model = CemiFaceConfig.from(r, encoder.dimension(), spatial[0], spatial[1]);
      Path output = new Path(run.resolve(train.output()));
      inv.out().println("Training " + model.unet() + " against " + encoderSettings.source() + " into " + output
          + " on " + devices);
      CemiFaceTrainer trainer = new CemiFaceTrainer(train, model, schedule, sampler, encoder, run.seed(),
          inv.config().render(), inv.err()).withReplicas(replicaEncoders);
      TrainingSummary s = trainer.train(run.resolve(train.data()), output, inv.has("--resume"));
      inv.out().printf("Trained steps %d..%d: L_MSE %.4f -> %.4f (%.0f%% lower); %d non-finite steps skipped, %d"
          + " unreadable images skipped, %d non-finite weights%n", s.startStep(), s.endStep(), s.firstMse(), s.lastMse(),
          100 * (1 - s.lastMse() / s.firstMse()), s.nonFiniteSteps(), s.skippedImages(), s.nonFiniteWeights());
      if (train.precision().precision().reduced()) {
        inv.out().printf("Mixed precision %s: %d steps skipped for overflowed gradients, final loss scale %.0f%n",
            train.precision().precision().dataType(), s.overflowSteps(), s.lossScale());
      }
      inv.out().println("Checkpoints: " + output + " (latest: " + output + "/latest)");
      return 0;
    } finally {
      replicaEncoders.forEach(DifferentiableEncoder::close);
    }
  }
}
