package org.cemiface.training.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.cemiface.nn.Tensors;
import org.junit.jupiter.api.Test;

class OptimizerTest {
  private static Parameter param(NDManager m, float[] v) {
    Parameter p =
        Parameter.builder()
            .setName("w")
            .setType(Parameter.Type.BIAS)
            .optShape(new Shape(v.length))
            .build();
    p.initialize(m, DataType.FLOAT32);
    ByteBuffer b = ByteBuffer.allocateDirect(v.length * 4).order(ByteOrder.nativeOrder());
    b.asFloatBuffer().put(v);
    p.getArray().set(b);
    p.getArray().setRequiresGradient(true);
    return p;
  }

  /** Gradient of sum(w * c) is c. */
  private static void backward(Parameter p, float[] c, NDManager m) {
    try (NDManager scope = m.newSubManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray loss = p.getArray().mul(Tensors.floats(scope, c, new Shape(c.length))).sum();
      gc.backward(loss);
    }
  }

  @Test
  void adamWMatchesTheTorchUpdateRule() {
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter p = param(m, new float[] {1f, -2f});
      AdamW opt = new AdamW(Map.of("w", p), m, 0.9, 0.999, 1e-8, 0.1);
      float[] g1 = {0.5f, -1f};
      float[] g2 = {0.25f, 2f};
      double[] w = {1, -2};
      double[] mom = new double[2];
      double[] vel = new double[2];
      float[][] grads = {g1, g2};
      for (int step = 1; step <= 2; step++) {
        backward(p, grads[step - 1], m);
        opt.step(0.01);
        try (NDManager s = m.newSubManager()) {
          GradientTools.zero(Map.of("w", p), s);
        }
        for (int i = 0; i < 2; i++) {
          w[i] *= 1 - 0.01 * 0.1;
          mom[i] = 0.9 * mom[i] + 0.1 * grads[step - 1][i];
          vel[i] = 0.999 * vel[i] + 0.001 * grads[step - 1][i] * grads[step - 1][i];
          double mh = mom[i] / (1 - Math.pow(0.9, step));
          double vh = vel[i] / (1 - Math.pow(0.999, step));
          w[i] -= 0.01 * mh / (Math.sqrt(vh) + 1e-8);
        }
      }
      float[] got = p.getArray().toFloatArray();
      assertEquals(w[0], got[0], 1e-6);
      assertEquals(w[1], got[1], 1e-6);
    }
  }

  @Test
  void sgdWithMomentumAndWeightDecayMatchesTorch() {
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter p = param(m, new float[] {1f});
      Sgd sgd = new Sgd(Map.of("w", p), m, 0.9, 0.01);
      backward(p, new float[] {2f}, m);
      sgd.step(0.1);
      // d = 2 + 0.01*1 = 2.01; buf = 2.01; w = 1 - 0.201 = 0.799
      assertEquals(0.799f, p.getArray().toFloatArray()[0], 1e-6);
      try (NDManager s = m.newSubManager()) {
        GradientTools.zero(Map.of("w", p), s);
      }
      backward(p, new float[] {2f}, m);
      sgd.step(0.1);
      // d = 2 + 0.00799 = 2.00799; buf = 0.9*2.01 + 2.00799 = 3.81699; w = 0.799 - 0.381699
      assertEquals(0.799 - 0.381699, p.getArray().toFloatArray()[0], 1e-6);
    }
  }

  @Test
  void stateRoundTripsExactly() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Parameter p = param(m, new float[] {1f, 2f, 3f});
      AdamW a = new AdamW(Map.of("w", p), m, 0.9, 0.999, 1e-8, 0);
      backward(p, new float[] {1, 2, 3}, m);
      a.step(0.1);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      a.save(new DataOutputStream(bytes));
      Parameter q = param(m, new float[] {0f, 0f, 0f});
      AdamW b = new AdamW(Map.of("w", q), m, 0.9, 0.999, 1e-8, 0);
      b.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), "test");
      assertEquals(1, b.steps());
      ByteArrayOutputStream again = new ByteArrayOutputStream();
      b.save(new DataOutputStream(again));
      assertArrayEquals(bytes.toByteArray(), again.toByteArray());
    }
  }
}
