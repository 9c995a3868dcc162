package org.cemiface.training.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.fs.Path;
import org.cemiface.data.Batch;
import org.cemiface.data.BatchLoader;
import org.cemiface.data.TrainingImages;
import org.cemiface.image.ChannelOrder;
import org.cemiface.image.ImageFormat;
import org.cemiface.image.ImageSettings;
import org.cemiface.image.TensorLayout;
import org.cemiface.model.iresnet.IResNet;
import org.cemiface.model.iresnet.IResNetConfig;
import org.cemiface.nn.Precision;
import org.cemiface.render.IdentitySetWriter;
import org.cemiface.render.RenderSettings;
import org.cemiface.training.parallel.ShardThreads;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FR trainer's batch split over devices and its float16 arithmetic, gradient by gradient. */
class RecognitionParallelTest {
  private static final int CLASSES = 6;

  /**
   * The tiny encoder without dropout: two CPU replicas share PyTorch's one CPU generator, so shards
   * running at once would draw dropout masks in thread-timing order (trainers then run CPU shards
   * one after another; see ShardThreads.forDevices); without dropout they can run at once here.
   */
  private static final IResNetConfig CONFIG = withoutDropout(IResNetConfig.named("tiny"));

  private static IResNetConfig withoutDropout(IResNetConfig c) {
    return new IResNetConfig(
        c.inputSize(),
        c.units(),
        c.stageChannels(),
        c.stemChannels(),
        c.embeddingSize(),
        c.squeezeExcite(),
        0f);
  }

  private static final TensorLayout LAYOUT =
      new TensorLayout(
          32, ChannelOrder.RGB, new double[] {0.5, 0.5, 0.5}, new double[] {0.5, 0.5, 0.5});
  @TempDir static java.nio.file.Path shared;
  private static Batch batch;

  @BeforeAll
  static void render() {
    RenderSettings render =
        new RenderSettings(CLASSES, 2, 0, 32, "x", new RenderSettings.Variation(1, 1, 1, 0, 0, 2));
    new IdentitySetWriter(3, render, new ImageSettings(ImageFormat.PNG, 95), 1)
        .write(new Path(shared.resolve("faces").toString()));
    try (BatchLoader loader =
        new BatchLoader(
            TrainingImages.list(shared.resolve("faces").toString()),
            8,
            1,
            new AtomicLong(),
            why -> {})) {
      batch = loader.next();
    }
  }

  /** A seeded network and head, with the step that trains them at {@code precision}. */
  private record Model(Map<String, Parameter> params, RecognitionStep step) {}

  private static Model model(NDManager m, Precision precision) {
    Engine.getInstance().setRandomSeed(3);
    IResNet net = new IResNet(CONFIG);
    net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
    CosFaceHead head = head();
    head.initialize(m, DataType.FLOAT32, new Shape(1, 128), new Shape(1, CLASSES));
    return new Model(
        RecognitionParameters.of(net, head),
        new RecognitionStep(net, head, LAYOUT, CLASSES, 0, precision));
  }

  private static CosFaceHead head() {
    return new CosFaceHead(CLASSES, 128, 30, 0.2, false);
  }

  private static Map<String, float[]> takeGradients(Map<String, Parameter> params) {
    Map<String, float[]> out = new LinkedHashMap<>();
    params.forEach(
        (k, p) -> {
          out.put(k, p.getArray().getGradient().toFloatArray());
          p.getArray().getGradient().muli(0f);
        });
    return out;
  }

  private static double maxAbs(Map<String, float[]> g) {
    double max = 0;
    for (float[] a : g.values()) {
      for (float v : a) {
        max = Math.max(max, Math.abs(v));
      }
    }
    return max;
  }

  @Test
  void twoDevicesGatherTheGradientOfTheBatchMeanOverTheirShards() {
    assertEquals(8, batch.size());
    try (NDManager m = NDManager.newBaseManager()) {
      Model primary = model(m, Precision.FP32);
      ParameterStore ps = new ParameterStore(m, false);
      List<Integer> halves = List.of(0, 4, 8);
      double[] shardLoss = new double[2];
      // The reference: each half of the batch on the one model, each weighted by its share.
      Engine.getInstance().setRandomSeed(5);
      try (NDManager scope = m.newSubManager()) {
        for (int k = 0; k < 2; k++) {
          int from = halves.get(k);
          int to = halves.get(k + 1);
          shardLoss[k] =
              primary
                  .step()
                  .run(
                      batch.images().subList(from, to),
                      java.util.Arrays.copyOfRange(batch.labels(), from, to),
                      0.5,
                      ps,
                      scope)
                  .loss();
        }
      }
      Map<String, float[]> expected = takeGradients(primary.params());
      assertTrue(maxAbs(expected) > 1e-3, "the batch moves the weights: " + maxAbs(expected));

      RecognitionReplicas.Factory factory =
          new RecognitionReplicas.Factory() {
            @Override
            public CosFaceHead head() {
              return RecognitionParallelTest.head();
            }

            @Override
            public RecognitionStep step(IResNet net, CosFaceHead head) {
              return new RecognitionStep(net, head, LAYOUT, CLASSES, 0, Precision.FP32);
            }
          };
      // One after another on this thread, then at once on two threads: the same numbers.
      for (boolean concurrent : new boolean[] {false, true}) {
        try (RecognitionReplicas replicas =
                new RecognitionReplicas(List.of(Device.cpu()), CONFIG, factory, CLASSES, 128);
            ShardThreads threads = new ShardThreads(2, concurrent)) {
          // A replica starts from its own random weights: only the copy makes its shard agree.
          replicas.syncFrom(primary.params());
          ShardedBackward backward =
              new ShardedBackward(primary.step(), ps, primary.params(), replicas, threads);
          assertEquals(2, backward.shards());
          Engine.getInstance().setRandomSeed(5);
          RecognitionStep.Result result;
          try (NDManager scope = m.newSubManager()) {
            result = backward.run(batch.images(), batch.labels(), 8.0, scope);
          }
          assertEquals((shardLoss[0] + shardLoss[1]) / 2, result.loss(), 1e-5);
          Map<String, float[]> gathered = takeGradients(primary.params());
          for (String k : expected.keySet()) {
            float[] want = expected.get(k).clone();
            for (int i = 0; i < want.length; i++) {
              want[i] *= 8; // the loss scale multiplies every shard's gradient
            }
            assertArrayEquals(want, gathered.get(k), 1e-4f, k);
          }
          // The replica's gradients were handed over and cleared for the next step.
          assertEquals(0.0, maxAbs(takeGradients(replicas.all().get(0).params())));
        }
      }
    }
  }

  @Test
  void float16GradientsFollowFloat32() {
    Map<String, float[]> fp32;
    Map<String, float[]> fp16;
    double loss32;
    double loss16;
    try (NDManager m = NDManager.newBaseManager()) {
      Model model = model(m, Precision.FP32);
      Engine.getInstance().setRandomSeed(5);
      try (NDManager scope = m.newSubManager()) {
        loss32 =
            model
                .step()
                .run(batch.images(), batch.labels(), 1, new ParameterStore(m, false), scope)
                .loss();
      }
      fp32 = takeGradients(model.params());
    }
    try (NDManager m = NDManager.newBaseManager()) {
      Model model = model(m, Precision.FP16);
      Engine.getInstance().setRandomSeed(5);
      try (NDManager scope = m.newSubManager()) {
        // A loss scale, as training uses: float16 gradients of a few 1e-5 would otherwise
        // underflow.
        loss16 =
            model
                .step()
                .run(batch.images(), batch.labels(), 1024, new ParameterStore(m, false), scope)
                .loss();
      }
      fp16 = takeGradients(model.params());
    }
    assertEquals(loss32, loss16, 0.05 * Math.abs(loss32));
    double diff = 0;
    double norm = 0;
    for (String k : fp32.keySet()) {
      float[] a = fp32.get(k);
      float[] b = fp16.get(k);
      assertEquals(a.length, b.length, k);
      for (int i = 0; i < a.length; i++) {
        double d = b[i] / 1024.0 - a[i];
        diff += d * d;
        norm += (double) a[i] * a[i];
      }
    }
    double relative = Math.sqrt(diff / norm);
    assertTrue(norm > 0 && relative < 0.02, "float16 gradient error " + relative);
  }
}
