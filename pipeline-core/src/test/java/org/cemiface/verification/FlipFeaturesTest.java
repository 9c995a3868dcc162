package org.cemiface.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.cemiface.checkpoint.Fixtures;
import org.cemiface.encoder.Embeddings;
import org.cemiface.encoder.IdentityEncoder;
import org.cemiface.encoder.TorchScriptIdentityEncoder;
import org.cemiface.image.ChannelOrder;
import org.cemiface.image.ImageDecoder;
import org.cemiface.image.RgbImage;
import org.cemiface.image.TensorLayout;
import org.junit.jupiter.api.Test;

/** Reference: src/test/fixtures/make_flip_fixture.py (PyTorch, the same TorchScript encoder). */
class FlipFeaturesTest {
  @Test
  void sumOfRawFeaturesOfImageAndMirrorMatchesPyTorch() throws Exception {
    List<RgbImage> faces = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String name = "ir18_images/face_" + i + ".png";
      faces.add(ImageDecoder.decode(Files.readAllBytes(Fixtures.path(name)), name));
    }
    double[] half = {0.5, 0.5, 0.5};
    TensorLayout rgb = new TensorLayout(112, ChannelOrder.RGB, half, half);
    float[] expected = Fixtures.floats("tiny_encoder_flip_outputs.bin");
    try (IdentityEncoder enc =
        new TorchScriptIdentityEncoder(
            Fixtures.path("tiny_encoder.torchscript.pt").toString(), rgb, 3, Device.cpu())) {
      float[][] flipped = Embeddings.normalizedRows(flatten(FlipFeatures.of(enc, faces)), 4);
      float[][] plain = enc.embed(faces);
      for (int i = 0; i < 4; i++) {
        float[] want = new float[32];
        System.arraycopy(expected, 32 * i, want, 0, 32);
        for (int k = 0; k < 32; k++) {
          assertEquals(want[k], flipped[i][k], 1e-4, "face " + i + " dim " + k);
        }
        // The mirror image counts: without it the embedding is measurably elsewhere.
        double gap = 1 - Embeddings.cosine(plain[i], want);
        assertTrue(gap > 1e-4, "face " + i + ": flip changed nothing (1 - cos = " + gap + ")");
      }
    }
  }

  @Test
  void mirroringTwiceIsTheIdentityAndMovesPixels() {
    byte[] px = new byte[2 * 3 * 3];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) i;
    }
    RgbImage image = new RgbImage(3, 2, px);
    RgbImage m = image.mirrored();
    assertEquals(image.channel(0, 1, 2), m.channel(2, 1, 2));
    assertEquals(image.channel(1, 0, 0), m.channel(1, 0, 0));
    assertEquals(image, m.mirrored());
  }

  private static float[] flatten(float[][] rows) {
    float[] out = new float[rows.length * rows[0].length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out, i * rows[i].length, rows[i].length);
    }
    return out;
  }
}
