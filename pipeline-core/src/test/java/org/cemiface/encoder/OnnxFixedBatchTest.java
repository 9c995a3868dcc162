package org.cemiface.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cemiface.checkpoint.Fixtures;
import org.cemiface.image.ChannelOrder;
import org.cemiface.image.RgbImage;
import org.cemiface.image.TensorLayout;
import org.junit.jupiter.api.Test;

/**
 * An ONNX model exported with a static batch of 1 (fixture from make_onnx_fixed_batch_fixture.py)
 * embeds any number of images at any requested batch size, with the features of its known weights.
 */
class OnnxFixedBatchTest {
  private static final double[] HALF = {0.5, 0.5, 0.5};
  private static final TensorLayout LAYOUT = new TensorLayout(8, ChannelOrder.RGB, HALF, HALF);

  private static List<RgbImage> images(int n) {
    SplittableRandom r = new SplittableRandom(3);
    List<RgbImage> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] px = new byte[8 * 8 * 3];
      for (int k = 0; k < px.length; k++) {
        px[k] = (byte) r.nextInt(256);
      }
      out.add(new RgbImage(8, 8, px));
    }
    return out;
  }

  /** flatten(x) @ W with the fixture's W[i][j] = ((7i + 3j) mod 11 - 5) / 10, normalised. */
  private static float[] expected(RgbImage image) {
    float[] x = LAYOUT.toNchw(List.of(image));
    double[] f = new double[4];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < 4; j++) {
        f[j] += x[i] * (((i * 7 + j * 3) % 11 - 5) / 10.0);
      }
    }
    double norm = Math.sqrt(f[0] * f[0] + f[1] * f[1] + f[2] * f[2] + f[3] * f[3]);
    float[] out = new float[4];
    for (int j = 0; j < 4; j++) {
      out[j] = (float) (f[j] / norm);
    }
    return out;
  }

  @Test
  void aStaticBatchOfOneTakesAnyRequestedBatchSize() throws Exception {
    List<RgbImage> images = images(5);
    try (IdentityEncoder enc =
        new OnnxIdentityEncoder(
            Fixtures.path("onnx_fixed_batch1.onnx").toString(), LAYOUT, 32, Device.cpu())) {
      assertEquals(4, enc.dimension());
      float[][] got = enc.embed(images);
      assertEquals(5, got.length);
      for (int i = 0; i < 5; i++) {
        float[] want = expected(images.get(i));
        for (int j = 0; j < 4; j++) {
          assertEquals(want[j], got[i][j], 1e-5, "image " + i + " feature " + j);
        }
      }
    }
  }

  @Test
  void aFixedImageSizeOtherThanTheLayoutsIsRefusedWithTheKeyToSet() throws Exception {
    TensorLayout wrong = new TensorLayout(16, ChannelOrder.RGB, HALF, HALF);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new OnnxIdentityEncoder(
                    Fixtures.path("onnx_fixed_batch1.onnx").toString(), wrong, 4, Device.cpu()));
    assertTrue(
        e.getMessage().contains("takes 8x8 images")
            && e.getMessage().contains("encoder.input-size = 8"),
        e.getMessage());
  }
}
