package org.cemiface.model.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class UNetFlopsTest {
  @Test
  void oneLevelNetworkMatchesAHandCount() {
    // 8x8 image, 4 channels, one level, one ResBlock, no attention except the middle block's; emb
    // dim 16.
    UNetConfig c = new UNetConfig(8, 3, 4, 3, 1, new int[] {1}, Set.of(), 1, 4, 0f);
    long p = 64;
    long time = 4 * 16 + 16 * 16;
    long convIn = p * 3 * 4 * 9;
    long res44 = p * 4 * 4 * 9 * 2 + 16 * 2 * 4;
    long res84 = p * 8 * 4 * 9 + 16 * 2 * 4 + p * 4 * 4 * 9 + p * 8 * 4;
    long attention = p * 4 * 12 + 2 * p * p * 4 + p * 4 * 4;
    long out = p * 4 * 3 * 9;
    // input: conv, res; middle: res, attention, res; output: 2 res blocks on concatenated skips (4
    // + 4 channels)
    long expected = time + convIn + res44 + (2 * res44 + attention) + 2 * res84 + out;
    assertEquals(expected, UNetFlops.macs(c));
  }

  @Test
  void paperPresetIsTensOfGigaMacsAndTinyIsTiny() {
    long paper = UNetFlops.macs(UNetConfig.paper());
    long tiny = UNetFlops.macs(UNetConfig.tiny());
    assertTrue(paper > 10e9 && paper < 100e9, "paper UNet MACs " + paper);
    assertTrue(tiny < paper / 100, "tiny UNet MACs " + tiny);
  }
}
