package org.cemiface.nn;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;
import org.cemiface.config.ConfigError;

/**
 * The arithmetic a network runs in. Weights always stay float32 (the optimiser's, the EMA's and the
 * checkpoints' copy); {@link #FP16} casts them per forward, as PyTorch's autocast does (see {@link
 * CastingParameterStore}).
 */
public enum Precision {
  /** Everything in float32. */
  FP32(DataType.FLOAT32),
  /**
   * Convolutions, linear layers and attention products in float16; normalisation and softmax in
   * float32.
   */
  FP16(DataType.FLOAT16);

  private final DataType dataType;

  Precision(DataType dataType) {
    this.dataType = dataType;
  }

  /** The data type activations and cast weights have. */
  public DataType dataType() {
    return dataType;
  }

  /** The configuration spelling: fp32, fp16. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this runs below float32 (and so needs casts and, for training, loss scaling). */
  public boolean reduced() {
    return this != FP32;
  }

  /** Reads a configuration value ({@code fp32}, {@code fp16}); {@code key} names it in errors. */
  public static Precision parse(String value, String key) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    switch (v) {
      case "fp32", "float32" -> {
        return FP32;
      }
      case "fp16", "float16", "half" -> {
        return FP16;
      }
      case "bf16", "bfloat16" ->
          throw new ConfigError(
              key
                  + " = "
                  + value
                  + " is not available: DJL's PyTorch binding"
                  + " (0.35.1, also 0.36.0) has no bfloat16 type, and creating or casting to one aborts the JVM"
                  + " (docs/training.md, \"Mixed precision\"). Use fp16 (with dynamic loss scaling) or fp32.");
      default ->
          throw new ConfigError(key + " = " + value + " is not a precision; use fp32 or fp16");
    }
  }
}
