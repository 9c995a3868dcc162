package org.cemiface.model.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.cemiface.nn.TorchNames;
import org.junit.jupiter.api.Test;

class UNetTest {
  @Test
  void paperPresetHasTheDcfaceTrunkLayoutAndSize() {
    UNetConfig cfg = UNetConfig.paper();
    try (NDManager m = NDManager.newBaseManager()) {
      UNet unet = new UNet(cfg);
      unet.initialize(
          m, DataType.FLOAT32, new Shape(1, 3, 112, 112), new Shape(1), new Shape(1, 1024, 3));
      Map<String, Parameter> p = TorchNames.parameters(unet);
      long count = TorchNames.count(unet, false);
      System.out.printf("paper UNet: %,d parameters%n", count);
      // DCFace's trunk with 6 output channels has about 93.6M parameters.
      assertTrue(count > 93_000_000L && count < 94_200_000L, "count " + count);
      assertEquals(new Shape(512, 128), p.get("time_embed.0.weight").getArray().getShape());
      assertEquals(
          new Shape(1536, 512, 1), p.get("input_blocks.9.1.qkv.weight").getArray().getShape());
      assertEquals(new Shape(512), p.get("middle_block.1.proj_out.bias").getArray().getShape());
      assertTrue(p.containsKey("output_blocks.2.1.norm.weight"));
      assertTrue(p.containsKey("output_blocks.3.1.norm.weight"));
      assertFalse(p.containsKey("input_blocks.11.1.norm.weight"), "no attention at ds 32");
      assertFalse(p.containsKey("output_blocks.0.1.norm.weight"));
      assertEquals(new Shape(6, 128, 3, 3), p.get("out.2.weight").getArray().getShape());
      assertEquals(
          new Shape(1024, 512),
          p.get("input_blocks.10.0.emb_layers.1.weight").getArray().getShape());
      assertEquals(
          new Shape(128, 256, 1, 1),
          p.get("output_blocks.11.0.skip_connection.weight").getArray().getShape());
      assertEquals(8, cfg.headsFor(512));
      assertEquals(512, cfg.attentionChannels());
    }
  }

  @Test
  void tinyPresetIsSmallAndMapsShapes() {
    UNetConfig cfg = UNetConfig.tiny();
    try (NDManager m = NDManager.newBaseManager()) {
      UNet unet = new UNet(cfg);
      int kv = 2 * cfg.attentionChannels();
      unet.initialize(
          m, DataType.FLOAT32, new Shape(2, 3, 32, 32), new Shape(2), new Shape(2, kv, 2));
      long count = TorchNames.count(unet, false);
      System.out.printf("tiny UNet: %,d parameters%n", count);
      assertTrue(count < 3_000_000L, "count " + count);
      NDArray x = m.randomNormal(new Shape(2, 3, 32, 32));
      NDArray t = m.create(new float[] {10, 900});
      NDArray cond = m.randomNormal(new Shape(2, kv, 2));
      NDArray out =
          unet.forward(new ParameterStore(m, false), new NDList(x, t, cond), false)
              .singletonOrThrow();
      assertEquals(new Shape(2, 3, 32, 32), out.getShape());
      // The last convolution starts at zero, so an untrained UNet predicts exactly zero.
      assertEquals(0f, out.abs().max().getFloat(), 0f);
    }
  }
}
