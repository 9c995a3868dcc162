package org.cemiface.training.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.cemiface.image.RgbImage;
import org.cemiface.nn.Tensors;
import org.cemiface.nn.TorchNames;
import org.junit.jupiter.api.Test;

class CosFaceHeadTest {
  private static float[] logits(boolean arcface) {
    try (NDManager m = NDManager.newBaseManager()) {
      CosFaceHead head = new CosFaceHead(2, 2, 10, 0.5, arcface);
      head.initialize(m, DataType.FLOAT32, new Shape(1, 2), new Shape(1, 2));
      // Class centres along x and y; the embedding at 60 degrees from x.
      ByteBuffer b = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
      b.asFloatBuffer().put(new float[] {3, 0, 0, 2});
      TorchNames.parameters(head).get("kernel").getArray().set(b);
      var emb = Tensors.floats(m, new float[] {0.5f, (float) Math.sqrt(0.75)}, new Shape(1, 2));
      var target = Tensors.floats(m, new float[] {1, 0}, new Shape(1, 2));
      return head.forward(new ParameterStore(m, false), new NDList(emb, target), false)
          .singletonOrThrow()
          .toFloatArray();
    }
  }

  @Test
  void cosFaceSubtractsTheMarginAtTheTargetOnly() {
    float[] l = logits(false);
    assertEquals(10 * (0.5 - 0.5), l[0], 1e-5);
    assertEquals(10 * Math.sqrt(0.75), l[1], 1e-5);
  }

  @Test
  void arcFaceAddsTheMarginToTheAngle() {
    float[] l = logits(true);
    assertEquals(10 * Math.cos(Math.toRadians(60) + 0.5), l[0], 1e-4);
    assertEquals(10 * Math.sqrt(0.75), l[1], 1e-5);
  }

  @Test
  void augmentationIsDeterministicPerSeedAndKeepsTheSize() {
    byte[] px = new byte[32 * 32 * 3];
    new SplittableRandom(1).nextBytes(px);
    RgbImage img = new RgbImage(32, 32, px);
    Augment a = new Augment(true, 0.9, 1.0, 0.1, 0, 1.0, 0.02, 0.1);
    RgbImage x = a.apply(img, 32, new SplittableRandom(7));
    RgbImage y = a.apply(img, 32, new SplittableRandom(7));
    RgbImage z = a.apply(img, 32, new SplittableRandom(8));
    assertEquals(x, y);
    assertNotEquals(x, z);
    assertEquals(32, x.width());
    assertEquals(img, Augment.none().apply(img, 32, new SplittableRandom(7)));
  }

  @Test
  void hueShiftRotatesColoursAndLeavesGreyAlone() {
    byte[] px = {(byte) 255, 0, 0, (byte) 200, 100, 50, 90, 90, 90};
    Augment.shiftHueInPlace(px, 1.0 / 3);
    assertEquals(0, px[0] & 0xFF);
    assertEquals(255, px[1] & 0xFF); // red + 120° = green
    assertEquals(0, px[2] & 0xFF);
    assertEquals(90, px[6] & 0xFF); // grey has no hue
    byte[] orange = {(byte) 200, 100, 50};
    Augment.shiftHueInPlace(orange, 0.5); // half a turn: the complementary colour
    assertEquals(50, orange[0] & 0xFF);
    assertEquals(150, orange[1] & 0xFF);
    assertEquals(200, orange[2] & 0xFF);
  }
}
