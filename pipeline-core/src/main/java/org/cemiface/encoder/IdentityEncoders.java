package org.cemiface.encoder;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.List;
import org.cemiface.config.ConfigError;

/** Opens an encoder from a {@code KIND:PATH} source (adaface, torchscript, onnx, djl). */
public final class IdentityEncoders {
  private IdentityEncoders() {}

  /**
   * Opens an encoder that gradients can flow through (adaface, djl or torchscript) on the default
   * device.
   */
  public static DifferentiableEncoder openDifferentiable(EncoderSettings settings) {
    return openDifferentiable(settings, Engine.getEngine("PyTorch").defaultDevice());
  }

  /** Opens an encoder that gradients can flow through on {@code device}. */
  public static DifferentiableEncoder openDifferentiable(EncoderSettings settings, Device device) {
    IdentityEncoder e = open(settings, device);
    if (e instanceof DifferentiableEncoder d) {
      return d;
    }
    e.close();
    throw new ConfigError(
        "Encoder '"
            + settings.source()
            + "' is inference-only; training needs an adaface, djl or"
            + " torchscript encoder (encoder.source)");
  }

  /**
   * Opens the encoder named by {@code settings.source()} on the default device (a GPU when there is
   * one).
   */
  public static IdentityEncoder open(EncoderSettings settings) {
    return open(settings, Engine.getEngine("PyTorch").defaultDevice());
  }

  /** The KIND prefixes of an encoder source (KIND:PATH) that {@link #open} understands. */
  public static final List<String> KINDS = List.of("adaface", "torchscript", "onnx", "djl");

  /**
   * Opens the encoder named by {@code settings.source()} on {@code device} (ONNX always runs on the
   * CPU).
   */
  public static IdentityEncoder open(EncoderSettings settings, Device device) {
    String source = settings.source();
    int colon = source.indexOf(':');
    if (colon <= 0) {
      throw new ConfigError(
          "Encoder source '"
              + source
              + "' must be KIND:PATH with KIND one of adaface, torchscript,"
              + " onnx, djl (set encoder.source or pass --encoder)");
    }
    String kind = source.substring(0, colon);
    String path = source.substring(colon + 1);
    return switch (kind) {
      case "adaface" ->
          DjlIdentityEncoder.fromAdaFace(path, settings.arch(), device, settings.batchSize());
      case "torchscript" ->
          new TorchScriptIdentityEncoder(path, settings.layout(), settings.batchSize(), device);
      case "onnx" ->
          new OnnxIdentityEncoder(path, settings.layout(), settings.batchSize(), Device.cpu());
      case "djl" -> DjlIdentityEncoder.fromStore(path, device, settings.batchSize());
      default ->
          throw new ConfigError(
              "Unknown encoder kind '"
                  + kind
                  + "' in '"
                  + source
                  + "': use adaface, torchscript, onnx or djl");
    };
  }
}
