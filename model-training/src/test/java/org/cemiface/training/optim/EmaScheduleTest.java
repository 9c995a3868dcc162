package org.cemiface.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cemiface.config.ConfigError;
import org.junit.jupiter.api.Test;

class EmaScheduleTest {
  @Test
  void ratioWarmsUpAsOnePlusNOverTenPlusN() {
    EmaSchedule s = new EmaSchedule(EmaSchedule.Kind.RATIO, 0.9999, 0.75, 1);
    assertEquals(2.0 / 11, s.decay(1), 1e-15);
    assertEquals(1001.0 / 1010, s.decay(1000), 1e-15);
    assertEquals(0.9999, s.decay(1_000_000), 1e-15);
  }

  @Test
  void powerFollowsDcfacesEmaModel() {
    EmaSchedule s = new EmaSchedule(EmaSchedule.Kind.POWER, 0.9999, 0.75, 1);
    // EMAModel.get_decay(k) with k = calls so far: 0 for k <= 1, then 1 - (1 + (k - 1))^-power.
    assertEquals(0.0, s.decay(1));
    assertEquals(0.0, s.decay(2));
    assertEquals(1 - Math.pow(2, -0.75), s.decay(3), 1e-15);
    // Its documented milestone: power 3/4 reaches 0.999 after 10,000 warm-up steps.
    assertEquals(0.999, s.decay(10_001), 1e-9);
    assertEquals(0.9999, s.decay(10_000_000), 1e-15);
    EmaSchedule slow = new EmaSchedule(EmaSchedule.Kind.POWER, 1, 0.75, 10);
    assertTrue(slow.decay(1000) < s.decay(1000));
  }

  @Test
  void unknownScheduleIsNamed() {
    ConfigError e =
        assertThrows(
            ConfigError.class, () -> EmaSchedule.parseKind("linear", "train.ema-schedule"));
    assertTrue(e.getMessage().contains("train.ema-schedule = \"linear\""), e.getMessage());
  }
}
