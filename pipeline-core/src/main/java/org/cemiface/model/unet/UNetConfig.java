package org.cemiface.model.unet;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.cemiface.config.ConfigError;
import org.cemiface.config.ConfigReader;

/**
 * Shape of an ADM / guided-diffusion UNet. {@code attentionDs} uses DCFace's convention: the
 * downsampling factor ds doubles after every level but the last, also where the halving itself is
 * disabled because the resolution is odd (112 → 56 → 28 → 14 → 7 → 7: ds 1, 2, 4, 8, 16, 32).
 */
public record UNetConfig(
    int imageSize,
    int inChannels,
    int modelChannels,
    int outChannels,
    int numResBlocks,
    int[] channelMult,
    Set<Integer> attentionDs,
    int numHeads,
    int numHeadChannels,
    float dropout) {

  /** Copies arrays and validates. */
  public UNetConfig {
    channelMult = channelMult.clone();
    attentionDs = Set.copyOf(attentionDs);
    if (channelMult.length == 0) {
      throw new IllegalArgumentException("channel-mult needs at least one level");
    }
    if (outChannels < inChannels) {
      throw new IllegalArgumentException(
          "out-channels must be >= in-channels (the first in-channels are epsilon)");
    }
  }

  /**
   * The paper's UNet (DCFace trunk): 112×112, 128 channels, (1,1,2,2,4,4), attention at 7×7, 8
   * heads × 64.
   */
  public static UNetConfig paper() {
    return new UNetConfig(112, 3, 128, 6, 1, new int[] {1, 1, 2, 2, 4, 4}, Set.of(16), 4, 64, 0f);
  }

  /** A small UNet for the embedded default: 32×32, trainable on two CPU cores. */
  public static UNetConfig tiny() {
    return new UNetConfig(32, 3, 32, 3, 1, new int[] {1, 2, 2}, Set.of(4), 4, 32, 0f);
  }

  /** A preset by name. */
  public static UNetConfig preset(String name) {
    return switch (name) {
      case "paper" -> paper();
      case "tiny" -> tiny();
      default ->
          throw new ConfigError("Unknown UNet preset '" + name + "': use paper, tiny or custom");
    };
  }

  /** Reads a {@code unet} section: a preset, or every field when {@code preset = custom}. */
  public static UNetConfig from(ConfigReader r) {
    String preset = r.string("preset");
    if (!preset.equals("custom")) {
      return preset(preset);
    }
    double[] mult = r.doubles("channel-mult", -1, 1, 16);
    double[] ds = r.doubles("attention-ds", -1, 1, 1024);
    Set<Integer> dsSet = new TreeSet<>();
    for (double d : ds) {
      dsSet.add((int) d);
    }
    return new UNetConfig(
        r.intIn("image-size", 8, 1024),
        3,
        r.intIn("model-channels", 8, 1024),
        r.intIn("out-channels", 3, 6),
        r.intIn("res-blocks", 1, 8),
        Arrays.stream(mult).mapToInt(d -> (int) d).toArray(),
        dsSet,
        r.intIn("heads", 1, 64),
        r.intIn("head-channels", -1, 1024),
        (float) r.doubleIn("dropout", 0, 0.9));
  }

  /** Heads of an attention block with {@code channels} channels. */
  public int headsFor(int channels) {
    return numHeadChannels > 0 ? channels / numHeadChannels : numHeads;
  }

  /** Time-embedding width (4 × model channels, as ADM). */
  public int timeEmbedDim() {
    return 4 * modelChannels;
  }

  /** Channels of every attention block; cross-attention conditions carry twice this. */
  public int attentionChannels() {
    Set<Integer> channels = new TreeSet<>();
    int ds = 1;
    for (int level = 0; level < channelMult.length; level++) {
      if (attentionDs.contains(ds)) {
        channels.add(channelMult[level] * modelChannels);
      }
      if (level < channelMult.length - 1) {
        ds *= 2;
      }
    }
    channels.add(channelMult[channelMult.length - 1] * modelChannels);
    if (channels.size() != 1) {
      throw new IllegalArgumentException(
          "attention blocks have different widths "
              + channels
              + "; one cross-attention condition can serve only one width");
    }
    return channels.iterator().next();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UNetConfig c
        && c.imageSize == imageSize
        && c.inChannels == inChannels
        && c.modelChannels == modelChannels
        && c.outChannels == outChannels
        && c.numResBlocks == numResBlocks
        && Arrays.equals(c.channelMult, channelMult)
        && c.attentionDs.equals(attentionDs)
        && c.numHeads == numHeads
        && c.numHeadChannels == numHeadChannels
        && c.dropout == dropout;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(channelMult) * 31 + imageSize * 17 + modelChannels;
  }

  @Override
  public String toString() {
    return "UNetConfig[image "
        + imageSize
        + ", channels "
        + modelChannels
        + ", mult "
        + Arrays.toString(channelMult)
        + ", res-blocks "
        + numResBlocks
        + ", attention ds "
        + new TreeSet<>(attentionDs)
        + ", heads "
        + numHeads
        + ", head-channels "
        + numHeadChannels
        + ", out "
        + outChannels
        + ", dropout "
        + dropout
        + "]";
  }
}
