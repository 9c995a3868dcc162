package org.cemiface.encoder;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads a model file into a DJL {@link Model} of a given engine, with errors that name the file and
 * format.
 */
final class ModelFiles {
  private ModelFiles() {}

  /**
   * A loaded model; closed again if loading fails. {@code format} names the file kind in errors.
   */
  static Model load(
      String file, String engine, String format, Device device, Map<String, String> options) {
    Path path = Path.of(file);
    Model model = Model.newInstance("identity-encoder", device, engine);
    try {
      model.load(path.toAbsolutePath().getParent(), path.getFileName().toString(), options);
      return model;
    } catch (IOException e) {
      model.close();
      throw new UncheckedIOException(
          "cannot read " + format + " file " + file + ": " + e.getMessage(), e);
    } catch (MalformedModelException | RuntimeException e) {
      model.close();
      throw new IllegalArgumentException(
          file + " is not a loadable " + format + " model: " + e.getMessage(), e);
    }
  }
}
