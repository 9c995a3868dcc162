package org.cemiface.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.cemiface.model.cemiface.CemiFaceConfig;
import org.cemiface.model.cemiface.CemiFaceStore;
import org.cemiface.model.cemiface.CemiFaceUNet;
import org.cemiface.model.unet.UNetConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelWeightsTest {
  @TempDir static java.nio.file.Path dir;

  private static void save(String where, String name, String source) {
    try (NDManager m = NDManager.newBaseManager()) {
      CemiFaceUNet model =
          CemiFaceStore.create(
              new CemiFaceConfig(
                  new UNetConfig(8, 3, 32, 3, 1, new int[] {1, 1}, Set.of(2), 1, 32, 0f),
                  32,
                  false,
                  0,
                  0,
                  false),
              m);
      CemiFaceStore.save(model, new Path(dir.resolve(where).toString()), name, source);
    }
  }

  @BeforeAll
  static void layouts() throws Exception {
    save("run/step-0000005", "unet", "cemiface training, step 5");
    save("run/step-0000005", "ema", "cemiface training (EMA weights), step 5");
    Files.writeString(dir.resolve("run/latest"), "step-0000005", StandardCharsets.UTF_8);
    save("import", "unet", "imported UNet trunk from dcface.ckpt");
    Files.createDirectories(dir.resolve("empty"));
  }

  private static Path at(String where) {
    return new Path(dir.resolve(where).toString());
  }

  @Test
  void aTrainingOutputGivesItsNewestCheckpointsPreferredNetwork() {
    ModelWeights w = ModelWeights.locate(at("run"), "ema");
    assertEquals(at("run/step-0000005"), w.dir());
    assertEquals("ema", w.name());
    assertTrue(w.preferred());
    assertTrue(w.describe().contains("newest checkpoint (step 5)"), w.describe());
    assertEquals("unet", ModelWeights.locate(at("run"), "unet").name());
    ModelWeights step = ModelWeights.locate(at("run/step-0000005"), "ema");
    assertEquals("ema", step.name());
    assertTrue(step.describe().contains("a checkpoint directory"), step.describe());
  }

  @Test
  void aSingleNetworkIsTakenWhateverWasPreferredAndSaysSo() {
    ModelWeights w = ModelWeights.locate(at("import"), "ema");
    assertEquals("unet", w.name());
    assertFalse(w.preferred());
    assertTrue(
        w.describe()
            .endsWith(
                "import/unet.params (a single network (e.g. import-unet's), the only network there; imported UNet trunk from dcface.ckpt)"),
        w.describe());
  }

  @Test
  void aDirectoryWithoutWeightsIsRefusedWithTheLayoutsThatWork() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelWeights.locate(at("empty"), "ema"));
    assertTrue(e.getMessage().contains("holds no CemiFace weights"), e.getMessage());
    assertTrue(e.getMessage().contains("import-unet output"), e.getMessage());
  }
}
