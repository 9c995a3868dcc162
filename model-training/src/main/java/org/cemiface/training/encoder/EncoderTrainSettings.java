package org.cemiface.training.encoder;

import java.util.Arrays;
import java.util.List;
import org.cemiface.config.ConfigReader;
import org.cemiface.training.optim.PrecisionSettings;

/**
 * A face-recognition training recipe: the {@code train-encoder} section (the embedded default's
 * identity encoder) or the {@code train-fr} section (FR models trained on generated datasets),
 * which share every key.
 */
public record EncoderTrainSettings(
    String data,
    String output,
    String arch,
    int holdoutIdentities,
    int batchSize,
    int epochs,
    double lr,
    double momentum,
    double weightDecay,
    int[] lrSteps,
    double scale,
    double margin,
    boolean arcface,
    double spreadOut,
    Augment augment,
    int logEvery,
    int threads,
    int checkpointEveryEpochs,
    List<String> devices,
    boolean concurrentReplicas,
    PrecisionSettings precision) {

  /** Reads the {@code train-encoder} section. */
  public static EncoderTrainSettings from(ConfigReader root) {
    return from(root, "train-encoder");
  }

  /** Reads the recipe in {@code section} ({@code train-encoder} or {@code train-fr}). */
  public static EncoderTrainSettings from(ConfigReader root, String section) {
    ConfigReader r = root.section(section);
    ConfigReader a = r.section("augment");
    Augment augment =
        new Augment(
            a.bool("flip"),
            a.doubleIn("crop-min", 0.05, 1),
            a.doubleIn("crop-max", 0.05, 1),
            a.doubleIn("color-jitter", 0, 1),
            a.doubleIn("hue-jitter", 0, 0.5),
            a.doubleIn("erase-probability", 0, 1),
            a.doubleIn("erase-min", 0, 1),
            a.doubleIn("erase-max", 0, 1));
    return new EncoderTrainSettings(
        r.string("data"),
        r.string("output"),
        r.string("arch"),
        holdoutIdentities(r),
        r.intIn("batch-size", 2, 65536),
        r.intIn("epochs", 1, 10_000),
        r.doubleIn("lr", 0, 10),
        r.doubleIn("momentum", 0, 0.9999),
        r.doubleIn("weight-decay", 0, 1),
        Arrays.stream(r.doubles("lr-steps", -1, 0, 10_000)).mapToInt(d -> (int) d).toArray(),
        r.doubleIn("scale", 1, 1000),
        r.doubleIn("margin", 0, 2),
        r.bool("arcface"),
        r.doubleIn("spread-out", 0, 1000),
        augment,
        r.intIn("log-every", 1, Integer.MAX_VALUE),
        r.intIn("threads", 1, 256),
        r.intIn("checkpoint-every-epochs", 0, 10_000),
        r.strings("devices"),
        r.bool("concurrent-replicas"),
        PrecisionSettings.from(r, section));
  }

  /** The learning rate in {@code epoch} (×0.1 at every listed step that has passed). */
  public double lrAt(int epoch) {
    double v = lr;
    for (int s : lrSteps) {
      if (epoch >= s) {
        v *= 0.1;
      }
    }
    return v;
  }

  /** Impostor pairs need two identities, so a held-out check takes none or at least two. */
  private static int holdoutIdentities(ConfigReader r) {
    int n = r.intIn("holdout-identities", 0, 1_000_000);
    if (n == 1) {
      throw r.invalid(
          "holdout-identities", "0 (no check) or at least 2 (impostor pairs need two identities)");
    }
    return n;
  }
}
