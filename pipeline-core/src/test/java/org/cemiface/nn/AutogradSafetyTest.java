package org.cemiface.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.cemiface.model.iresnet.IResNet;
import org.cemiface.model.iresnet.IResNetConfig;
import org.cemiface.model.unet.UNet;
import org.cemiface.model.unet.UNetConfig;
import org.junit.jupiter.api.Test;

/**
 * Guards against DJL's zero-copy hazard: if any Java-backed array were saved by autograd, a GC
 * between forward and backward would free it and change (or NaN) the gradients. Every block's
 * gradients must be identical with and without garbage collection and direct-buffer churn in
 * between.
 */
class AutogradSafetyTest {
  @Test
  void unetGradientsSurviveGarbageCollectionBetweenForwardAndBackward() {
    UNetConfig cfg = new UNetConfig(8, 3, 32, 3, 1, new int[] {1, 1}, Set.of(2), 1, 32, 0f);
    assertSameGradients(
        m -> {
          UNet unet = new UNet(cfg);
          unet.initialize(
              m, DataType.FLOAT32, new Shape(2, 3, 8, 8), new Shape(2), new Shape(2, 64, 2));
          return unet;
        },
        m ->
            new NDList(
                input(m, new Shape(2, 3, 8, 8), 1),
                Tensors.floats(m, new float[] {3, 700}, new Shape(2)),
                input(m, new Shape(2, 64, 2), 2)),
        true);
  }

  @Test
  void iresnetGradientsSurviveGarbageCollectionBetweenForwardAndBackward() {
    IResNetConfig cfg =
        new IResNetConfig(32, new int[] {1, 1, 1, 1}, new int[] {16, 32, 64, 128}, 8, 32, true, 0f);
    assertSameGradients(
        m -> {
          IResNet net = new IResNet(cfg);
          net.initialize(m, DataType.FLOAT32, new Shape(2, 3, 32, 32));
          return net;
        },
        m -> new NDList(input(m, new Shape(2, 3, 32, 32), 3)),
        false);
  }

  @Test
  void groupNormMatchesHandComputedValues() {
    try (NDManager m = NDManager.newBaseManager()) {
      GroupNorm gn = new GroupNorm(2, 4, 1e-5f, true);
      gn.initialize(m, DataType.FLOAT32, new Shape(1, 4, 1, 2));
      // Group 0 holds channels 0-1 = {1,3,5,7}: mean 4, var 5. Group 1 = {0,0,0,4}: mean 1, var 3.
      NDArray x = Tensors.floats(m, new float[] {1, 3, 5, 7, 0, 0, 0, 4}, new Shape(1, 4, 1, 2));
      float[] y =
          gn.forward(new ParameterStore(m, false), new NDList(x), false)
              .singletonOrThrow()
              .toFloatArray();
      double s0 = Math.sqrt(5 + 1e-5);
      double s1 = Math.sqrt(3 + 1e-5);
      float[] expected = {
        (float) (-3 / s0),
        (float) (-1 / s0),
        (float) (1 / s0),
        (float) (3 / s0),
        (float) (-1 / s1),
        (float) (-1 / s1),
        (float) (-1 / s1),
        (float) (3 / s1)
      };
      for (int i = 0; i < 8; i++) {
        assertEquals(expected[i], y[i], 1e-5, "element " + i);
      }
    }
  }

  private static NDArray input(NDManager m, Shape shape, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] data = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return Tensors.floats(m, data, shape);
  }

  private static void assertSameGradients(
      Function<NDManager, Block> build, Function<NDManager, NDList> inputs, boolean randomiseAll) {
    Map<String, float[]> calm = gradients(build, inputs, randomiseAll, false);
    Map<String, float[]> churned = gradients(build, inputs, randomiseAll, true);
    assertEquals(calm.keySet(), churned.keySet());
    int nonZero = 0;
    for (String key : calm.keySet()) {
      float[] a = calm.get(key);
      float[] b = churned.get(key);
      for (int i = 0; i < a.length; i++) {
        assertTrue(Float.isFinite(b[i]), key + " has a non-finite gradient after GC");
        assertEquals(
            a[i], b[i], 0f, key + "[" + i + "] changed after GC between forward and backward");
        nonZero += a[i] != 0 ? 1 : 0;
      }
    }
    assertTrue(nonZero > 0, "gradients must not be all zero");
  }

  private static Map<String, float[]> gradients(
      Function<NDManager, Block> build,
      Function<NDManager, NDList> inputs,
      boolean randomiseAll,
      boolean churn) {
    Engine.getInstance().setRandomSeed(7);
    try (NDManager m = NDManager.newBaseManager()) {
      Block block = build.apply(m);
      Map<String, Parameter> params = TorchNames.parameters(block);
      SplittableRandom r = new SplittableRandom(99);
      for (Parameter p : params.values()) {
        float[] v = new float[Math.toIntExact(p.getArray().getShape().size())];
        for (int i = 0; i < v.length; i++) {
          v[i] =
              p.getType() == Parameter.Type.RUNNING_VAR ? 1f : (float) (r.nextDouble() * 0.4 - 0.2);
        }
        if (randomiseAll || p.getType() != Parameter.Type.RUNNING_VAR) {
          ByteBuffer b = ByteBuffer.allocateDirect(v.length * 4).order(ByteOrder.nativeOrder());
          b.asFloatBuffer().put(v);
          p.getArray().set(b);
        }
        if (p.requiresGradient()) {
          p.getArray().setRequiresGradient(true);
        }
      }
      Map<String, float[]> grads = new LinkedHashMap<>();
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray out = block.forward(new ParameterStore(m, false), inputs.apply(m), true).get(0);
        NDArray loss = out.mul(out).sum();
        if (churn) {
          List<ByteBuffer> garbage = new ArrayList<>();
          for (int round = 0; round < 5; round++) {
            System.gc();
            for (int i = 0; i < 200; i++) {
              ByteBuffer junk = ByteBuffer.allocateDirect(64 * 1024);
              junk.put(0, (byte) i);
              garbage.add(junk);
            }
            garbage.clear();
          }
          System.gc();
        }
        gc.backward(loss);
      }
      for (Map.Entry<String, Parameter> e : params.entrySet()) {
        if (e.getValue().requiresGradient()) {
          grads.put(e.getKey(), e.getValue().getArray().getGradient().toFloatArray());
        }
      }
      return grads;
    }
  }
}
