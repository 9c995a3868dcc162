package org.cemiface.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

class LossScalerTest {
  @Test
  void overflowHalvesAndCleanRunsDouble() {
    LossScaler s = LossScaler.dynamic(1024, 3);
    assertFalse(s.update(false));
    assertEquals(512, s.scale());
    assertTrue(s.update(true));
    assertTrue(s.update(true));
    assertEquals(512, s.scale());
    assertTrue(s.update(true));
    assertEquals(1024, s.scale());
    // An overflow resets the count of clean steps.
    s.update(true);
    s.update(true);
    s.update(false);
    s.update(true);
    s.update(true);
    assertEquals(512, s.scale());
  }

  @Test
  void scaleStopsAtItsFloorWhereOverflowIsARealFailure() {
    LossScaler s = LossScaler.dynamic(2, 100);
    assertTrue(s.canBackOff());
    s.update(false);
    assertEquals(1, s.scale());
    assertFalse(s.canBackOff());
    s.update(false);
    assertEquals(1, s.scale());
  }

  @Test
  void stateRoundTripsThroughACheckpoint() {
    LossScaler a = LossScaler.dynamic(65536, 4);
    a.update(false);
    a.update(true);
    a.update(true);
    JsonObject state = new JsonObject();
    a.save(state);
    LossScaler b = LossScaler.dynamic(65536, 4);
    b.restore(state);
    assertEquals(32768, b.scale());
    // Both need the same two more clean steps to grow.
    a.update(true);
    b.update(true);
    assertEquals(a.scale(), b.scale());
    a.update(true);
    b.update(true);
    assertEquals(65536, a.scale());
    assertEquals(a.scale(), b.scale());
  }

  @Test
  void withoutScalingNothingChanges() {
    LossScaler s = LossScaler.none();
    assertFalse(s.enabled());
    assertFalse(s.update(false));
    assertEquals(1, s.scale());
    assertFalse(s.canBackOff());
    JsonObject state = new JsonObject();
    s.save(state);
    assertEquals(0, state.size());
  }

  @Test
  void badSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> LossScaler.dynamic(0.5, 10));
    assertThrows(IllegalArgumentException.class, () -> LossScaler.dynamic(1024, 0));
  }
}
