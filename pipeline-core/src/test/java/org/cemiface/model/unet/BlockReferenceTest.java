package org.cemiface.model.unet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.cemiface.nn.Tensors;
import org.cemiface.nn.TorchNames;
import org.junit.jupiter.api.Test;

/** AdaGN and attention against direct loop implementations of their formulas (double precision). */
class BlockReferenceTest {
  private static final int C = 32;

  private static void set(Parameter p, float[] v) {
    ByteBuffer b = ByteBuffer.allocateDirect(v.length * 4).order(ByteOrder.nativeOrder());
    b.asFloatBuffer().put(v);
    p.getArray().set(b);
  }

  private static float[] random(SplittableRandom r, int n, double scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
    }
    return v;
  }

  /**
   * GroupNorm with one channel per group (32 channels, 32 groups): per-channel standardisation over
   * T.
   */
  private static double[][] channelNorm(double[][] x) {
    double[][] out = new double[x.length][x[0].length];
    for (int c = 0; c < x.length; c++) {
      double mean = 0;
      for (double v : x[c]) {
        mean += v;
      }
      mean /= x[c].length;
      double var = 0;
      for (double v : x[c]) {
        var += (v - mean) * (v - mean);
      }
      var /= x[c].length;
      for (int t = 0; t < x[c].length; t++) {
        out[c][t] = (x[c][t] - mean) / Math.sqrt(var + 1e-5);
      }
    }
    return out;
  }

  private static double silu(double v) {
    return v / (1 + Math.exp(-v));
  }

  @Test
  void adaGnResBlockFollowsItsFormula() {
    // in/out convolutions are identities (centre tap 1), so the block computes
    // x + SiLU(GN(SiLU(GN(x))) * (1 + scale) + shift) with [scale | shift] = W·SiLU(emb) + b.
    SplittableRandom r = new SplittableRandom(1);
    int hw = 4;
    int e = 8;
    try (NDManager m = NDManager.newBaseManager()) {
      ResBlock block = new ResBlock(C, C, 0f, ResBlock.Resample.NONE);
      block.initialize(m, DataType.FLOAT32, new Shape(1, C, 2, 2), new Shape(1, e));
      Map<String, Parameter> p = TorchNames.parameters(block);
      float[] identity = new float[C * C * 9];
      for (int c = 0; c < C; c++) {
        identity[(c * C + c) * 9 + 4] = 1;
      }
      set(p.get("in_layers.2.weight"), identity);
      set(p.get("in_layers.2.bias"), new float[C]);
      set(p.get("out_layers.3.weight"), identity);
      set(p.get("out_layers.3.bias"), new float[C]);
      float[] w = random(r, 2 * C * e, 0.5);
      float[] bias = random(r, 2 * C, 0.5);
      set(p.get("emb_layers.1.weight"), w);
      set(p.get("emb_layers.1.bias"), bias);
      float[] x = random(r, C * hw, 2);
      float[] emb = random(r, e, 1);
      float[] y =
          block
              .forward(
                  new ParameterStore(m, false),
                  new NDList(
                      Tensors.floats(m, x, new Shape(1, C, 2, 2)),
                      Tensors.floats(m, emb, new Shape(1, e))),
                  false)
              .singletonOrThrow()
              .toFloatArray();

      double[][] xc = new double[C][hw];
      for (int c = 0; c < C; c++) {
        for (int t = 0; t < hw; t++) {
          xc[c][t] = x[c * hw + t];
        }
      }
      double[][] h = channelNorm(xc);
      for (double[] row : h) {
        for (int t = 0; t < hw; t++) {
          row[t] = silu(row[t]);
        }
      }
      h = channelNorm(h);
      for (int c = 0; c < C; c++) {
        double scale = bias[c];
        double shift = bias[C + c];
        for (int k = 0; k < e; k++) {
          scale += w[c * e + k] * silu(emb[k]);
          shift += w[(C + c) * e + k] * silu(emb[k]);
        }
        for (int t = 0; t < hw; t++) {
          double expected = xc[c][t] + silu(h[c][t] * (1 + scale) + shift);
          assertEquals(expected, y[c * hw + t], 1e-4, "channel " + c + " position " + t);
        }
      }
    }
  }

  @Test
  void crossAttentionPutsConditionKeysInFrontOfSelfKeys() {
    SplittableRandom r = new SplittableRandom(2);
    int heads = 2;
    int ch = C / heads;
    int t = 3;
    int l = 2;
    try (NDManager m = NDManager.newBaseManager()) {
      AttentionBlock block = new AttentionBlock(C, heads);
      block.initialize(m, DataType.FLOAT32, new Shape(1, C, 1, t));
      Map<String, Parameter> p = TorchNames.parameters(block);
      float[] qkvW = random(r, 3 * C * C, 0.3);
      float[] qkvB = random(r, 3 * C, 0.1);
      float[] projW = random(r, C * C, 0.3);
      float[] projB = random(r, C, 0.1);
      set(p.get("qkv.weight"), qkvW);
      set(p.get("qkv.bias"), qkvB);
      set(p.get("proj_out.weight"), projW);
      set(p.get("proj_out.bias"), projB);
      float[] x = random(r, C * t, 1.5);
      float[] cond = random(r, 2 * C * l, 1);
      NDArray out =
          block
              .forward(
                  new ParameterStore(m, false),
                  new NDList(
                      Tensors.floats(m, x, new Shape(1, C, 1, t)),
                      Tensors.floats(m, cond, new Shape(1, 2 * C, l))),
                  false)
              .singletonOrThrow();
      float[] y = out.toFloatArray();

      double[][] xc = new double[C][t];
      for (int c = 0; c < C; c++) {
        for (int i = 0; i < t; i++) {
          xc[c][i] = x[c * t + i];
        }
      }
      double[][] n = channelNorm(xc);
      double[][] qkv = new double[3 * C][t];
      for (int o = 0; o < 3 * C; o++) {
        for (int i = 0; i < t; i++) {
          double s = qkvB[o];
          for (int c = 0; c < C; c++) {
            s += qkvW[o * C + c] * n[c][i];
          }
          qkv[o][i] = s;
        }
      }
      double[][] a = new double[C][t];
      double scale = 1 / Math.sqrt(ch);
      for (int hd = 0; hd < heads; hd++) {
        int base = hd * 3 * ch; // legacy layout: per head [q | k | v]
        int kvBase = hd * 2 * ch; // condition per head: [k | v]
        for (int i = 0; i < t; i++) {
          double[] logits = new double[l + t];
          for (int j = 0; j < l + t; j++) {
            double dot = 0;
            for (int c = 0; c < ch; c++) {
              double k = j < l ? cond[(kvBase + c) * l + j] : qkv[base + ch + c][j - l];
              dot += qkv[base + c][i] * k;
            }
            logits[j] = dot * scale;
          }
          double max = Arrays.stream(logits).max().orElse(0);
          double sum = 0;
          for (int j = 0; j < logits.length; j++) {
            logits[j] = Math.exp(logits[j] - max);
            sum += logits[j];
          }
          for (int c = 0; c < ch; c++) {
            double v = 0;
            for (int j = 0; j < l + t; j++) {
              double val = j < l ? cond[(kvBase + ch + c) * l + j] : qkv[base + 2 * ch + c][j - l];
              v += logits[j] / sum * val;
            }
            a[hd * ch + c][i] = v;
          }
        }
      }
      for (int o = 0; o < C; o++) {
        for (int i = 0; i < t; i++) {
          double s = projB[o];
          for (int c = 0; c < C; c++) {
            s += projW[o * C + c] * a[c][i];
          }
          assertEquals(xc[o][i] + s, y[o * t + i], 1e-4, "channel " + o + " position " + i);
        }
      }
    }
  }
}
