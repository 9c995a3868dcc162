package org.cemiface.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.cemiface.image.ChannelOrder;
import org.cemiface.image.ImageDecoder;
import org.cemiface.image.RgbImage;
import org.cemiface.image.TensorLayout;
import org.cemiface.io.HadoopFiles;
import org.cemiface.model.iresnet.IResNet;
import org.cemiface.model.iresnet.IResNetConfig;
import org.cemiface.model.unet.UNet;
import org.cemiface.model.unet.UNetConfig;
import org.cemiface.nn.Tensors;
import org.junit.jupiter.api.Test;

/**
 * Java networks with imported weights reproduce PyTorch's outputs (fixtures from make_fixtures.py).
 */
class ParityTest {
  static Map<String, long[]> shapes(Map<String, TensorData> sd) {
    Map<String, long[]> out = new LinkedHashMap<>();
    sd.forEach((k, v) -> out.put(k, v.shape()));
    return out;
  }

  /** The four fixture PNGs as AdaFace feeds them: BGR, (x/255 - 0.5)/0.5, [4,3,112,112]. */
  static float[] adaFaceInputs() {
    List<RgbImage> images = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String name = "ir18_images/face_" + i + ".png";
      images.add(
          ImageDecoder.decode(
              HadoopFiles.readAllBytes(new Path(Fixtures.path(name).toString())), name));
    }
    double[] half = {0.5, 0.5, 0.5};
    return new TensorLayout(112, ChannelOrder.BGR, half, half).toNchw(images);
  }

  @Test
  void ir18FromLightningCheckpointMatchesPyTorch() {
    Map<String, TensorData> sd =
        TorchCheckpoint.open(Fixtures.path("ir18_small.ckpt").toString()).stateDict("model.");
    IResNetConfig cfg = IResNetConfig.infer(shapes(sd), "ir18_small.ckpt");
    assertEquals("ir_18", cfg.depthName());
    assertEquals(112, cfg.inputSize());
    assertEquals(64, cfg.embeddingSize());
    float[] inputs = adaFaceInputs();
    float[] expected = Fixtures.floats("ir18_outputs.bin");
    try (NDManager m = NDManager.newBaseManager()) {
      IResNet net = new IResNet(cfg);
      net.initialize(m, DataType.FLOAT32, new Shape(4, 3, 112, 112));
      MappingReport report = WeightImporter.load(net, sd, true, "ir18_small.ckpt");
      assertTrue(report.isExact(), report.describe());
      NDArray x = Tensors.floats(m, inputs, new Shape(4, 3, 112, 112));
      NDList out = net.forward(new ParameterStore(m, false), new NDList(x), false);
      float[] emb = out.get(0).toFloatArray();
      float[] norm = out.get(1).toFloatArray();
      assertEquals(4 * 64, emb.length);
      assertTrue(
          Fixtures.maxAbsDiff(emb, expected, 0) <= 1e-4,
          "embedding diff " + Fixtures.maxAbsDiff(emb, expected, 0));
      float normDiff = Fixtures.maxAbsDiff(norm, expected, 4 * 64);
      assertTrue(
          normDiff <= 1e-4 * Math.max(1, Math.abs(expected[4 * 64])), "norm diff " + normDiff);
    }
  }

  @Test
  void guidedDiffusionUNetMatchesPyTorch() {
    Map<String, TensorData> sd =
        TorchCheckpoint.open(Fixtures.path("unet_small.pt").toString()).stateDict("");
    UNetConfig cfg = new UNetConfig(28, 3, 32, 6, 1, new int[] {1, 1, 1, 1}, Set.of(8), 1, 32, 0f);
    float[] io = Fixtures.floats("unet_io.bin");
    int nx = 2 * 3 * 28 * 28;
    int nc = 2 * 64 * 3;
    try (NDManager m = NDManager.newBaseManager()) {
      UNet unet = new UNet(cfg);
      unet.initialize(
          m, DataType.FLOAT32, new Shape(2, 3, 28, 28), new Shape(2), new Shape(2, 64, 3));
      MappingReport report = WeightImporter.load(unet, sd, true, "unet_small.pt");
      assertTrue(report.isExact(), report.describe());
      NDArray x = Tensors.floats(m, Arrays.copyOfRange(io, 0, nx), new Shape(2, 3, 28, 28));
      NDArray t = Tensors.floats(m, Arrays.copyOfRange(io, nx, nx + 2), new Shape(2));
      NDArray cond =
          Tensors.floats(m, Arrays.copyOfRange(io, nx + 2, nx + 2 + nc), new Shape(2, 64, 3));
      float[] y =
          unet.forward(new ParameterStore(m, false), new NDList(x, t, cond), false)
              .singletonOrThrow()
              .toFloatArray();
      float diff = Fixtures.maxAbsDiff(y, io, nx + 2 + nc);
      float scale = 0;
      for (int i = 0; i < y.length; i++) {
        scale = Math.max(scale, Math.abs(io[nx + 2 + nc + i]));
      }
      assertTrue(
          diff <= 1e-4 * Math.max(1, scale),
          "max abs diff " + diff + " (output scale " + scale + ")");
    }
  }
}
