package org.cemiface.training.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import org.cemiface.config.ConfigError;
import org.junit.jupiter.api.Test;

class TrainingDevicesTest {
  @Test
  void namesResolveAndMissingGpusAreNamed() {
    assertEquals(1, TrainingDevices.resolve(List.of()).size());
    assertEquals(List.of(Device.cpu()), TrainingDevices.resolve(List.of("cpu")));
    assertTrue(TrainingDevices.resolve(List.of("all")).size() >= 1);
    ConfigError e = assertThrows(ConfigError.class, () -> TrainingDevices.resolve(List.of("gpu7")));
    assertTrue(e.getMessage().contains("gpu7 does not exist"), e.getMessage());
  }
}
