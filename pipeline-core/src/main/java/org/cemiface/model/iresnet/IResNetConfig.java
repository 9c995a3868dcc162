package org.cemiface.model.iresnet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.cemiface.config.ConfigError;
import org.cemiface.config.ConfigReader;

/**
 * Shape of an IResNet identity encoder as in AdaFace's net.py: a stem, four stages of BasicBlockIR
 * (the first unit of each stage has stride 2), and a BN–Dropout–Linear–BN1d head.
 */
public record IResNetConfig(
    int inputSize,
    int[] units,
    int[] stageChannels,
    int stemChannels,
    int embeddingSize,
    boolean squeezeExcite,
    float dropout) {

  /** Copies arrays and validates. */
  public IResNetConfig {
    units = units.clone();
    stageChannels = stageChannels.clone();
    if (units.length != 4 || stageChannels.length != 4) {
      throw new IllegalArgumentException("an IResNet has four stages");
    }
    if (inputSize % 16 != 0) {
      throw new IllegalArgumentException(
          "input size must be a multiple of 16 (four stride-2 stages), got " + inputSize);
    }
  }

  /**
   * AdaFace's architectures by name: ir_18, ir_34, ir_50, ir_100 (alias ir_101), ir_se_50,
   * ir_se_100; or tiny.
   */
  public static IResNetConfig named(String name) {
    int[] widths = {64, 128, 256, 512};
    return switch (name) {
      case "ir_18" -> new IResNetConfig(112, new int[] {2, 2, 2, 2}, widths, 64, 512, false, 0.4f);
      case "ir_34" -> new IResNetConfig(112, new int[] {3, 4, 6, 3}, widths, 64, 512, false, 0.4f);
      case "ir_50" -> new IResNetConfig(112, new int[] {3, 4, 14, 3}, widths, 64, 512, false, 0.4f);
      case "ir_100", "ir_101" ->
          new IResNetConfig(112, new int[] {3, 13, 30, 3}, widths, 64, 512, false, 0.4f);
      case "ir_se_50" ->
          new IResNetConfig(112, new int[] {3, 4, 14, 3}, widths, 64, 512, true, 0.4f);
      case "ir_se_100" ->
          new IResNetConfig(112, new int[] {3, 13, 30, 3}, widths, 64, 512, true, 0.4f);
      case "tiny" ->
          new IResNetConfig(
              32, new int[] {1, 1, 1, 1}, new int[] {16, 32, 64, 128}, 16, 128, false, 0.2f);
      default ->
          throw new ConfigError(
              "Unknown IResNet architecture '"
                  + name
                  + "': use ir_18, ir_34, ir_50, ir_100, ir_se_50, ir_se_100, tiny or custom");
    };
  }

  /**
   * Reads an {@code encoder.network} section: an architecture name, or every field when it is
   * custom.
   */
  public static IResNetConfig from(ConfigReader r) {
    String arch = r.string("arch");
    if (!arch.equals("custom")) {
      return named(arch);
    }
    return new IResNetConfig(
        r.intIn("input-size", 16, 448),
        Arrays.stream(r.doubles("units", 4, 1, 64)).mapToInt(d -> (int) d).toArray(),
        Arrays.stream(r.doubles("stage-channels", 4, 4, 4096)).mapToInt(d -> (int) d).toArray(),
        r.intIn("stem-channels", 4, 1024),
        r.intIn("embedding-size", 8, 4096),
        r.bool("squeeze-excite"),
        (float) r.doubleIn("dropout", 0, 0.9));
  }

  /**
   * Infers the architecture from state-dict shapes (keys without prefix): stem width, units per
   * stage (runs of equal width in body.N), embedding size and input size (from the head's Linear),
   * and SE blocks. Stages must differ in width, as in every IResNet.
   */
  public static IResNetConfig infer(Map<String, long[]> shapes, String source) {
    long[] stem = shapes.get("input_layer.0.weight");
    long[] head = shapes.get("output_layer.3.weight");
    if (stem == null || head == null) {
      throw new IllegalArgumentException(
          source
              + " is not an IResNet state dict (no input_layer.0.weight or "
              + "output_layer.3.weight; is the key prefix right?)");
    }
    List<Integer> widths = new ArrayList<>();
    for (int n = 0; shapes.containsKey("body." + n + ".res_layer.1.weight"); n++) {
      widths.add((int) shapes.get("body." + n + ".res_layer.1.weight")[0]);
    }
    List<Integer> units = new ArrayList<>();
    List<Integer> stageWidths = new ArrayList<>();
    for (int i = 0; i < widths.size(); i++) {
      if (i == 0 || !widths.get(i).equals(widths.get(i - 1))) {
        units.add(0);
        stageWidths.add(widths.get(i));
      }
      units.set(units.size() - 1, units.get(units.size() - 1) + 1);
    }
    if (units.size() != 4) {
      throw new IllegalArgumentException(
          source
              + ": found "
              + units.size()
              + " stages of widths "
              + stageWidths
              + " in body.*, an IResNet has 4");
    }
    long last = stageWidths.get(3);
    long side = Math.round(Math.sqrt((double) head[1] / last));
    if (side * side * last != head[1]) {
      throw new IllegalArgumentException(
          source + ": head input " + head[1] + " is not " + last + " x s x s");
    }
    return new IResNetConfig(
        (int) side * 16,
        units.stream().mapToInt(Integer::intValue).toArray(),
        stageWidths.stream().mapToInt(Integer::intValue).toArray(),
        (int) stem[0],
        (int) head[0],
        shapes.containsKey("body.0.res_layer.se_block.fc1.weight"),
        0.4f);
  }

  /** The depth name (ir_18, ir_50 …) matching the unit counts, or "custom". */
  public String depthName() {
    String prefix = squeezeExcite ? "ir_se_" : "ir_";
    int[][] known = {{2, 2, 2, 2}, {3, 4, 6, 3}, {3, 4, 14, 3}, {3, 13, 30, 3}};
    String[] names = {"18", "34", "50", "100"};
    for (int i = 0; i < known.length; i++) {
      if (Arrays.equals(known[i], units)) {
        return prefix + names[i];
      }
    }
    return "custom";
  }

  /** Side of the last stage's feature map (input / 16): 7 at 112. */
  public int finalSize() {
    return inputSize / 16;
  }

  /** Channels of the last stage (the spatial tokens' width). */
  public int finalChannels() {
    return stageChannels[3];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IResNetConfig c
        && c.inputSize == inputSize
        && Arrays.equals(c.units, units)
        && Arrays.equals(c.stageChannels, stageChannels)
        && c.stemChannels == stemChannels
        && c.embeddingSize == embeddingSize
        && c.squeezeExcite == squeezeExcite
        && c.dropout == dropout;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(units) * 31 + Arrays.hashCode(stageChannels) + inputSize;
  }

  @Override
  public String toString() {
    return "IResNetConfig[input "
        + inputSize
        + ", units "
        + Arrays.toString(units)
        + ", channels "
        + Arrays.toString(stageChannels)
        + ", stem "
        + stemChannels
        + ", embedding "
        + embeddingSize
        + (squeezeExcite ? ", SE" : "")
        + ", dropout "
        + dropout
        + "]";
  }
}
