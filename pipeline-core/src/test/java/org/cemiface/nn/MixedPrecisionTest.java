package org.cemiface.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.cemiface.config.ConfigError;
import org.junit.jupiter.api.Test;

/**
 * The pieces float16 training rests on: a cast autograd records, a store that casts weights,
 * GroupNorm and batch norm in float32.
 */
class MixedPrecisionTest {
  @Test
  void castKeepsTheGradientPathThatToTypeCuts() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray w = Tensors.floats(m, new float[] {1, 2, 3, 4}, new Shape(4));
      w.setRequiresGradient(true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray half = Tensors.cast(w.mul(w), DataType.FLOAT16);
        assertEquals(DataType.FLOAT16, half.getDataType());
        NDArray back = Tensors.cast(half.mul(half), DataType.FLOAT32);
        assertEquals(DataType.FLOAT32, back.getDataType());
        gc.backward(back.sum());
      }
      // d/dw Σ (w²)² = 4w³, with the gradient arriving in the master's float32.
      assertEquals(DataType.FLOAT32, w.getGradient().getDataType());
      assertArrayEquals(new float[] {4, 32, 108, 256}, w.getGradient().toFloatArray(), 0f);
      assertSame(w, Tensors.cast(w, DataType.FLOAT32));
    }
  }

  @Test
  void storeHandsOutCastWeightsAndGradientsReachTheMasters() {
    try (NDManager m = NDManager.newBaseManager()) {
      Linear linear = Layers.linear(3, true);
      linear.initialize(m, DataType.FLOAT32, new Shape(2, 5));
      linear.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true));
      NDArray x = m.randomNormal(new Shape(2, 5));
      float[] expected;
      try (NDManager scope = m.newSubManager();
          GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray y = Layers.apply(linear, new ParameterStore(m, false), x, true);
        expected = y.toFloatArray();
        gc.backward(y.sum());
      }
      float[] fp32Grad =
          linear.getParameters().get("weight").getArray().getGradient().toFloatArray();
      linear.getParameters().forEach(p -> p.getValue().getArray().getGradient().muli(0f));
      try (NDManager scope = m.newSubManager();
          GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        CastingParameterStore store = new CastingParameterStore(scope, DataType.FLOAT16);
        NDArray y = Layers.apply(linear, store, Tensors.cast(x, DataType.FLOAT16, scope), true);
        // One cast per parameter and store: a batch's DDIM steps share them.
        Parameter weight = linear.getParameters().get("weight");
        assertSame(
            store.getValue(weight, x.getDevice(), true),
            store.getValue(weight, x.getDevice(), true));
        assertEquals(DataType.FLOAT16, y.getDataType());
        assertArrayEquals(expected, Tensors.cast(y, DataType.FLOAT32).toFloatArray(), 2e-2f);
        gc.backward(Tensors.cast(y, DataType.FLOAT32).sum());
      }
      NDArray grad = linear.getParameters().get("weight").getArray().getGradient();
      assertEquals(DataType.FLOAT32, grad.getDataType());
      // d(Σy)/dW[j,k] = Σ_b x[b,k]: float16 inputs carry ~3 significant digits.
      assertArrayEquals(fp32Grad, grad.toFloatArray(), 5e-3f);
      assertEquals(DataType.FLOAT32, linear.getParameters().get("weight").getArray().getDataType());
    }
  }

  @Test
  void groupNormOnFloat16InputReturnsFloat16NearFloat32() {
    try (NDManager m = NDManager.newBaseManager()) {
      GroupNorm gn = new GroupNorm(4, 8, 1e-5f, true);
      gn.initialize(m, DataType.FLOAT32, new Shape(2, 8, 4, 4));
      NDArray x = Tensors.plus(m.randomNormal(0, 3, new Shape(2, 8, 4, 4), DataType.FLOAT32), 20);
      float[] reference = Layers.apply(gn, new ParameterStore(m, false), x, false).toFloatArray();
      try (NDManager scope = m.newSubManager()) {
        NDArray half =
            Layers.apply(
                gn,
                new CastingParameterStore(scope, DataType.FLOAT16),
                Tensors.cast(x, DataType.FLOAT16, scope),
                false);
        assertEquals(DataType.FLOAT16, half.getDataType());
        // Normalised values are O(1): float16 rounding (2^-11 relative) of the input at ~20 ± 3
        // dominates.
        assertArrayEquals(reference, Tensors.cast(half, DataType.FLOAT32).toFloatArray(), 1e-2f);
      }
    }
  }

  @Test
  void batchNormOnFloat16InputNormalisesInFloat32AndUpdatesTheMasterRunningStatistics() {
    try (NDManager m = NDManager.newBaseManager()) {
      TorchBatchNorm fp32 = new TorchBatchNorm(8, true);
      TorchBatchNorm fp16 = new TorchBatchNorm(8, true);
      Shape shape = new Shape(4, 8, 3, 3);
      fp32.initialize(m, DataType.FLOAT32, shape);
      fp16.initialize(m, DataType.FLOAT32, shape);
      NDArray x = Tensors.plus(m.randomNormal(0, 3, shape, DataType.FLOAT32), 20);
      float[] reference = Layers.apply(fp32, new ParameterStore(m, false), x, true).toFloatArray();
      try (NDManager scope = m.newSubManager()) {
        NDArray half =
            Layers.apply(
                fp16,
                new CastingParameterStore(scope, DataType.FLOAT16),
                Tensors.cast(x, DataType.FLOAT16, scope),
                true);
        assertEquals(DataType.FLOAT16, half.getDataType());
        assertArrayEquals(reference, Tensors.cast(half, DataType.FLOAT32).toFloatArray(), 1e-2f);
      }
      // The training-mode update reached the float32 masters (0.9 · 0 + 0.1 · batch mean ≈ 2):
      // a cast copy would have taken it and been freed with the scope.
      for (String stat : new String[] {"running_mean", "running_var"}) {
        NDArray expected = fp32.getParameters().get(stat).getArray();
        NDArray actual = fp16.getParameters().get(stat).getArray();
        assertEquals(DataType.FLOAT32, actual.getDataType());
        assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), 2e-2f, stat);
      }
      assertTrue(fp16.getParameters().get("running_mean").getArray().toFloatArray()[0] > 1.5f);
    }
  }

  @Test
  void precisionNamesParseAndBfloat16IsRefusedWithTheReason() {
    assertEquals(Precision.FP16, Precision.parse("fp16", "train.precision"));
    assertEquals(Precision.FP32, Precision.parse(" FP32 ", "train.precision"));
    ConfigError bf16 =
        assertThrows(ConfigError.class, () -> Precision.parse("bf16", "train.precision"));
    assertTrue(
        bf16.getMessage().contains("train.precision") && bf16.getMessage().contains("no bfloat16"),
        bf16.getMessage());
    ConfigError typo =
        assertThrows(ConfigError.class, () -> Precision.parse("fp61", "generate.precision"));
    assertTrue(typo.getMessage().contains("generate.precision = fp61"), typo.getMessage());
  }
}
