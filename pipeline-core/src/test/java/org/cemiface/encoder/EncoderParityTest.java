package org.cemiface.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cemiface.checkpoint.Fixtures;
import org.cemiface.image.ChannelOrder;
import org.cemiface.image.ImageDecoder;
import org.cemiface.image.RgbImage;
import org.cemiface.image.TensorLayout;
import org.junit.jupiter.api.Test;

/** Every encoder kind reproduces PyTorch's embeddings of the fixture images. */
class EncoderParityTest {
  private static final double[] HALF = {0.5, 0.5, 0.5};

  static List<RgbImage> images() throws Exception {
    List<RgbImage> out = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String name = "ir18_images/face_" + i + ".png";
      out.add(ImageDecoder.decode(Files.readAllBytes(Fixtures.path(name)), name));
    }
    return out;
  }

  private static void assertMatches(float[][] actual, float[] expectedFlat, int d) {
    float[][] expected =
        Embeddings.normalizedRows(Arrays.copyOf(expectedFlat, actual.length * d), actual.length);
    for (int i = 0; i < actual.length; i++) {
      assertEquals(d, actual[i].length);
      for (int j = 0; j < d; j++) {
        assertEquals(expected[i][j], actual[i][j], 1e-4, "image " + i + " dim " + j);
      }
      assertTrue(Embeddings.cosine(actual[i], expected[i]) >= 0.9999);
    }
  }

  @Test
  void adaFaceCheckpointEmbeddingsMatchPyTorch() throws Exception {
    try (DjlIdentityEncoder enc =
        DjlIdentityEncoder.fromAdaFace(
            Fixtures.path("ir18_small.ckpt").toString(), "ir_18", Device.cpu(), 3)) {
      assertEquals(64, enc.dimension());
      assertEquals(ChannelOrder.BGR, enc.layout().order());
      assertMatches(enc.embed(images()), Fixtures.floats("ir18_outputs.bin"), 64);
    }
  }

  @Test
  void wrongArchitectureIsNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DjlIdentityEncoder.fromAdaFace(
                    Fixtures.path("ir18_small.ckpt").toString(), "ir_50", Device.cpu(), 3));
    assertTrue(
        e.getMessage().contains("holds an ir_18 network") && e.getMessage().contains("not ir_50"),
        e.getMessage());
  }

  @Test
  void torchScriptEmbeddingsMatchPyTorch() throws Exception {
    TensorLayout rgb = new TensorLayout(112, ChannelOrder.RGB, HALF, HALF);
    try (IdentityEncoder enc =
        new TorchScriptIdentityEncoder(
            Fixtures.path("tiny_encoder.torchscript.pt").toString(), rgb, 2, Device.cpu())) {
      assertEquals(32, enc.dimension());
      assertMatches(enc.embed(images()), Fixtures.floats("tiny_encoder_outputs.bin"), 32);
    }
  }

  @Test
  void onnxEmbeddingsMatchPyTorch() throws Exception {
    TensorLayout rgb = new TensorLayout(112, ChannelOrder.RGB, HALF, HALF);
    try (IdentityEncoder enc =
        new OnnxIdentityEncoder(
            Fixtures.path("tiny_encoder.onnx").toString(), rgb, 4, Device.cpu())) {
      assertEquals(32, enc.dimension());
      assertMatches(enc.embed(images()), Fixtures.floats("tiny_encoder_outputs.bin"), 32);
    }
  }
}
