package org.cemiface.config;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cemiface.encoder.EncoderSettings;
import org.cemiface.filter.FilterSettings;
import org.cemiface.generate.GenerateSettings;
import org.cemiface.image.ImageSettings;
import org.cemiface.plan.PlanSettings;
import org.cemiface.render.RenderSettings;
import org.cemiface.stats.StatsSettings;
import org.cemiface.volume.VolumeSettings;

/**
 * A configuration file and a {@code --set} override from untrusted text: loading, validating and
 * reading every job's settings gives settings or a {@link ConfigError} with a message, never
 * another exception. The input's first line is the override, the whole input the file. CI replays
 * the committed inputs; {@code JAZZER_FUZZ=1} fuzzes (docs/reliability.md, "Fuzzing").
 */
class ConfigFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void loadValidateAndReadSettings(byte[] input) throws IOException {
    String text = new String(input, StandardCharsets.UTF_8);
    Path file = Files.createTempFile("fuzz", ".conf");
    try {
      Files.writeString(file, text);
      String firstLine = text.lines().findFirst().orElse("");
      readAll(List.of(file.toString()), List.of());
      readAll(List.of(), List.of(firstLine));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void readAll(List<String> files, List<String> overrides) {
    try {
      ConfigReader r = ConfigLoader.load(files, overrides).reader();
      RunSettings.from(r);
      EncoderSettings.from(r);
      ImageSettings.from(r);
      RenderSettings.from(r);
      FilterSettings.from(r);
      PlanSettings.from(r);
      VolumeSettings.from(r);
      GenerateSettings.from(r);
      StatsSettings.from(r);
    } catch (ConfigError e) {
      assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "no message: " + e);
    }
  }
}
