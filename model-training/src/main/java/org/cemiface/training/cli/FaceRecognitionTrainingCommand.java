package org.cemiface.training.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
import org.cemiface.training.parallel.TrainingDevices;

/**
 * The one face-recognition trainer behind two commands that differ only in their configuration
 * section: {@code train-encoder} (the embedded default's identity encoder E_id) and {@code
 * train-fr} (FR models trained on generated datasets, the paper's recipe by default).
 */
abstract class FaceRecognitionTrainingCommand implements Command {
  @Override
  public Set<String> flags() {
    return Set.of("--resume");
  }

  @Override
  public int run(Invocation inv) {
    ConfigReader r = inv.config().reader();
    RunSettings run = RunSettings.from(r);
    EncoderTrainSettings settings = EncoderTrainSettings.from(r, name());
    String data = run.resolve(settings.data());
    List<ImageEntry> entries = TrainingImages.list(data);
    String output = run.resolve(settings.output());
    List<Device> devices = TrainingDevices.resolve(settings.devices(), name() + ".devices");
    if (devices.size() > 1 || settings.precision().precision().reduced()) {
      inv.err()
          .printf("[%s] on %s at %s%n", name(), devices, settings.precision().precision().key());
    }
    try (NDManager manager = NDManager.newBaseManager(devices.get(0))) {
      EncoderTrainer.Result result =
          new EncoderTrainer(name(), settings, run.seed(), inv.err())
              .withReplicasOn(devices.subList(1, devices.size()))
              .train(entries, manager, new Path(output), inv.has("--resume"));
      DjlIdentityEncoder.save(
          result.network(),
          result.layout(),
          output,
          String.format(
              Locale.ROOT,
              "%s on %s (%d identities, %d epochs, %s s=%s m=%s)",
              name(),
              data,
              result.classes(),
              settings.epochs(),
              settings.arcface() ? "ArcFace" : "CosFace",
              settings.scale(),
              settings.margin()));
      JsonObject report = new JsonObject();
      result
          .heldOut()
          .ifPresent(
              h -> {
                report.addProperty("verification_accuracy", h.verification().accuracy());
                report.addProperty("verification_std", h.verification().std());
                report.addProperty("threshold", h.verification().threshold());
                report.addProperty("pairs", h.verification().pairs());
                report.addProperty("heldout_impostor_mean", h.impostors().mean());
                report.addProperty("heldout_impostor_std", h.impostors().std());
                report.addProperty("heldout_impostor_mean_abs", h.impostors().meanAbs());
              });
      report.addProperty("training_identities", result.classes());
      report.addProperty("training_images", entries.size());
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
              Locale.ROOT,
              "Encoder %s trained on %d identities (%,d images) in %.0f s%n",
              settings.arch(),
              result.classes(),
              entries.size(),
              result.seconds());
      result
          .heldOut()
          .ifPresent(
              h -> {
                inv.out()
                    .printf(
                        Locale.ROOT,
                        "Pair verification on %d held-out identities %.2f%% +- %.2f (%d pairs)%n",
                        settings.holdoutIdentities(),
                        100 * h.verification().accuracy(),
                        100 * h.verification().std(),
                        h.verification().pairs());
                inv.out()
                    .printf(
                        Locale.ROOT,
                        "Held-out impostor pairs (different people): cosine mean %.3f, std %.3f,"
                            + " mean |cos| %.3f%n",
                        h.impostors().mean(),
                        h.impostors().std(),
                        h.impostors().meanAbs());
              });
      inv.out().println("Encoder: " + output + " (encoder.source = \"djl:" + output + "\")");
    }
    return 0;
  }
}
