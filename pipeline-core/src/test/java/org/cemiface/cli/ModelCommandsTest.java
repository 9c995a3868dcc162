package org.cemiface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.cemiface.checkpoint.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCommandsTest {
  @TempDir Path dir;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private static final String[] FIXTURE_UNET = {
    "--set",
    "model.unet.preset=custom",
    "--set",
    "model.unet.image-size=28",
    "--set",
    "model.unet.channel-mult=[1,1,1,1]",
    "--set",
    "model.unet.attention-ds=[8]",
    "--set",
    "model.unet.head-channels=32",
    "--set",
    "model.unet.out-channels=6"
  };

  @Test
  void importUnetLoadsAMatchingTrunkStrictly() throws Exception {
    String[] args =
        concat(
            new String[] {
              "import-unet",
              "--checkpoint",
              Fixtures.path("unet_small.pt").toString(),
              "--output",
              dir.toString(),
              "--strict",
              "--encoder-arch",
              "tiny"
            },
            FIXTURE_UNET);
    CliRun r = run(args);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("tensors loaded") && !r.out().contains("missing"), r.out());
    assertTrue(Files.isRegularFile(dir.resolve("unet.params")));
    assertTrue(Files.readString(dir.resolve("unet.json")).contains("imported UNet trunk"));
  }

  @Test
  void mismatchedArchitectureIsReportedAndStrictModeFails() {
    CliRun lax =
        run(
            "import-unet",
            "--checkpoint",
            Fixtures.path("unet_small.pt").toString(),
            "--output",
            dir.resolve("lax").toString(),
            "--set",
            "model.unet.preset=tiny",
            "--encoder-arch",
            "tiny");
    assertTrue(lax.out().contains("shape mismatches") || lax.out().contains("missing"), lax.out());
    CliRun strict =
        run(
            "import-unet",
            "--checkpoint",
            Fixtures.path("unet_small.pt").toString(),
            "--output",
            dir.resolve("strict").toString(),
            "--set",
            "model.unet.preset=tiny",
            "--encoder-arch",
            "tiny",
            "--strict");
    assertEquals(Main.BAD_INPUT, strict.code());
    assertTrue(strict.err().contains("does not match the network"), strict.err());
    assertTrue(!Files.exists(dir.resolve("strict/unet.json")));
  }

  @Test
  void modelInfoPrintsParameterCounts() {
    CliRun r = run("model-info", "--set", "model.unet.preset=tiny", "--encoder-arch", "tiny");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("parameters") && r.out().contains("image 32"), r.out());
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
