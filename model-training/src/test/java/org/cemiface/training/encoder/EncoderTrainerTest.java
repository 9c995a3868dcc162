package org.cemiface.training.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
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

  private static EncoderTrainSettings settings(int epochs, int checkpointEvery) {
    return EncoderTrainSettings.from(
        ConfigLoader.load(
                List.of(),
                List.of(
                    "train-fr.arch=tiny",
                    "train-fr.batch-size=8",
                    "train-fr.epochs=" + epochs,
                    "train-fr.lr-steps=[3]",
                    "train-fr.scale=30",
                    "train-fr.margin=0.2",
                    "train-fr.threads=1",
                    "train-fr.checkpoint-every-epochs=" + checkpointEvery))
            .reader(),
        "train-fr");
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
