package org.cemiface.training.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.cemiface.cli.Command;
import org.cemiface.cli.Invocation;
import org.cemiface.config.ConfigReader;
import org.cemiface.config.RunSettings;
import org.cemiface.data.ImageEntry;
import org.cemiface.data.TrainingImages;
import org.cemiface.encoder.DjlIdentityEncoder;
import org.cemiface.io.HadoopFiles;
import org.cemiface.training.encoder.EncoderTrainSettings;
import org.cemiface.training.encoder.EncoderTrainer;

/** {@code train-encoder}: trains an IResNet identity encoder with CosFace on labelled faces. */
public final class TrainEncoderCommand implements Command {
  @Override
  public String name() {
    return "train-encoder";
  }

  @Override
  public String summary() {
    return "train an IResNet identity encoder with CosFace and report pair verification on held-out identities";
  }

  @Override
  public String help() {
    return "Trains train-encoder.arch on the ImageFolder train-encoder.data (all identities but the last\n"
        + "train-encoder.holdout-identities) with CosFace (s, m from train-encoder.scale/margin; ArcFace with\n"
        + "train-encoder.arcface) by SGD with momentum, then reports 10-fold pair-verification accuracy on the\n"
        + "held-out identities. Writes train-encoder.output: encoder.params, encoder.json (use as\n"
        + "encoder.source = djl:<output>) and report.json.";
  }

  @Override
  public int run(Invocation inv) {
    ConfigReader r = inv.config().reader();
    RunSettings run = RunSettings.from(r);
    EncoderTrainSettings settings = EncoderTrainSettings.from(r);
    List<ImageEntry> entries = TrainingImages.list(run.resolve(settings.data()));
    String output = run.resolve(settings.output());
    try (NDManager manager = NDManager.newBaseManager()) {
      EncoderTrainer.Result result =
          new EncoderTrainer(settings, run.seed(), inv.err()).train(entries, manager);
      DjlIdentityEncoder.save(
          result.network(),
          result.layout(),
          output,
          "train-encoder on "
              + run.resolve(settings.data())
              + " ("
              + result.classes()
              + " identities, "
              + settings.epochs()
              + " epochs, CosFace s="
              + settings.scale()
              + " m="
              + settings.margin()
              + ")");
      JsonObject report = new JsonObject();
      report.addProperty("verification_accuracy", result.verification().accuracy());
      report.addProperty("verification_std", result.verification().std());
      report.addProperty("threshold", result.verification().threshold());
      report.addProperty("pairs", result.verification().pairs());
      report.addProperty("heldout_impostor_mean", result.heldOutImpostors().mean());
      report.addProperty("heldout_impostor_std", result.heldOutImpostors().std());
      report.addProperty("heldout_impostor_mean_abs", result.heldOutImpostors().meanAbs());
      report.addProperty("training_identities", result.classes());
      report.addProperty("holdout_identities", settings.holdoutIdentities());
      report.addProperty("steps", result.steps());
      report.addProperty("skipped_images", result.skippedImages());
      report.addProperty("seconds", result.seconds());
      HadoopFiles.writeAtomically(
          new Path(output, "report.json"),
          new GsonBuilder()
              .setPrettyPrinting()
              .create()
              .toJson(report)
              .getBytes(StandardCharsets.UTF_8));
      inv.out()
          .printf(
              "Encoder %s trained on %d identities in %.0f s: pair verification on %d held-out identities"
                  + " %.2f%% +- %.2f (%d pairs)%n",
              settings.arch(),
              result.classes(),
              result.seconds(),
              settings.holdoutIdentities(),
              100 * result.verification().accuracy(),
              100 * result.verification().std(),
              result.verification().pairs());
      inv.out()
          .printf(
              "Held-out impostor pairs (different people): cosine mean %.3f, std %.3f, mean |cos| %.3f%n",
              result.heldOutImpostors().mean(),
              result.heldOutImpostors().std(),
              result.heldOutImpostors().meanAbs());
      inv.out().println("Encoder: " + output + " (encoder.source = \"djl:" + output + "\")");
    }
    return 0;
  }
}
