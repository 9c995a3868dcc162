package org.cemiface.training.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.cemiface.config.ConfigLoader;
import org.cemiface.data.ImageEntry;
import org.cemiface.data.TrainingImages;
import org.cemiface.image.ImageFormat;
import org.cemiface.image.ImageSettings;
import org.cemiface.model.iresnet.IResNet;
import org.cemiface.model.iresnet.IResNetConfig;
import org.cemiface.nn.TorchNames;
import org.cemiface.render.IdentitySetWriter;
import org.cemiface.render.RenderSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncoderTrainerTest {
  @TempDir static java.nio.file.Path shared;
  private static List<ImageEntry> entries;

  @BeforeAll
  static void render() {
    RenderSettings render =
        new RenderSettings(6, 4, 0, 32, "x", new RenderSettings.Variation(1, 1, 1, 0, 0, 2));
    new IdentitySetWriter(3, render, new ImageSettings(ImageFormat.PNG, 95), 1)
        .write(new Path(shared.resolve("faces").toString()));
    entries = TrainingImages.list(shared.resolve("faces").toString());
  }

  private static EncoderTrainSettings settings(int epochs, int checkpointEvery, String... more) {
    List<String> overrides =
        new ArrayList<>(
            List.of(
                "train-fr.arch=tiny",
                "train-fr.batch-size=8",
                "train-fr.epochs=" + epochs,
                "train-fr.lr-steps=[3]",
                "train-fr.scale=30",
                "train-fr.margin=0.2",
                "train-fr.threads=1",
                "train-fr.checkpoint-every-epochs=" + checkpointEvery));
    overrides.addAll(List.of(more));
    return EncoderTrainSettings.from(ConfigLoader.load(List.of(), overrides).reader(), "train-fr");
  }

  private static void train(int epochs, java.nio.file.Path output, boolean resume) {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    try (NDManager m = NDManager.newBaseManager()) {
      new EncoderTrainer("train-fr", settings(epochs, 1), 11, quiet)
          .train(entries, m, new Path(output.toString()), resume);
    }
  }

  private static byte[] file(java.nio.file.Path run, String name) throws Exception {
    return Files.readAllBytes(run.resolve("checkpoints/step-0000012").resolve(name));
  }

  /** Each metrics line without its wall-clock seconds. */
  private static List<String> metrics(java.nio.file.Path run) throws Exception {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      JsonObject o = JsonParser.parseString(line).getAsJsonObject();
      o.remove("seconds");
      out.add(o.toString());
    }
    return out;
  }

  @Test
  void aResumedRunEndsWithTheUninterruptedRunsWeights() throws Exception {
    java.nio.file.Path whole = shared.resolve("whole");
    train(4, whole, false);
    java.nio.file.Path split = shared.resolve("split");
    train(4, split, false); // an earlier run in the same output: a fresh start clears it
    train(2, split, false); // a run that stopped after epoch 2 ...
    train(4, split, true); // ... continued to 4
    // 24 images in batches of 8: 3 updates per epoch, 12 in all; the last checkpoint is step 12.
    assertEquals("step-0000012", Files.readString(split.resolve("checkpoints/latest")).trim());
    assertArrayEquals(file(whole, "encoder.params"), file(split, "encoder.params"));
    assertArrayEquals(file(whole, "head.params"), file(split, "head.params"));
    assertArrayEquals(file(whole, "optimizer.state"), file(split, "optimizer.state"));
    List<String> lines = metrics(split);
    assertEquals(4, lines.size(), lines.toString());
    assertEquals(metrics(whole), lines);
    assertTrue(lines.get(3).contains("\"epoch\":3"), lines.get(3));
    // Two checkpoints are kept.
    try (var dirs = Files.list(split.resolve("checkpoints"))) {
      assertEquals(
          List.of("latest", "step-0000009", "step-0000012"),
          dirs.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void float16OverflowSkipsTheUpdateHalvesTheScaleAndTheCheckpointKeepsIt() throws Exception {
    java.nio.file.Path out = shared.resolve("fp16-overflow");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    float[] start;
    float[] end;
    try (NDManager m = NDManager.newBaseManager()) {
      // At 2^32 every float16 gradient of the network overflows: each of the 3 steps is skipped.
      EncoderTrainer.Result r =
          new EncoderTrainer(
                  "train-fr",
                  settings(
                      1,
                      1,
                      "train-fr.precision=fp16",
                      "train-fr.loss-scale.initial=4294967296",
                      "train-fr.batch-size=12"),
                  11,
                  new PrintStream(log, true, StandardCharsets.UTF_8))
              .train(entries, m, new Path(out.toString()), false);
      end =
          TorchNames.parameters(r.network()).get("input_layer.0.weight").getArray().toFloatArray();
      Engine.getInstance().setRandomSeed(Long.hashCode(11));
      IResNet fresh = new IResNet(IResNetConfig.named("tiny"));
      fresh.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
      start = TorchNames.parameters(fresh).get("input_layer.0.weight").getArray().toFloatArray();
    }
    String text = log.toString(StandardCharsets.UTF_8);
    assertEquals(2, text.split("overflowed", -1).length - 1, text);
    assertTrue(text.contains("scale now 1073741824"), text);
    assertArrayEquals(start, end, 0f);
    JsonObject state =
        JsonParser.parseString(
                Files.readString(out.resolve("checkpoints/step-0000002/trainer.json")))
            .getAsJsonObject();
    assertEquals(1073741824.0, state.get("loss_scale").getAsDouble());
  }

  @Test
  void dataParallelTrainingOverTwoDevicesLearnsAndRepeatsItself() throws Exception {
    // Both shards are on the CPU, whose one generator the tiny encoder's dropout draws from: asked
    // to run at once, the trainer runs them one after another so that the run repeats exactly.
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    java.nio.file.Path atOnce = trainOnTwoDevices("two-devices", log);
    java.nio.file.Path sequential =
        trainOnTwoDevices(
            "two-devices-sequential",
            new ByteArrayOutputStream(),
            "train-fr.concurrent-replicas=false");
    assertTrue(
        log.toString(StandardCharsets.UTF_8).contains("replicas run one after another"),
        log.toString(StandardCharsets.UTF_8));
    List<String> lines = metrics(atOnce);
    assertEquals(metrics(sequential), lines);
    double first = JsonParser.parseString(lines.get(0)).getAsJsonObject().get("loss").getAsDouble();
    double last = JsonParser.parseString(lines.get(3)).getAsJsonObject().get("loss").getAsDouble();
    assertTrue(last < first, "loss " + first + " -> " + last);
  }

  private static java.nio.file.Path trainOnTwoDevices(
      String name, ByteArrayOutputStream log, String... more) {
    java.nio.file.Path out = shared.resolve(name);
    try (NDManager m = NDManager.newBaseManager()) {
      EncoderTrainer.Result r =
          new EncoderTrainer(
                  "train-fr",
                  settings(4, 1, more),
                  11,
                  new PrintStream(log, true, StandardCharsets.UTF_8))
              .withReplicasOn(List.of(Device.cpu()))
              .train(entries, m, new Path(out.toString()), false);
      assertEquals(12, r.steps());
    }
    return out;
  }

  @Test
  void resumeWithoutCheckpointsSaysSo() {
    try (NDManager m = NDManager.newBaseManager()) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  new EncoderTrainer("train-fr", settings(1, 0), 11, System.err)
                      .train(entries, m, new Path(shared.resolve("none").toString()), true));
      assertTrue(e.getMessage().contains("checkpoint-every-epochs is 0"), e.getMessage());
    }
  }
}
