package org.cemiface.checkpoint;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.Path;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.HadoopPaths;

/**
 * Saves and loads networks as {@code <name>.params} (DJL's parameter format) plus {@code
 * <name>.json} (the {@link ModelCard}), atomically, through the Hadoop FileSystem API.
 */
public final class ModelStore {
  /** Suffix of the weights file. */
  public static final String PARAMS_SUFFIX = ".params";

  /** Suffix of the card file. */
  public static final String CARD_SUFFIX = ".json";

  private ModelStore() {}

  /** Writes the weights first and the card last: a card means a complete checkpoint. */
  public static void save(Block block, Path dir, String name, ModelCard card) {
    HadoopFiles.writeAtomically(
        new Path(dir, name + PARAMS_SUFFIX),
        out -> {
          DataOutputStream data = new DataOutputStream(out);
          block.saveParameters(data);
          data.flush();
        });
    HadoopFiles.writeAtomically(
        new Path(dir, name + CARD_SUFFIX), card.toJson().getBytes(StandardCharsets.UTF_8));
  }

  /** Whether a complete checkpoint {@code name} exists in {@code dir}. */
  public static boolean exists(Path dir, String name) {
    return HadoopFiles.exists(new Path(dir, name + CARD_SUFFIX))
        && HadoopFiles.exists(new Path(dir, name + PARAMS_SUFFIX));
  }

  /** Reads the card of checkpoint {@code name}. */
  public static ModelCard card(Path dir, String name) {
    Path p = new Path(dir, name + CARD_SUFFIX);
    return ModelCard.parse(
        new String(HadoopFiles.readAllBytes(p), StandardCharsets.UTF_8), p.toString());
  }

  /**
   * Loads weights into {@code block}, which must be built and initialised from the card's
   * configuration.
   */
  public static void loadParameters(Block block, NDManager manager, Path dir, String name) {
    Path p = new Path(dir, name + PARAMS_SUFFIX);
    try (InputStream in = HadoopPaths.fileSystem(p).open(p)) {
      block.loadParameters(manager, new DataInputStream(new BufferedInputStream(in)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
    } catch (MalformedModelException | RuntimeException e) {
      throw new IllegalArgumentException(
          p
              + " does not fit the network described by its card ("
              + card(dir, name).architecture()
              + "): "
              + e.getMessage(),
          e);
    }
  }
}
