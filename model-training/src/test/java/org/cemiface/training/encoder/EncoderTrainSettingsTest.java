package org.cemiface.training.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cemiface.config.ConfigError;
import org.cemiface.config.ConfigLoader;
import org.junit.jupiter.api.Test;

class EncoderTrainSettingsTest {
  @Test
  void trainFrDefaultsToThePapersRecipe() {
    EncoderTrainSettings s =
        EncoderTrainSettings.from(ConfigLoader.load(List.of(), List.of()).reader(), "train-fr");
    assertEquals("ir_se_50", s.arch());
    assertEquals(40, s.epochs());
    // 0.1, divided by 10 at epochs 26 and 34 (section 4.1).
    assertEquals(0.1, s.lrAt(0), 1e-12);
    assertEquals(0.1, s.lrAt(25), 1e-12);
    assertEquals(0.01, s.lrAt(26), 1e-12);
    assertEquals(0.01, s.lrAt(33), 1e-12);
    assertEquals(0.001, s.lrAt(34), 1e-12);
    assertEquals(5e-4, s.weightDecay(), 0);
    assertEquals(0.4, s.margin(), 0);
    assertEquals(64, s.scale(), 0);
    assertEquals(0, s.holdoutIdentities());
    Augment a = s.augment();
    assertEquals(0.9, a.cropMin(), 0);
    assertEquals(0.1, a.colorJitter(), 0);
    assertEquals(0.1, a.hueJitter(), 0);
    assertEquals(0.02, a.eraseMin(), 0);
    assertEquals(0.1, a.eraseMax(), 0);
  }

  @Test
  void oneSectionDoesNotLeakIntoTheOther() {
    var r =
        ConfigLoader.load(List.of(), List.of("train-encoder.epochs=3", "train-fr.arch=ir_18"))
            .reader();
    assertEquals(3, EncoderTrainSettings.from(r).epochs());
    assertEquals("tiny", EncoderTrainSettings.from(r).arch());
    assertEquals(40, EncoderTrainSettings.from(r, "train-fr").epochs());
    assertEquals("ir_18", EncoderTrainSettings.from(r, "train-fr").arch());
  }

  @Test
  void oneHeldOutIdentityIsRefusedBecauseImpostorPairsNeedTwo() {
    // One held-out identity made the pair drawing loop forever looking for an impostor pair.
    ConfigError e =
        assertThrows(
            ConfigError.class,
            () ->
                EncoderTrainSettings.from(
                    ConfigLoader.load(List.of(), List.of("train-encoder.holdout-identities=1"))
                        .reader()));
    assertTrue(e.getMessage().contains("train-encoder.holdout-identities"), e.getMessage());
    assertEquals(
        2,
        EncoderTrainSettings.from(
                ConfigLoader.load(List.of(), List.of("train-encoder.holdout-identities=2"))
                    .reader())
            .holdoutIdentities());
  }
}
