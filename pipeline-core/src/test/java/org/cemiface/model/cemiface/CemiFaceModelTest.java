package org.cemiface.model.cemiface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.hadoop.fs.Path;
import org.cemiface.checkpoint.ModelStore;
import org.cemiface.config.ConfigLoader;
import org.cemiface.diffusion.Prediction;
import org.cemiface.encoder.DjlIdentityEncoder;
import org.cemiface.image.ChannelOrder;
import org.cemiface.image.TensorLayout;
import org.cemiface.model.iresnet.IResNet;
import org.cemiface.model.iresnet.IResNetConfig;
import org.cemiface.model.unet.UNetConfig;
import org.cemiface.nn.Tensors;
import org.cemiface.nn.TorchNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CemiFaceModelTest {
  @TempDir java.nio.file.Path dir;

  private static void randomise(Map<String, Parameter> params, NDManager m, float std) {
    for (Parameter p : params.values()) {
      try (NDManager tmp = m.newSubManager()) {
        p.getArray()
            .set(
                tmp.randomNormal(0, std, p.getArray().getShape(), DataType.FLOAT32).toByteBuffer());
      }
    }
  }

  private static NDList inputs(NDManager m, CemiFaceConfig cfg, int b) {
    int s = cfg.unet().imageSize();
    NDList in =
        new NDList(
            m.randomNormal(new Shape(b, 3, s, s)),
            Tensors.floats(m, new float[b], new Shape(b)),
            m.randomNormal(new Shape(b, cfg.identityDim())),
            Tensors.floats(m, new float[b], new Shape(b)));
    if (cfg.spatialTokens()) {
      in.add(
          m.randomNormal(
              new Shape(b, cfg.spatialChannels(), cfg.spatialSize(), cfg.spatialSize())));
    }
    return in;
  }

  @Test
  void everyPresetGivesEpsilonShapedOutput() {
    for (String preset : List.of("tiny", "paper")) {
      CemiFaceConfig cfg =
          CemiFaceConfig.from(
              ConfigLoader.load(
                      List.of(),
                      List.of("model.unet.preset=" + preset, "model.spatial-tokens=true"))
                  .reader(),
              512,
              512,
              7);
      try (NDManager m = NDManager.newBaseManager()) {
        CemiFaceUNet model = CemiFaceStore.create(cfg, m);
        System.out.printf(
            "CemiFace %s: %,d parameters (%d condition tokens)%n",
            preset, TorchNames.count(model, false), cfg.tokens());
        NDArray eps =
            model
                .forward(new ParameterStore(m, false), inputs(m, cfg, 1), false)
                .singletonOrThrow();
        int s = cfg.unet().imageSize();
        assertEquals(new Shape(1, 3, s, s), eps.getShape());
        assertEquals(51, cfg.tokens());
      }
    }
  }

  @Test
  void similarityConditionChangesThePrediction() {
    CemiFaceConfig cfg = new CemiFaceConfig(UNetConfig.tiny(), 64, false, 0, 0, false);
    try (NDManager m = NDManager.newBaseManager()) {
      CemiFaceUNet model = CemiFaceStore.create(cfg, m);
      randomise(TorchNames.parameters(model), m, 0.3f);
      NDList in = inputs(m, cfg, 1);
      in.set(3, Tensors.floats(m, new float[] {-1f}, new Shape(1)));
      ParameterStore ps = new ParameterStore(m, false);
      float[] a = model.forward(ps, in, false).singletonOrThrow().toFloatArray();
      in.set(3, Tensors.floats(m, new float[] {1f}, new Shape(1)));
      float[] b = model.forward(ps, in, false).singletonOrThrow().toFloatArray();
      double diff = 0;
      for (int i = 0; i < a.length; i++) {
        diff = Math.max(diff, Math.abs(a[i] - b[i]));
      }
      assertTrue(diff > 1e-4, "m must reach the output through cross-attention, diff " + diff);
    }
  }

  @Test
  void similarityInTimeAddsAnMDependentTimeTerm() {
    CemiFaceConfig cfg =
        new CemiFaceConfig(UNetConfig.tiny(), 64, false, 0, 0, false, true, Prediction.V);
    try (NDManager m = NDManager.newBaseManager()) {
      CemiFaceUNet model = CemiFaceStore.create(cfg, m);
      randomise(TorchNames.parameters(model), m, 0.3f);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray id = inputs(m, cfg, 2).get(2);
      NDList low =
          model
              .condition()
              .forward(
                  ps,
                  new NDList(id, Tensors.floats(m, new float[] {-1f, -1f}, new Shape(2))),
                  false);
      NDList high =
          model
              .condition()
              .forward(
                  ps, new NDList(id, Tensors.floats(m, new float[] {1f, 1f}, new Shape(2))), false);
      assertEquals(2, low.size());
      assertEquals(new Shape(2, cfg.unet().timeEmbedDim()), low.get(1).getShape());
      assertTrue(low.get(1).sub(high.get(1)).abs().max().getFloat() > 1e-3f);
    }
  }

  @Test
  void identityScaledByMFadesAtZeroAndFlipsSign() {
    // Only the identity term in time (no similarity term), so the time term is Linear(m·id) =
    // m·W·id + b.
    CemiFaceConfig cfg =
        new CemiFaceConfig(
            UNetConfig.tiny(), 64, false, 0, 0, true, false, Prediction.EPSILON, true);
    try (NDManager m = NDManager.newBaseManager()) {
      CemiFaceUNet model = CemiFaceStore.create(cfg, m);
      randomise(TorchNames.parameters(model), m, 0.3f);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray id = inputs(m, cfg, 2).get(2);
      Function<Float, NDArray> term =
          v ->
              model
                  .condition()
                  .forward(
                      ps,
                      new NDList(id, Tensors.floats(m, new float[] {v, v}, new Shape(2))),
                      false)
                  .get(1);
      NDArray bias = term.apply(0f);
      NDArray other =
          model
              .condition()
              .forward(
                  ps,
                  new NDList(id.mul(-3), Tensors.floats(m, new float[] {0f, 0f}, new Shape(2))),
                  false)
              .get(1);
      assertEquals(
          0f,
          bias.sub(other).abs().max().getFloat(),
          1e-6f,
          "at m = 0 the identity does not matter");
      NDArray kvZero =
          model
              .condition()
              .forward(
                  ps, new NDList(id, Tensors.floats(m, new float[] {0f, 0f}, new Shape(2))), false)
              .get(0);
      NDArray kvOther =
          model
              .condition()
              .forward(
                  ps,
                  new NDList(id.mul(-3), Tensors.floats(m, new float[] {0f, 0f}, new Shape(2))),
                  false)
              .get(0);
      assertEquals(
          0f,
          kvZero.sub(kvOther).abs().max().getFloat(),
          1e-6f,
          "nor in the cross-attention token");
      NDArray plus = term.apply(0.5f).sub(bias);
      NDArray minus = term.apply(-0.5f).sub(bias);
      assertTrue(
          plus.abs().max().getFloat() > 1e-3f, "the identity reaches the time term at m = 0.5");
      assertEquals(
          0f,
          plus.add(minus).abs().max().getFloat(),
          1e-5f,
          "m = -0.5 flips the identity's contribution");
    }
    CemiFaceConfig old =
        new Gson()
            .fromJson(
                new Gson()
                    .toJsonTree(
                        new CemiFaceConfig(
                            UNetConfig.tiny(), 64, false, 0, 0, true, false, Prediction.EPSILON)),
                CemiFaceConfig.class);
    assertEquals(false, old.identityScaledByM(), "cards without the field read as unscaled");
  }

  @Test
  void savedModelReloadsWithIdenticalOutputsAndACard() {
    CemiFaceConfig cfg =
        new CemiFaceConfig(UNetConfig.tiny(), 64, true, 32, 2, true, true, Prediction.V);
    Path store = new Path(dir.toString());
    float[] before;
    Map<String, float[]> weights = new LinkedHashMap<>();
    try (NDManager m = NDManager.newBaseManager()) {
      CemiFaceUNet model = CemiFaceStore.create(cfg, m);
      randomise(TorchNames.parameters(model), m, 0.05f);
      TorchNames.parameters(model).forEach((k, p) -> weights.put(k, p.getArray().toFloatArray()));
      before =
          model
              .forward(new ParameterStore(m, false), inputs(fixed(m), cfg, 2), false)
              .singletonOrThrow()
              .toFloatArray();
      CemiFaceStore.save(model, store, "unet", "unit test");
    }
    assertTrue(ModelStore.exists(store, "unet"));
    assertEquals(CemiFaceStore.ARCHITECTURE, ModelStore.card(store, "unet").architecture());
    assertTrue(ModelStore.card(store, "unet").parameters() > 1_000_000);
    try (NDManager m = NDManager.newBaseManager()) {
      CemiFaceUNet loaded = CemiFaceStore.load(store, "unet", m);
      assertEquals(cfg, loaded.config());
      TorchNames.parameters(loaded)
          .forEach((k, p) -> assertArrayEquals(weights.get(k), p.getArray().toFloatArray(), 0f, k));
      float[] after =
          loaded
              .forward(new ParameterStore(m, false), inputs(fixed(m), cfg, 2), false)
              .singletonOrThrow()
              .toFloatArray();
      // Reloaded weights are bit-identical, but on Intel AVX-512 machines PyTorch's CPU kernels
      // round differently
      // with the arrays' memory alignment: outputs then differ in the last bit (measured
      // 2026-12-01, also at the
      // previous commit), so "identical" is within a few float32 ulps of O(0.1) values.
      assertArrayEquals(before, after, 1e-6f);
    }
  }

  @Test
  void cardsWrittenBeforePredictionExistedReadAsEpsilon() {
    JsonObject card =
        new Gson()
            .toJsonTree(
                new CemiFaceConfig(UNetConfig.tiny(), 64, false, 0, 0, false, false, Prediction.V))
            .getAsJsonObject();
    assertEquals(Prediction.V, new Gson().fromJson(card, CemiFaceConfig.class).prediction());
    card.remove("prediction");
    assertEquals(Prediction.EPSILON, new Gson().fromJson(card, CemiFaceConfig.class).prediction());
  }

  @Test
  void encoderStoreRoundTripsAndRejectsTheWrongCard() {
    IResNetConfig cfg = IResNetConfig.named("tiny");
    TensorLayout layout =
        new TensorLayout(
            32, ChannelOrder.RGB, new double[] {0.5, 0.5, 0.5}, new double[] {0.5, 0.5, 0.5});
    try (NDManager m = NDManager.newBaseManager()) {
      IResNet net = new IResNet(cfg);
      net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
      DjlIdentityEncoder.save(net, layout, dir.resolve("enc").toString(), "unit test");
    }
    try (DjlIdentityEncoder enc =
        DjlIdentityEncoder.fromStore(dir.resolve("enc").toString(), Device.cpu(), 8)) {
      assertEquals(128, enc.dimension());
      assertEquals(layout.size(), enc.layout().size());
      assertEquals(cfg, enc.network().config());
    }
    CemiFaceConfig unetCfg = new CemiFaceConfig(UNetConfig.tiny(), 64, false, 0, 0, false);
    try (NDManager m = NDManager.newBaseManager()) {
      CemiFaceStore.save(
          CemiFaceStore.create(unetCfg, m),
          new Path(dir.resolve("enc2").toString()),
          "encoder",
          "x");
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DjlIdentityEncoder.fromStore(dir.resolve("enc2").toString(), Device.cpu(), 8));
    assertTrue(e.getMessage().contains("not an iresnet encoder"), e.getMessage());
  }

  /** A manager whose random draws are reproducible, for comparing two runs. */
  private static NDManager fixed(NDManager m) {
    Engine.getInstance().setRandomSeed(3);
    return m;
  }
}
