package org.cemiface.training.cemiface;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.cemiface.config.ConfigLoader;
import org.cemiface.training.optim.EmaSchedule;
import org.junit.jupiter.api.Test;

class TrainSettingsTest {
  private static TrainSettings settings(String... overrides) {
    return TrainSettings.from(ConfigLoader.load(List.of(), List.of(overrides)).reader());
  }

  @Test
  void epochsTurnIntoWholeBatchesOfTheTrainingSet() {
    TrainSettings bySteps = settings("train.steps=70", "train.batch-size=16");
    assertEquals(70, bySteps.stepsFor(100));
    TrainSettings byEpochs = settings("train.steps=70", "train.batch-size=16", "train.epochs=3");
    // 100 images in batches of 16: 6 whole batches per epoch (the partial seventh is dropped).
    assertEquals(18, byEpochs.stepsFor(100));
    assertEquals(3, byEpochs.stepsFor(5)); // fewer images than a batch: one batch per epoch
    // The paper's run: 10 epochs of CASIA-WebFace (insightface's faces_webface_112x112, 490,623
    // images)
    // at batch 160.
    TrainSettings paper = settings("train.batch-size=160", "train.epochs=10");
    assertEquals(30_660, paper.stepsFor(490_623));
  }

  @Test
  void emaScheduleKeysReachTheOptimiser() {
    EmaSchedule ema =
        settings("train.ema-schedule=power", "train.ema-power=0.5", "train.ema-max-decay=0.99")
            .optimiser()
            .ema();
    assertEquals(EmaSchedule.Kind.POWER, ema.kind());
    assertEquals(0.5, ema.power());
    assertEquals(0.99, ema.decay(1_000_000));
    assertEquals(EmaSchedule.Kind.RATIO, settings().optimiser().ema().kind());
  }
}
