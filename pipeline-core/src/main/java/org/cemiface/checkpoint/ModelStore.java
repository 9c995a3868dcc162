package org.cemiface.checkpoint;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
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
   * Builds the network a card describes; a card whose configuration cannot be read or built (edited
   * by hand, or written for other weights) is an error naming the card.
   */
  public static <T> T build(Path dir, String name, Supplier<T> builder) {
    try {
      return builder.get();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          new Path(dir, name + CARD_SUFFIX)
              + " describes a network that cannot be built ("
              + e.getMessage()
              + "); restore the card that was saved with "
              + name
              + PARAMS_SUFFIX,
          e);
    }
  }

  /**
   * Loads weights into {@code block}, which must be built and initialised from the card's
   * configuration. DJL takes each stored array's shape as it comes, so every parameter's shape is
   * checked against the network's: weights that do not match the card fail here, naming the
   * parameter, not later inside a forward pass.
   */
  public static void loadParameters(Block block, NDManager manager, Path dir, String name) {
    Path p = new Path(dir, name + PARAMS_SUFFIX);
    Map<String, Shape> built = new LinkedHashMap<>();
    for (Pair<String, Parameter> e : block.getParameters()) {
      if (e.getValue().isInitialized()) {
        built.put(e.getKey(), e.getValue().getArray().getShape());
      }
    }
    try (InputStream in = HadoopPaths.fileSystem(p).open(p)) {
      block.loadParameters(manager, new DataInputStream(new BufferedInputStream(in)));
      for (Pair<String, Parameter> e : block.getParameters()) {
        Shape expected = built.get(e.getKey());
        Shape loaded = e.getValue().getArray().getShape();
        if (expected != null && !expected.equals(loaded)) {
          throw new IllegalArgumentException(
              "parameter "
                  + e.getKey()
                  + " has shape "
                  + loaded
                  + " in the file, "
                  + expected
                  + " in the network");
        }
      }
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
