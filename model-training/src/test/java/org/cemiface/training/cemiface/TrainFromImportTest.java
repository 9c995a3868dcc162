package org.cemiface.training.cemiface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.cemiface.checkpoint.ModelStore;
import org.cemiface.cli.Main;
import org.cemiface.encoder.DjlIdentityEncoder;
import org.cemiface.image.ChannelOrder;
import org.cemiface.image.ImageFormat;
import org.cemiface.image.ImageSettings;
import org.cemiface.image.TensorLayout;
import org.cemiface.model.cemiface.CemiFaceStore;
import org.cemiface.model.cemiface.CemiFaceUNet;
import org.cemiface.model.iresnet.IResNet;
import org.cemiface.model.iresnet.IResNetConfig;
import org.cemiface.nn.TorchNames;
import org.cemiface.render.IdentitySetWriter;
import org.cemiface.render.RenderSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training that starts from imported guided-diffusion weights, end to end through the commands:
 * import-unet, then train with {@code train.init} and a frozen trunk, then m-sweep on the import.
 */
class TrainFromImportTest {
  /** The small guided-diffusion-layout UNet state dict of pipeline-core's fixtures (28 px). */
  private static final String FIXTURE =
      java.nio.file.Path.of("..", "pipeline-core", "src", "test", "resources", "fixtures")
          .resolve("unet_small.pt")
          .toAbsolutePath()
          .toString();

  private static final List<String> MODEL =
      List.of(
          "model.unet.preset=custom",
          "model.unet.image-size=28",
          "model.unet.channel-mult=[1,1,1,1]",
          "model.unet.attention-ds=[8]",
          "model.unet.head-channels=32",
          "model.unet.out-channels=6");

  @TempDir static java.nio.file.Path dir;
  static String imported;
  static String trained;
  static String importOutput;
  static String trainLog;

  record Run(int code, String out, String err) {}

  private static Run main(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static List<String> withSettings(List<String> args, List<String> settings) {
    List<String> all = new ArrayList<>(args);
    for (String s : settings) {
      all.addAll(List.of("--set", s));
    }
    return all;
  }

  @BeforeAll
  static void importThenTrain() throws Exception {
    // 28-px faces for the 28-px UNet, and a random 112-px encoder with the tiny IResNet's 128-d
    // identity (what import-unet sizes the condition for with --encoder-arch tiny).
    RenderSettings render =
        new RenderSettings(4, 2, 0, 28, "x", new RenderSettings.Variation(1, 1, 1, 0, 0, 2));
    new IdentitySetWriter(5, render, new ImageSettings(ImageFormat.PNG, 95), 1)
        .write(new Path(dir.resolve("faces").toString()));
    try (NDManager m = NDManager.newBaseManager()) {
      IResNet net =
          new IResNet(
              new IResNetConfig(
                  112, new int[] {1, 1, 1, 1}, new int[] {8, 8, 8, 8}, 8, 128, false, 0f));
      net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 112, 112));
      double[] half = {0.5, 0.5, 0.5};
      DjlIdentityEncoder.save(
          net,
          new TensorLayout(112, ChannelOrder.RGB, half, half),
          dir.resolve("encoder").toString(),
          "random test encoder");
    }
    imported = dir.resolve("imported").toString();
    Run imp =
        main(
            withSettings(
                List.of(
                    "import-unet",
                    "--checkpoint",
                    FIXTURE,
                    "--output",
                    imported,
                    "--encoder-arch",
                    "tiny",
                    "--strict"),
                MODEL));
    assertEquals(0, imp.code(), imp.err());
    importOutput = imp.out();
    trained = dir.resolve("trained").toString();
    List<String> settings = new ArrayList<>(MODEL);
    settings.addAll(
        List.of(
            "encoder.source=djl:" + dir.resolve("encoder"),
            "train.data=" + dir.resolve("faces"),
            "train.output=" + trained,
            "train.init=" + imported,
            "train.freeze-trunk-steps=2",
            "train.steps=3",
            "train.batch-size=2",
            "train.lr=1e-3",
            "train.checkpoint-every=1",
            "train.sheet-inquiries=0",
            "train.threads=1"));
    Run train = main(withSettings(List.of("train"), settings));
    assertEquals(0, train.code(), train.err() + train.out());
    trainLog = train.err() + train.out();
  }

  private static Map<String, float[]> weights(String dir, String name) {
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, float[]> out = new LinkedHashMap<>();
      TorchNames.parameters(CemiFaceStore.load(new Path(dir), name, m))
          .forEach((k, p) -> out.put(k, p.getArray().toFloatArray()));
      return out;
    }
  }

  private static String step(int n) {
    return trained + String.format("/step-%07d", n);
  }

  @Test
  void theTrunkStartsAsImportedAndStaysFrozenWhileTheConditionLearns() {
    Map<String, float[]> start = weights(imported, "unet");
    // The trainer keeps the newest two checkpoints: step 2 (the last frozen one) and step 3.
    for (int s = 2; s <= 3; s++) {
      Map<String, float[]> raw = weights(step(s), "unet");
      Map<String, float[]> ema = weights(step(s), "ema");
      long trunkChanged = 0;
      long conditionChanged = 0;
      for (Map.Entry<String, float[]> e : start.entrySet()) {
        boolean same = Arrays.equals(e.getValue(), raw.get(e.getKey()));
        if (e.getKey().startsWith(CemiFaceUNet.TRUNK_PREFIX)) {
          trunkChanged += same ? 0 : 1;
          if (s <= 2) {
            // A frozen trunk's EMA is the trunk itself (to rounding) only if the EMA started at the
            // loaded weights.
            assertArrayEquals(e.getValue(), ema.get(e.getKey()), 1e-6f, "EMA of " + e.getKey());
          }
        } else {
          conditionChanged += same ? 0 : 1;
        }
      }
      assertTrue(conditionChanged > 0, "no condition tensor moved by step " + s);
      if (s <= 2) {
        assertEquals(0, trunkChanged, "trunk tensors changed while frozen, step " + s);
      } else {
        assertTrue(trunkChanged > 0, "the trunk did not start learning after the frozen steps");
      }
    }
    assertTrue(trainLog.contains("Starting from " + imported), trainLog);
  }

  @Test
  void everyCheckpointCardNamesWhatTheRunStartedFrom() {
    String source = ModelStore.card(new Path(step(3)), "ema").source();
    assertTrue(source.contains("started from " + imported + "/unet.params"), source);
    assertTrue(source.contains("imported UNet trunk from " + FIXTURE), source);
  }

  @Test
  void importUnetNamesTheConditionTensorsThatStartFresh() {
    assertTrue(importOutput.contains("Fresh (random) condition path"), importOutput);
    assertTrue(importOutput.contains("condition."), importOutput);
    String fresh =
        importOutput.lines().filter(l -> l.startsWith("Fresh")).findFirst().orElseThrow();
    assertTrue(fresh.contains("4 tensors: condition.sim_embed.weight"), fresh);
    assertFalse(fresh.contains(" unet."), fresh);
  }

  @Test
  void mSweepSamplesFromTheImportItself() throws Exception {
    List<String> settings = new ArrayList<>(MODEL);
    settings.addAll(
        List.of(
            "encoder.source=djl:" + dir.resolve("encoder"),
            "sampling.steps=2",
            "train.data=" + dir.resolve("faces")));
    Run sweep =
        main(
            withSettings(
                List.of("m-sweep", "--model", imported, "--count", "1", "--samples", "1"),
                settings));
    assertEquals(0, sweep.code(), sweep.err());
    assertTrue(sweep.err().contains("unet.params (a single network"), sweep.err());
    assertTrue(Files.isRegularFile(java.nio.file.Path.of(imported, "m-sweep.png")));
  }
}
