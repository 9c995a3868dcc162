package org.cemiface.training.encoder;

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
import org.cemiface.checkpoint.ModelCard;
import org.cemiface.checkpoint.ModelStore;
import org.cemiface.checkpoint.TrainingRunLayout;
import org.cemiface.encoder.DjlIdentityEncoder;
import org.cemiface.image.TensorLayout;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.HadoopPaths;
import org.cemiface.model.iresnet.IResNet;
import org.cemiface.nn.TorchNames;
import org.cemiface.training.optim.LossScaler;
import org.cemiface.training.optim.Optimizer;

/**
 * Epoch-end checkpoints of a face-recognition run under {@code <output>/checkpoints}: the network
 * (loadable as an encoder on its own), the margin head, the optimiser's momentum, the epoch and the
 * loss scale, staged and renamed into {@code step-N/} (N = updates so far) with {@code latest}
 * written last.
 */
final class EncoderCheckpoints {
  private static final int KEEP = 2;
  private static final String HEAD = "head";
  private static final String OPTIMIZER = "optimizer.state";
  private static final String STATE = "trainer.json";

  private final Path root;
  private final TrainingRunLayout layout;
  private final FileSystem fs;

  /** What a checkpoint records beside the weights. */
  record State(int epochsDone, long step, long skippedImages) {}

  /** Checkpoints of the run writing to {@code output}. */
  EncoderCheckpoints(Path output) {
    this.root = new Path(output, "checkpoints");
    this.layout = new TrainingRunLayout(root);
    this.fs = HadoopPaths.fileSystem(root);
  }

  /**
   * Removes the checkpoints of an earlier run: a fresh run's low step numbers would otherwise sort
   * below them and be pruned first.
   */
  void clear() {
    HadoopFiles.deleteRecursively(root);
  }

  /** The newest complete checkpoint's step, if any. */
  OptionalLong latestStep() {
    return layout.latestStep();
  }

  /** Writes the checkpoint of {@code state} and makes it the latest. */
  void save(
      State state,
      IResNet net,
      TensorLayout input,
      CosFaceHead head,
      Optimizer optimizer,
      LossScaler scaler) {
    Path staging = new Path(root, "_staging-" + UUID.randomUUID());
    Path target = layout.dir(state.step());
    try {
      DjlIdentityEncoder.save(net, input, staging.toString(), "epoch " + state.epochsDone());
      ModelStore.save(
          head,
          staging,
          HEAD,
          ModelCard.of(
              "margin-head",
              new JsonObject(),
              TorchNames.count(head, false),
              "epoch " + state.epochsDone()));
      HadoopFiles.writeAtomically(
          new Path(staging, OPTIMIZER),
          out -> {
            DataOutputStream data = new DataOutputStream(out);
            optimizer.save(data);
            data.flush();
          });
      JsonObject json = new JsonObject();
      json.addProperty("epochs_done", state.epochsDone());
      json.addProperty("step", state.step());
      json.addProperty("skipped_images", state.skippedImages());
      scaler.save(json);
      HadoopFiles.writeAtomically(
          new Path(staging, STATE), json.toString().getBytes(StandardCharsets.UTF_8));
      if (HadoopFiles.exists(target)) {
        HadoopFiles.deleteRecursively(target); // a rerun of the same epoch after a crash
      }
      HadoopFiles.commit(fs, staging, target);
      HadoopFiles.writeAtomically(
          layout.latestFile(), target.getName().getBytes(StandardCharsets.UTF_8));
      prune();
    } catch (IOException e) {
      HadoopFiles.deleteRecursively(staging);
      throw new UncheckedIOException(
          "cannot write checkpoint " + target + ": " + e.getMessage(), e);
    }
  }

  /** Loads the checkpoint at {@code step} into the given network, head, optimiser and scaler. */
  State restore(
      long step,
      IResNet net,
      CosFaceHead head,
      Optimizer optimizer,
      LossScaler scaler,
      NDManager manager) {
    Path dir = layout.dir(step);
    ModelStore.loadParameters(net, manager, dir, DjlIdentityEncoder.STORE_NAME);
    ModelStore.loadParameters(head, manager, dir, HEAD);
    Path state = new Path(dir, OPTIMIZER);
    try (InputStream in = fs.open(state)) {
      optimizer.load(new DataInputStream(new BufferedInputStream(in)), state.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + state + ": " + e.getMessage(), e);
    }
    Path file = new Path(dir, STATE);
    JsonObject json =
        JsonParser.parseString(new String(HadoopFiles.readAllBytes(file), StandardCharsets.UTF_8))
            .getAsJsonObject();
    scaler.restore(json);
    return new State(
        json.get("epochs_done").getAsInt(),
        json.get("step").getAsLong(),
        json.get("skipped_images").getAsLong());
  }

  private void prune() throws IOException {
    List<Path> steps = layout.checkpoints();
    for (int i = 0; i + KEEP < steps.size(); i++) {
      fs.delete(steps.get(i), true);
    }
  }
}
