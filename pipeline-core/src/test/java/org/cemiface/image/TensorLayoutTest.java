package org.cemiface.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TensorLayoutTest {
  private static final double[] HALF = {0.5, 0.5, 0.5};

  private static RgbImage random(int size, long seed) {
    byte[] rgb = new byte[size * size * 3];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (byte) r.nextInt(256);
    }
    return new RgbImage(size, size, rgb);
  }

  @Test
  void pngToTensorToPngIsIdentical() {
    for (ChannelOrder order : ChannelOrder.values()) {
      TensorLayout layout =
          new TensorLayout(
              24, order, new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225});
      RgbImage src = random(24, 7);
      byte[] png = ImageEncoder.png(src);
      float[] chw = layout.toChw(ImageDecoder.decode(png, "src.png"));
      byte[] back = ImageEncoder.png(layout.fromChw(chw, 0));
      assertArrayEquals(png, back, order.name());
    }
  }

  @Test
  void adaFaceLayoutIsBgrScaledToMinusOneOne() {
    TensorLayout ada = new TensorLayout(1, ChannelOrder.BGR, HALF, HALF);
    RgbImage px = new RgbImage(1, 1, new byte[] {(byte) 255, 0, (byte) 51});
    float[] t = ada.toChw(px);
    // Channel 0 is blue: 51/255 = 0.2 -> (0.2-0.5)/0.5 = -0.6; channel 2 is red: 1.0.
    assertEquals(-0.6f, t[0], 1e-6);
    assertEquals(-1.0f, t[1], 1e-6);
    assertEquals(1.0f, t[2], 1e-6);
    // The insightface form (x - 127.5)/127.5 is the same number in RGB order.
    float[] rgb = new TensorLayout(1, ChannelOrder.RGB, HALF, HALF).toChw(px);
    assertEquals((255 - 127.5) / 127.5, rgb[0], 1e-6);
    assertEquals((51 - 127.5) / 127.5, rgb[2], 1e-6);
  }

  @Test
  void batchIsNchwInOrder() {
    TensorLayout layout =
        new TensorLayout(2, ChannelOrder.RGB, new double[3], new double[] {1, 1, 1});
    RgbImage a = new RgbImage(2, 2, new byte[12]);
    byte[] white = new byte[12];
    Arrays.fill(white, (byte) 255);
    float[] batch = layout.toNchw(List.of(a, new RgbImage(2, 2, white)));
    assertEquals(24, batch.length);
    assertEquals(0f, batch[11]);
    assertEquals(1f, batch[12]);
  }

  @Test
  void bilinearResizeUsesHalfPixelCentres() {
    // 2x1 [0, 100] upsampled to 4x1: centres at -0.25, 0.25, 0.75, 1.25 -> clamped 0, 25, 75, 100.
    RgbImage src = new RgbImage(2, 1, new byte[] {0, 0, 0, 100, 100, 100});
    RgbImage up = Resize.bilinear(src, 4, 1);
    assertEquals(0, up.channel(0, 0, 0));
    assertEquals(25, up.channel(1, 0, 0));
    assertEquals(75, up.channel(2, 0, 0));
    assertEquals(100, up.channel(3, 0, 0));
    RgbImage down = Resize.bilinear(up, 2, 1);
    assertEquals(13, down.channel(0, 0, 1));
    assertEquals(88, down.channel(1, 0, 1));
    assertSame(src, Resize.bilinear(src, 2, 1));
  }

  @Test
  void toChwResizesToTheLayoutSize() {
    TensorLayout layout = new TensorLayout(8, ChannelOrder.RGB, HALF, HALF);
    assertEquals(3 * 8 * 8, layout.toChw(random(32, 1)).length);
  }
}
