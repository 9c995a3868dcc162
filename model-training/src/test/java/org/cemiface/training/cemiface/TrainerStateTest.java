package org.cemiface.training.cemiface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.cemiface.training.optim.LossScaler;
import org.junit.jupiter.api.Test;

class TrainerStateTest {
  @Test
  void roundTripsWithTheScalerAndKeepsTheFileLayout() {
    LossScaler scaler = LossScaler.dynamic(1024, 3);
    scaler.update(false);
    TrainerState state = new TrainerState(500, 2, 7, 1);
    JsonObject json = state.toJson(scaler);
    assertEquals(
        "{\"non_finite_steps\":2,\"skipped_images\":7,\"overflow_steps\":1,\"loss_scale\":512.0,"
            + "\"loss_scale_clean_steps\":0,\"step\":500}",
        json.toString());
    LossScaler restored = LossScaler.dynamic(65536, 3);
    assertEquals(
        state,
        TrainerState.fromJson(
            JsonParser.parseString(json.toString()).getAsJsonObject(), "t.json", restored));
    assertEquals(512.0, restored.scale());
    assertEquals(
        "{\"non_finite_steps\":0,\"skipped_images\":0,\"overflow_steps\":0,\"step\":0}",
        TrainerState.start().toJson(LossScaler.none()).toString(),
        "float32 runs write no scaler keys");
  }

  @Test
  void anIncompleteFileNamesTheMissingKey() {
    JsonObject o = JsonParser.parseString("{\"step\":3,\"skipped_images\":0}").getAsJsonObject();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> TrainerState.fromJson(o, "run/step-0000003/trainer.json", LossScaler.none()));
    assertTrue(
        e.getMessage().contains("run/step-0000003/trainer.json has no 'non_finite_steps'"),
        e.getMessage());
    JsonObject old =
        JsonParser.parseString("{\"step\":3,\"non_finite_steps\":1,\"skipped_images\":0}")
            .getAsJsonObject();
    assertEquals(
        new TrainerState(3, 1, 0, 0), TrainerState.fromJson(old, "old.json", LossScaler.none()));
  }

  @Test
  void lossesSumPartByPart() {
    TrainingStep.Losses a = new TrainingStep.Losses(1, 2, 3, 4, 5);
    TrainingStep.Losses b = new TrainingStep.Losses(10, 20, 30, 40, 50);
    TrainingStep.Losses mean = TrainingStep.Losses.ZERO.plus(a, 1).plus(b, 1).over(2);
    assertEquals(new TrainingStep.Losses(5.5, 11, 16.5, 22, 27.5), mean);
    assertEquals(
        new TrainingStep.Losses(2.5, 5, 7.5, 10, 12.5),
        TrainingStep.Losses.ZERO.plus(a, 0.5).plus(b, 0.2));
  }
}
