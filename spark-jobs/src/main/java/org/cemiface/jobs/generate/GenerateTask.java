package org.cemiface.jobs.generate;

import java.io.Serializable;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.cemiface.config.ConfigReader;
import org.cemiface.config.RunSettings;
import org.cemiface.config.ShippedConfig;
import org.cemiface.diffusion.DdimSampler;
import org.cemiface.diffusion.NoiseSchedule;
import org.cemiface.diffusion.SamplingSettings;
import org.cemiface.encoder.EncoderSettings;
import org.cemiface.generate.CemiFaceSampleModels;
import org.cemiface.generate.DatasetLayout;
import org.cemiface.generate.GenerateSettings;
import org.cemiface.generate.PlumbingSampleModels;
import org.cemiface.generate.SampleModels;
import org.cemiface.image.ImageSettings;
import org.cemiface.jobs.TaskDevices;
import org.cemiface.model.unet.UNetConfig;

/**
 * Everything a generation task needs, resolved on the driver and shipped to executors: the
 * configuration, the dataset layout, the checkpoint to load, and the first RecordIO key of every
 * block.
 */
record GenerateTask(
    ShippedConfig config,
    DatasetLayout layout,
    String checkpointDir,
    String weightsName,
    Map<Integer, Long> firstKeys)
    implements Serializable {

  GenerateSettings settings() {
    return GenerateSettings.from(config.reader());
  }

  ImageSettings imageSettings() {
    return ImageSettings.from(config.reader());
  }

  /** Loads the models on the device Spark assigned to this task (the CPU when none). */
  SampleModels loadModels() {
    ConfigReader r = config.reader();
    if (settings().plumbing()) {
      return new PlumbingSampleModels(UNetConfig.from(r.section("model.unet")).imageSize());
    }
    NoiseSchedule schedule = NoiseSchedule.from(r.section("diffusion"));
    SamplingSettings sampling = SamplingSettings.from(r, schedule);
    DdimSampler sampler = sampling.sampler(schedule);
    EncoderSettings encoder = EncoderSettings.from(r).resolvedAgainst(RunSettings.from(r));
    return CemiFaceSampleModels.load(
        new Path(checkpointDir),
        weightsName,
        encoder,
        sampler,
        TaskDevices.current(),
        settings().precision(),
        sampling.guidance());
  }
}
