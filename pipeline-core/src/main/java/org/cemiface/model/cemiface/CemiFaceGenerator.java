package org.cemiface.model.cemiface;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cemiface.diffusion.DdimSampler;
import org.cemiface.diffusion.EpsilonModel;
import org.cemiface.image.ChannelOrder;
import org.cemiface.image.RgbImage;
import org.cemiface.image.TensorLayout;
import org.cemiface.nn.CastingParameterStore;
import org.cemiface.nn.Precision;
import org.cemiface.nn.Tensors;

/**
 * Generates faces with a CemiFace model: per sample an inquiry embedding, a requested similarity m
 * and a seed; DDIM from the seed's noise; images decoded from [−1, 1] RGB. Spatial tokens, when the
 * model uses them, come with the inquiry.
 */
public final class CemiFaceGenerator {
  private final CemiFaceUNet model;
  private final DdimSampler sampler;
  private final ParameterStore store;
  private final TensorLayout imageLayout;
  private final Precision precision;
  private final double guidance;

  /**
   * A generator for {@code model} (usually the EMA weights) with {@code sampler}, in float32,
   * unguided.
   */
  public CemiFaceGenerator(CemiFaceUNet model, DdimSampler sampler, ParameterStore store) {
    this(model, sampler, store, Precision.FP32, 1.0);
  }

  /**
   * A generator whose UNet forwards run at {@code precision} (the DDIM update itself stays
   * float32), with similarity guidance {@code guidance} (1: none; see {@link
   * org.cemiface.diffusion.SamplingSettings}).
   */
  public CemiFaceGenerator(
      CemiFaceUNet model,
      DdimSampler sampler,
      ParameterStore store,
      Precision precision,
      double guidance) {
    this.precision = precision;
    this.guidance = guidance;
    this.model = model;
    this.sampler = sampler;
    this.store = store;
    double[] half = {0.5, 0.5, 0.5};
    this.imageLayout =
        new TensorLayout(model.config().unet().imageSize(), ChannelOrder.RGB, half, half);
  }

  /**
   * One image per (identity[i], m[i], seed[i]). {@code spatial} holds each sample's [C·s·s] feature
   * map when the model uses spatial tokens, else null.
   */
  public List<RgbImage> generate(
      NDManager manager, float[][] identity, float[][] spatial, float[] m, long[] seeds) {
    int b = seeds.length;
    int d = identity[0].length;
    float[] idFlat = new float[b * d];
    for (int i = 0; i < b; i++) {
      System.arraycopy(identity[i], 0, idFlat, i * d, d);
    }
    int size = imageLayout.size();
    var device = model.getParameters().valueAt(0).getArray().getDevice();
    try (NDManager scope = manager.newSubManager(device)) {
      NDArray ids = Tensors.floats(scope, idFlat, new Shape(b, d));
      NDArray ms = Tensors.floats(scope, m, new Shape(b));
      NDArray sp = spatialArray(scope, spatial, b);
      // Weights cast once for all DDIM steps of the batch, not once per step.
      ParameterStore weights =
          precision.reduced() ? new CastingParameterStore(scope, precision.dataType()) : store;
      // At m = 0 guidance changes nothing (ε̂(m) is ε̂(m=0)), so a batch of m = 0 only skips the
      // second forward.
      boolean guided = guidance != 1.0 && !allZero(m);
      // Guided, each forward runs [conditional; m = 0] rows in one batch of 2B; their conditions
      // are built once here.
      NDArray condIds = guided ? ids.concat(ids) : ids;
      NDArray condMs = guided ? ms.concat(ms.zerosLike()) : ms;
      NDArray condSp = sp == null || !guided ? sp : sp.concat(sp);
      EpsilonModel eps =
          (xt, t) -> {
            NDManager step = xt.getManager();
            int[] rowsT = guided ? concat(t, t) : t;
            NDArray x = guided ? xt.concat(xt) : xt;
            float[] tf = new float[rowsT.length];
            for (int i = 0; i < rowsT.length; i++) {
              tf[i] = rowsT[i];
            }
            NDList in =
                new NDList(
                    x,
                    Tensors.floats(step, tf, new Shape(rowsT.length)),
                    borrow(condIds, step),
                    borrow(condMs, step));
            if (condSp != null) {
              in.add(borrow(condSp, step));
            }
            NDArray output = model.predict(weights, in, false, precision, step);
            NDArray epsilon =
                model.config().prediction().epsilon(sampler.schedule(), output, x, rowsT);
            if (!guided) {
              return epsilon;
            }
            NDArray conditional = epsilon.get("0:" + t.length);
            NDArray reference = epsilon.get(t.length + ":");
            return reference.add(Tensors.times(conditional.sub(reference), guidance));
          };
      float[] out = sampler.sample(scope, eps, seeds, new Shape(3, size, size)).toFloatArray();
      List<RgbImage> images = new ArrayList<>(b);
      for (int i = 0; i < b; i++) {
        images.add(imageLayout.fromChw(out, i * 3 * size * size));
      }
      return images;
    }
  }

  private static boolean allZero(float[] m) {
    for (float v : m) {
      if (v != 0f) {
        return false;
      }
    }
    return true;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private NDArray spatialArray(NDManager scope, float[][] spatial, int b) {
    if (!model.config().spatialTokens()) {
      return null;
    }
    int c = model.config().spatialChannels();
    int s = model.config().spatialSize();
    float[] flat = new float[b * c * s * s];
    for (int i = 0; i < b; i++) {
      System.arraycopy(spatial[i], 0, flat, i * c * s * s, c * s * s);
    }
    return Tensors.floats(scope, flat, new Shape(b, c, s, s));
  }

  /**
   * Lends {@code a} to the step scope without copying: the model's first ops then attach their
   * results there, and {@code a} returns to its own manager when the step closes.
   */
  private static NDArray borrow(NDArray a, NDManager step) {
    a.tempAttach(step);
    return a;
  }
}
