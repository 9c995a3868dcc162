package org.cemiface.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.cemiface.config.ConfigError;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.HadoopPaths;

/**
 * The layout of a training run's output directory, a format shared by the trainer that writes it
 * and every job that reads it: {@code step-NNNNNNN/} per checkpoint, holding the networks {@value
 * #UNET} (raw weights) and {@value #EMA} (the EMA copy generation samples from) in {@link
 * ModelStore}'s format, and {@value #LATEST}, a file naming the newest complete one.
 */
public final class TrainingRunLayout {
  /** Name of the raw (optimised) UNet weights inside a checkpoint. */
  public static final String UNET = "unet";

  /** Name of the EMA weights inside a checkpoint. */
  public static final String EMA = "ema";

  /** The file naming the newest complete checkpoint. */
  public static final String LATEST = "latest";

  /** {@code value} of configuration key {@code key} when it names a network, else a clear error. */
  public static String network(String value, String key) {
    if (!value.equals(EMA) && !value.equals(UNET)) {
      throw new ConfigError(
          key
              + " = '"
              + value
              + "': use ema (a training checkpoint's EMA weights) or unet (its raw weights, and the"
              + " only network import-unet writes)");
    }
    return value;
  }

  private static final String STEP_PREFIX = "step-";
  private final Path root;

  /** The layout of the run writing to {@code root}. */
  public TrainingRunLayout(Path root) {
    this.root = root;
  }

  /** The run's output directory. */
  public Path root() {
    return root;
  }

  /** The directory of the checkpoint at {@code step}. */
  public Path dir(long step) {
    return new Path(root, String.format(Locale.ROOT, STEP_PREFIX + "%07d", step));
  }

  /** Whether {@code name} is a checkpoint directory's name. */
  public static boolean isCheckpointName(String name) {
    return name.startsWith(STEP_PREFIX);
  }

  /** The checkpoint directories under the root, oldest (lowest step) first; none if no root. */
  public List<Path> checkpoints() {
    List<Path> steps = new ArrayList<>();
    if (!HadoopFiles.exists(root)) {
      return steps;
    }
    try {
      for (FileStatus st : HadoopPaths.fileSystem(root).listStatus(root)) {
        if (st.isDirectory() && isCheckpointName(st.getPath().getName())) {
          steps.add(st.getPath());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
    }
    steps.sort((a, b) -> a.getName().compareTo(b.getName()));
    return steps;
  }

  /** The file naming the newest complete checkpoint. */
  public Path latestFile() {
    return new Path(root, LATEST);
  }

  /** The step of the newest complete checkpoint, if any. */
  public OptionalLong latestStep() {
    Path latest = latestFile();
    if (!HadoopFiles.exists(latest)) {
      return OptionalLong.empty();
    }
    String name = new String(HadoopFiles.readAllBytes(latest), StandardCharsets.UTF_8).trim();
    if (!name.matches(STEP_PREFIX + "[0-9]{1,18}")) {
      throw new IllegalStateException(
          latest
              + " names '"
              + name
              + "', not a checkpoint (step-NNNNNNN): delete it to"
              + " fall back to the previous checkpoint, or rerun training");
    }
    return OptionalLong.of(Long.parseLong(name.substring(STEP_PREFIX.length())));
  }

  /**
   * The checkpoint directory to load a model from: the newest checkpoint of a training run's output
   * directory, or {@code model} itself when it is not one (a directory holding the networks, e.g.
   * written by import-unet).
   */
  public static Path checkpointDir(Path model) {
    TrainingRunLayout run = new TrainingRunLayout(model);
    OptionalLong latest = run.latestStep();
    return latest.isPresent() ? run.dir(latest.getAsLong()) : model;
  }
}
