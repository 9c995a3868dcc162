package org.cemiface.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cemiface.config.ConfigError;
import org.cemiface.config.ConfigLoader;
import org.junit.jupiter.api.Test;

class GenerateSettingsTest {
  private static GenerateSettings read(String... overrides) {
    return GenerateSettings.from(ConfigLoader.load(List.of(), List.of(overrides)).reader());
  }

  @Test
  void weightsNameOneOfTheCheckpointsNetworks() {
    assertEquals("ema", read().weights());
    assertEquals("unet", read("generate.weights=unet").weights());
    ConfigError e = assertThrows(ConfigError.class, () -> read("generate.weights=model"));
    assertTrue(
        e.getMessage().contains("generate.weights = 'model'") && e.getMessage().contains("use ema"),
        e.getMessage());
  }
}
