package org.cemiface.training.cli;

import ai.djl.Device;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.cemiface.checkpoint.ModelWeights;
import org.cemiface.cli.UsageError;
import org.cemiface.config.ConfigReader;
import org.cemiface.config.LoadedConfig;
import org.cemiface.config.RunSettings;
import org.cemiface.diffusion.DdimSampler;
import org.cemiface.diffusion.NoiseSchedule;
import org.cemiface.diffusion.SamplingSettings;
import org.cemiface.encoder.DifferentiableEncoder;
import org.cemiface.encoder.EncoderSettings;
import org.cemiface.encoder.IdentityEncoders;
import org.cemiface.model.cemiface.CemiFaceConfig;
import org.cemiface.training.cemiface.CemiFaceTrainer;
import org.cemiface.training.cemiface.TrainSettings;
import org.cemiface.training.cemiface.TrainingSummary;
import org.cemiface.training.parallel.TrainingDevices;

/**
 * One CemiFace training run from a resolved configuration: encoders on the train.devices, model,
 * trainer.
 */
final class TrainingRun {
  private TrainingRun() {}

  /** What the run trained and where it wrote. */
  record Result(
      TrainingSummary summary, Path output, TrainSettings settings, List<Device> devices) {}

  /**
   * Trains as {@code config} says; {@code announce} gets the one-line description, {@code log} the
   * progress.
   */
  static Result run(LoadedConfig config, boolean resume, PrintStream announce, PrintStream log) {
    ConfigReader r = config.reader();
    RunSettings run = RunSettings.from(r);
    TrainSettings train = TrainSettings.from(r);
    EncoderSettings encoderSettings = EncoderSettings.from(r).resolvedAgainst(run);
    if (encoderSettings.source().isEmpty()) {
      throw new UsageError(
          "encoder.source is not set: train an encoder first (bin/cemiface train-encoder) and set"
              + " encoder.source = \"djl:<its output>\", or point it at an AdaFace checkpoint");
    }
    NoiseSchedule schedule = NoiseSchedule.from(r.section("diffusion"));
    SamplingSettings sampling = SamplingSettings.from(r, schedule);
    DdimSampler sampler = sampling.sampler(schedule);
    List<Device> devices = TrainingDevices.resolve(train.execution().devices());
    List<DifferentiableEncoder> replicaEncoders = new ArrayList<>();
    try (DifferentiableEncoder encoder =
        IdentityEncoders.openDifferentiable(encoderSettings, devices.get(0))) {
      for (Device d : devices.subList(1, devices.size())) {
        replicaEncoders.add(IdentityEncoders.openDifferentiable(encoderSettings, d));
      }
      int[] spatial = encoder.spatialShape();
      CemiFaceConfig model = CemiFaceConfig.from(r, encoder.dimension(), spatial[0], spatial[1]);
      Path output = new Path(run.resolve(train.output()));
      announce.println(
          "Training "
              + model.unet()
              + " against "
              + encoderSettings.source()
              + " into "
              + output
              + " on "
              + devices
              + " at "
              + train.execution().precision().precision().key());
      CemiFaceTrainer trainer =
          new CemiFaceTrainer(
                  train, model, schedule, sampler, encoder, run.seed(), config.render(), log)
              .withReplicas(replicaEncoders);
      if (train.start().fromModel()) {
        trainer.startingFrom(
            ModelWeights.locate(
                new Path(run.resolve(train.start().init())), train.start().initWeights()));
      }
      TrainingSummary s = trainer.train(run.resolve(train.data()), output, resume);
      return new Result(s, output, train, devices);
    } finally {
      replicaEncoders.forEach(DifferentiableEncoder::close);
    }
  }
}
