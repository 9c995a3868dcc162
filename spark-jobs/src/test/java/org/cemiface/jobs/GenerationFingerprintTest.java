package org.cemiface.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cemiface.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationFingerprintTest {
  @Test
  void sectionsCountWholeAndSingleKeysExactly() {
    assertTrue(GenerationFingerprint.decides("plan.m"));
    assertTrue(GenerationFingerprint.decides("plan.m-range.min"), "an m range decides the m drawn");
    assertTrue(GenerationFingerprint.decides("sampling.guidance"));
    assertTrue(GenerationFingerprint.decides("seed"));
    assertFalse(GenerationFingerprint.decides("plan.output"), "paths do not");
    assertFalse(GenerationFingerprint.decides("generate.output"));
    assertFalse(GenerationFingerprint.decides("generate.batch-size"));
    assertFalse(GenerationFingerprint.decides("seeds"));
  }

  @Test
  void theSameValuesFromOtherFilesGiveTheSameFingerprint(@TempDir Path dir) throws Exception {
    // A list's default rendering names the file (or jar) each element came from; a cluster stages
    // the same configuration at another path on every submit.
    Path a =
        Files.writeString(dir.resolve("a.conf"), "plan.m = [0.5, 0.0]\ngenerate.plumbing = true\n");
    Path b = Files.createDirectories(dir.resolve("elsewhere")).resolve("b.conf");
    Files.writeString(b, "\n\nplan.m = [0.5, 0.0]\ngenerate.plumbing = true\n");
    var first = GenerationFingerprint.of(ConfigLoader.load(List.of(a.toString()), List.of()));
    var second = GenerationFingerprint.of(ConfigLoader.load(List.of(b.toString()), List.of()));
    assertEquals(first, second);
    assertFalse(
        GenerationFingerprint.of(
                ConfigLoader.load(List.of(a.toString()), List.of("plan.m=[0.5, 0.1]")))
            .equals(first),
        "a different m list is a different fingerprint");
  }
}
