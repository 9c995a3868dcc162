package org.cemiface.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.cemiface.config.ConfigLoader;
import org.cemiface.config.LoadedConfig;
import org.cemiface.encoder.EncoderSettings;
import org.cemiface.image.ImageSettings;
import org.cemiface.jobs.SparkSettings;
import org.cemiface.model.cemiface.CemiFaceConfig;
import org.cemiface.render.RenderSettings;
import org.cemiface.training.cemiface.TrainSettings;
import org.cemiface.training.encoder.EncoderTrainSettings;
import org.cemiface.training.optim.EmaSchedule;
import org.cemiface.volume.VolumeSettings;
import org.junit.jupiter.api.Test;

/**
 * The shipped presets validate against every module's reference.conf (this module sees them all, as
 * bin/cemiface does) and read into every settings record.
 */
class ConfigPresetsTest {
  private static final Path CONF = Path.of("..", "conf");

  private static void readAll(LoadedConfig c) {
    RenderSettings.from(c.reader());
    ImageSettings.from(c.reader());
    EncoderSettings.from(c.reader());
    TrainSettings.from(c.reader());
    EncoderTrainSettings.from(c.reader());
    EncoderTrainSettings.from(c.reader(), "train-fr");
    CemiFaceConfig.from(c.reader(), 512, 512, 7);
    SparkSettings.from(c);
  }

  @Test
  void volumePresetsPlanTheirSizes() {
    long[] expected = {500_000, 1_000_000, 1_200_000};
    String[] names = {"volume-0.5m.conf", "volume-1.0m.conf", "volume-1.2m.conf"};
    for (int i = 0; i < names.length; i++) {
      LoadedConfig c =
          ConfigLoader.load(
              List.of(CONF.resolve("cluster.conf").toString(), CONF.resolve(names[i]).toString()),
              List.of());
      VolumeSettings v = VolumeSettings.from(c.reader());
      assertEquals(expected[i], v.generatedImages(), names[i]);
      assertEquals(expected[i] + v.subjects() * 5, v.totalImages(), names[i]);
      readAll(c);
    }
  }

  @Test
  void localPresetIsTheSmallEmbeddedDefault() {
    LoadedConfig local =
        ConfigLoader.load(List.of(CONF.resolve("local.conf").toString()), List.of());
    readAll(local);
    assertEquals(32, RenderSettings.from(local.reader()).size());
    assertEquals("tiny", local.config().getString("model.unet.preset"));
    assertEquals(32, CemiFaceConfig.from(local.reader(), 128, 128, 2).unet().imageSize());
  }

  @Test
  void frPaperPresetKeepsThePapersRecipeAtFullSize() {
    LoadedConfig fr =
        ConfigLoader.load(List.of(CONF.resolve("fr-paper.conf").toString()), List.of());
    readAll(fr);
    EncoderTrainSettings s = EncoderTrainSettings.from(fr.reader(), "train-fr");
    assertEquals("ir_se_50", s.arch());
    assertEquals(40, s.epochs());
    assertEquals(0.4, s.margin(), 0);
    assertEquals(112, fr.config().getInt("encoder.input-size"));
    assertEquals("dataset/recordio", s.data());
  }

  @Test
  void cemifacePaperPresetTrainsThePapersRunOnTheClusterPreset() {
    LoadedConfig paper =
        ConfigLoader.load(
            List.of(
                CONF.resolve("cluster.conf").toString(),
                CONF.resolve("cemiface-paper.conf").toString(),
                CONF.resolve("volume-0.5m.conf").toString()),
            List.of());
    readAll(paper);
    TrainSettings t = TrainSettings.from(paper.reader());
    assertEquals(160, t.batchSize());
    assertEquals(10, t.epochs());
    // 10 epochs of insightface's CASIA-WebFace (490,623 images) at batch 160.
    assertEquals(30_660, t.stepsFor(490_623));
    assertEquals(List.of("gpu0", "gpu1"), t.execution().devices());
    assertEquals(EmaSchedule.Kind.POWER, t.optimiser().ema().kind());
    assertEquals(0.999, t.optimiser().ema().decay(10_001), 1e-9);
    CemiFaceConfig model = CemiFaceConfig.from(paper.reader(), 512, 512, 7);
    assertEquals(112, model.unet().imageSize());
    assertEquals(false, model.identityInTime());
    assertEquals(20, paper.config().getInt("sampling.steps"));
    assertEquals(1000, paper.config().getInt("diffusion.timesteps"));
  }
}
