package org.cemiface.model.cemiface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.cemiface.diffusion.DdimSampler;
import org.cemiface.diffusion.NoiseSchedule;
import org.cemiface.diffusion.Prediction;
import org.cemiface.model.unet.UNetConfig;
import org.cemiface.nn.Precision;
import org.cemiface.nn.Tensors;
import org.cemiface.nn.TorchNames;
import org.junit.jupiter.api.Test;

/**
 * The CemiFace UNet at float16 against itself at float32: the same outputs and gradients within
 * float16's digits.
 */
class HalfPrecisionForwardTest {
  private static final CemiFaceConfig CONFIG =
      new CemiFaceConfig(
          new UNetConfig(16, 3, 32, 3, 1, new int[] {1, 2}, Set.of(2), 1, 32, 0f),
          32,
          false,
          0,
          0,
          true,
          true,
          Prediction.V);

  @Test
  void float16ForwardAndGradientsFollowFloat32() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(5);
      CemiFaceUNet model = CemiFaceStore.create(CONFIG, m);
      Map<String, Parameter> params = TorchNames.parameters(model);
      for (Parameter p : params.values()) {
        // Away from the zero-initialised output layers, so every parameter has a gradient.
        try (NDManager tmp = m.newSubManager()) {
          p.getArray()
              .set(
                  tmp.randomNormal(0, 0.2f, p.getArray().getShape(), DataType.FLOAT32)
                      .toByteBuffer());
        }
        p.getArray().setRequiresGradient(true);
      }
      NDList in =
          new NDList(
              m.randomNormal(new Shape(3, 3, 16, 16)),
              Tensors.floats(m, new float[] {5, 400, 990}, new Shape(3)),
              m.randomNormal(new Shape(3, 32)),
              Tensors.floats(m, new float[] {-1, 0, 0.7f}, new Shape(3)));
      NDArray target = m.randomNormal(new Shape(3, 3, 16, 16));
      float[] out32 = new float[0];
      Map<String, float[]> grad32 = new LinkedHashMap<>();
      Map<String, float[]> grad16 = new LinkedHashMap<>();
      for (Precision precision : Precision.values()) {
        try (NDManager scope = m.newSubManager();
            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray out = model.predict(new ParameterStore(m, false), in, true, precision, scope);
          assertEquals(DataType.FLOAT32, out.getDataType(), precision + " output");
          if (precision == Precision.FP32) {
            out32 = out.toFloatArray();
          } else {
            assertTrue(
                relativeError(out32, out.toFloatArray()) < 1e-2,
                "float16 output off by " + relativeError(out32, out.toFloatArray()));
          }
          gc.backward(out.sub(target).square().mean());
        }
        Map<String, float[]> grads = precision == Precision.FP32 ? grad32 : grad16;
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
          NDArray g = e.getValue().getArray().getGradient();
          assertEquals(DataType.FLOAT32, g.getDataType(), e.getKey());
          grads.put(e.getKey(), g.toFloatArray());
          g.muli(0f);
        }
      }
      // Biases right before a per-channel GroupNorm have a zero gradient in exact arithmetic (the
      // mean removes
      // them), so their float32 values are rounding noise: judge each parameter against the whole
      // gradient's norm.
      double total = 0;
      double totalDiff = 0;
      for (String k : grad32.keySet()) {
        total += Math.pow(norm(grad32.get(k)), 2);
        totalDiff += Math.pow(relativeError(grad32.get(k), grad16.get(k)) * norm(grad32.get(k)), 2);
      }
      double overall = Math.sqrt(totalDiff / total);
      // docs/training.md quotes this figure.
      System.out.printf(
          "float16 vs float32 UNet gradients: %.4f relative error overall%n", overall);
      assertTrue(overall < 2e-2, "float16 gradient off by " + overall + " overall");
      for (String k : grad32.keySet()) {
        double norm = norm(grad32.get(k));
        double error = relativeError(grad32.get(k), grad16.get(k)) * norm / Math.sqrt(total);
        assertTrue(
            error < 5e-3,
            k + ": float16 gradient off by " + error + " of the whole gradient's norm");
        if (norm > 1e-2 * Math.sqrt(total)) {
          assertTrue(
              relativeError(grad32.get(k), grad16.get(k)) < 0.1,
              k + ": float16 gradient off by " + relativeError(grad32.get(k), grad16.get(k)));
        }
      }
    }
  }

  @Test
  void float16SamplingGivesTheFloat32ImagesWithinAFewLevels() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(9);
      CemiFaceUNet model = CemiFaceStore.create(CONFIG, m);
      for (Parameter p : TorchNames.parameters(model).values()) {
        try (NDManager tmp = m.newSubManager()) {
          p.getArray()
              .set(
                  tmp.randomNormal(0, 0.05f, p.getArray().getShape(), DataType.FLOAT32)
                      .toByteBuffer());
        }
      }
      NoiseSchedule schedule = NoiseSchedule.standard();
      DdimSampler sampler = new DdimSampler(schedule, 5, 0.0);
      float[][] ids = new float[2][32];
      for (int i = 0; i < 32; i++) {
        ids[0][i] = (float) Math.sin(i);
        ids[1][i] = (float) Math.cos(i);
      }
      float[] ms = {0f, 0.5f};
      long[] seeds = {3, 4};
      var full =
          new CemiFaceGenerator(model, sampler, new ParameterStore(m, false))
              .generate(m, ids, null, ms, seeds);
      var half =
          new CemiFaceGenerator(model, sampler, new ParameterStore(m, false), Precision.FP16, 1.0)
              .generate(m, ids, null, ms, seeds);
      var other =
          new CemiFaceGenerator(model, sampler, new ParameterStore(m, false))
              .generate(m, ids, null, ms, new long[] {5, 6});
      double total = 0;
      for (int i = 0; i < 2; i++) {
        double diff = full.get(i).meanAbsDifference(half.get(i));
        // docs/operations.md quotes these figures.
        System.out.printf(
            "float16 vs float32 sample %d: %.4f 8-bit levels mean absolute difference%n", i, diff);
        total += diff;
        // Within about one 8-bit level on average, where another seed differs by tens of levels.
        assertTrue(diff < 1.5, "float16 image " + i + " differs by " + diff + " levels");
        assertTrue(full.get(i).meanAbsDifference(other.get(i)) > 20, "seeds barely matter");
      }
      // 8-bit output hides most float16 rounding, but not all of it: the float16 path was taken
      // (measured 0.0013).
      assertTrue(
          total > 0, "float16 sampling gave bit-identical images: was the precision ignored?");
    }
  }

  private static double relativeError(float[] reference, float[] value) {
    double diff = 0;
    for (int i = 0; i < reference.length; i++) {
      diff += (reference[i] - value[i]) * (double) (reference[i] - value[i]);
    }
    return Math.sqrt(diff) / norm(reference);
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x * (double) x;
    }
    return Math.sqrt(s);
  }
}
