package org.cemiface.jobs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

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
}
