package org.cemiface.training.cemiface;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.cemiface.checkpoint.ModelStore;
import org.cemiface.checkpoint.ModelWeights;
import org.cemiface.checkpoint.TrainingRunLayout;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.HadoopPaths;
import org.cemiface.model.cemiface.CemiFaceStore;
import org.cemiface.model.cemiface.CemiFaceUNet;
import org.cemiface.training.optim.LossScaler;
import org.cemiface.training.optim.Optimizer;

/**
 * The write side of {@link TrainingRunLayout}: each checkpoint directory holds unet, ema (DJL
 * format with model cards), optimizer.state, trainer.json and config.conf. A checkpoint is written
 * into a hidden staging folder and renamed into place, then {@code latest} is updated: a killed run
 * leaves either the previous or the new checkpoint, never a mix. The two newest are kept.
 */
public final class TrainingCheckpoints {
  private static final int KEEP = 2;
  private static final String TRAINER_STATE = "trainer.json";
  private static final String STARTED_FROM = "; started from ";
  private final Path output;
  private final TrainingRunLayout layout;
  private final FileSystem fs;
  private String lineage = "";

  /** Checkpoints of the run writing to {@code output}. */
  public TrainingCheckpoints(Path output) {
    this.output = output;
    this.layout = new TrainingRunLayout(output);
    this.fs = HadoopPaths.fileSystem(output);
  }

  /**
   * Records in every checkpoint's model cards that the run started from {@code weights} (their file
   * and their own card's source, so lineage chains through runs).
   */
  public void startedFrom(ModelWeights weights) {
    this.lineage =
        weights.params() + " (" + ModelStore.card(weights.dir(), weights.name()).source() + ")";
  }

  private String source(String what, long step) {
    return what + ", step " + step + (lineage.isEmpty() ? "" : STARTED_FROM + lineage);
  }

  /** The directory of the checkpoint at {@code step}. */
  public Path dir(long step) {
    return layout.dir(step);
  }

  /** The step of the newest complete checkpoint, if any. */
  public OptionalLong latestStep() {
    return layout.latestStep();
  }

  /**
   * Writes the checkpoint of {@code state}'s step (trainer.json: the state and {@code scaler}'s),
   * makes it latest.
   */
  public void save(
      TrainerState state,
      LossScaler scaler,
      CemiFaceUNet model,
      CemiFaceUNet ema,
      Optimizer optimizer,
      String config) {
    long step = state.step();
    Path staging = new Path(output, "_staging-" + UUID.randomUUID());
    try {
      CemiFaceStore.save(model, staging, TrainingRunLayout.UNET, source("cemiface training", step));
      CemiFaceStore.save(
          ema, staging, TrainingRunLayout.EMA, source("cemiface training (EMA weights)", step));
      HadoopFiles.writeAtomically(
          new Path(staging, "optimizer.state"),
          out -> {
            DataOutputStream data = new DataOutputStream(out);
            optimizer.save(data);
            data.flush();
          });
      HadoopFiles.writeAtomically(
          new Path(staging, "config.conf"), config.getBytes(StandardCharsets.UTF_8));
      HadoopFiles.writeAtomically(
          new Path(staging, TRAINER_STATE),
          state.toJson(scaler).toString().getBytes(StandardCharsets.UTF_8));
      HadoopFiles.commit(fs, staging, dir(step));
      HadoopFiles.writeAtomically(
          layout.latestFile(), dir(step).getName().getBytes(StandardCharsets.UTF_8));
      prune();
    } catch (IOException e) {
      HadoopFiles.deleteRecursively(staging);
      throw new UncheckedIOException(
          "cannot write checkpoint " + dir(step) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Restores model, EMA, optimizer and {@code scaler} from the checkpoint at {@code step}; returns
   * its state.
   */
  public TrainerState restore(
      long step,
      CemiFaceUNet model,
      CemiFaceUNet ema,
      Optimizer optimizer,
      LossScaler scaler,
      NDManager manager) {
    Path dir = dir(step);
    String source = ModelStore.card(dir, TrainingRunLayout.UNET).source();
    int from = source.indexOf(STARTED_FROM);
    lineage = from < 0 ? "" : source.substring(from + STARTED_FROM.length());
    ModelStore.loadParameters(model, manager, dir, TrainingRunLayout.UNET);
    ModelStore.loadParameters(ema, manager, dir, TrainingRunLayout.EMA);
    Path state = new Path(dir, "optimizer.state");
    try (InputStream in = fs.open(state)) {
      optimizer.load(new DataInputStream(new BufferedInputStream(in)), state.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + state + ": " + e.getMessage(), e);
    }
    Path trainer = new Path(dir, TRAINER_STATE);
    JsonObject json =
        JsonParser.parseString(
                new String(HadoopFiles.readAllBytes(trainer), StandardCharsets.UTF_8))
            .getAsJsonObject();
    return TrainerState.fromJson(json, trainer.toString(), scaler);
  }

  private void prune() throws IOException {
    List<Path> steps = layout.checkpoints();
    for (int i = 0; i + KEEP < steps.size(); i++) {
      fs.delete(steps.get(i), true);
    }
  }
}
