package org.cemiface.model.unet;

import java.util.ArrayDeque;

/**
 * Multiply-accumulates of one UNet forward pass for one image, counted layer by layer along the
 * same loops that build {@link UNet}: 3×3 and 1×1 convolutions at the resolution they run at
 * (ResBlocks resample before their first convolution), attention projections and the two attention
 * matrix products, and the per-block embedding projections. Norms, activations and the
 * cross-attention condition tokens (a few dozen keys) are left out; they are well under 1% at the
 * paper's size. FLOPs = 2 × MACs.
 */
public final class UNetFlops {
  private long macs;

  private UNetFlops() {}

  /** MACs of one forward pass of {@code config} on one image. */
  public static long macs(UNetConfig config) {
    UNetFlops f = new UNetFlops();
    f.count(config);
    return f.macs;
  }

  private void conv(long pixels, int in, int out, int kernel) {
    macs += pixels * in * out * (long) kernel * kernel;
  }

  private void resBlock(long pixelsOut, int in, int out, int embDim) {
    conv(pixelsOut, in, out, 3);
    macs += (long) embDim * 2 * out; // AdaGN scale and shift
    conv(pixelsOut, out, out, 3);
    if (in != out) {
      conv(pixelsOut, in, out, 1);
    }
  }

  private void attention(long pixels, int ch) {
    conv(pixels, ch, 3 * ch, 1); // qkv
    macs += 2 * pixels * pixels * ch; // q·k over all heads, then weights·v
    conv(pixels, ch, ch, 1); // proj_out
  }

  private void count(UNetConfig config) {
    int mc = config.modelChannels();
    int[] mult = config.channelMult();
    int emb = config.timeEmbedDim();
    macs += (long) mc * emb + (long) emb * emb;
    int size = config.imageSize();
    int ch = mult[0] * mc;
    conv((long) size * size, config.inChannels(), ch, 3);
    ArrayDeque<Integer> skips = new ArrayDeque<>();
    ArrayDeque<Boolean> halved = new ArrayDeque<>();
    skips.push(ch);
    int ds = 1;
    for (int level = 0; level < mult.length; level++) {
      for (int r = 0; r < config.numResBlocks(); r++) {
        resBlock((long) size * size, ch, mult[level] * mc, emb);
        ch = mult[level] * mc;
        if (config.attentionDs().contains(ds)) {
          attention((long) size * size, ch);
        }
        skips.push(ch);
      }
      if (level != mult.length - 1) {
        boolean halve = size % 2 == 0;
        halved.push(halve);
        size = halve ? size / 2 : size;
        resBlock((long) size * size, ch, ch, emb);
        skips.push(ch);
        ds *= 2;
      }
    }
    resBlock((long) size * size, ch, ch, emb);
    attention((long) size * size, ch);
    resBlock((long) size * size, ch, ch, emb);
    for (int level = mult.length - 1; level >= 0; level--) {
      for (int i = 0; i <= config.numResBlocks(); i++) {
        int skip = skips.pop();
        resBlock((long) size * size, ch + skip, mult[level] * mc, emb);
        ch = mult[level] * mc;
        if (config.attentionDs().contains(ds)) {
          attention((long) size * size, ch);
        }
        if (level > 0 && i == config.numResBlocks()) {
          size = halved.pop() ? size * 2 : size;
          resBlock((long) size * size, ch, ch, emb);
          ds /= 2;
        }
      }
    }
    conv((long) size * size, ch, config.outChannels(), 3);
  }
}
