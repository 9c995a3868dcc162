package org.cemiface.model.cemiface;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
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
 * Generates faces with a CemiFace model: per sample an inquiry embedding, a requested similarity m and a seed;
 * DDIM from the seed's noise; images decoded from [−1, 1] RGB. Spatial tokens, when the model uses them, come
 * with the inquiry.
 */
public final class CemiFaceGenerator {
  private final CemiFaceUNet model;
  private final DdimSampler sampler;
  private final ParameterStore store;
  private final TensorLayout imageLayout;
  private final Precision precision;

  /** A generator for {@code model} (usually the EMA weights) with {@code sampler}, in float32. */
  public CemiFaceGenerator(CemiFaceUNet model, DdimSampler sampler, ParameterStore store) {
    this(model, sampler, store, Precision.FP32);
  }

  /** A generator whose UNet forwards run at {@code precision}; the DDIM update itself stays float32. */
  public CemiFaceGenerator(CemiFaceUNet model, DdimSampler sampler, ParameterStore store, Precision precision) {
    this.precision = precision;
    this.model = model;
    this.sampler = sampler;
    this.store = store;
    double[] half = {0.5, 0.5, 0.5};
    this.imageLayout = new TensorLayout(model.config().unet().imageSize(), ChannelOrder.RGB, half, half);
  }

  /**
   * One image per (identity[i], m[i], seed[i]). {@code spatial} holds each sample's [C·s·s] feature map when the
   * model uses spatial tokens, else null.
   */
  public List<RgbImage> generate(NDManager manager, float[][] identity, float[][] spatial, float[] m, long[] seeds) {
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
      ParameterStore weights = precision.reduced() ? new CastingParameterStore(scope, precision.dataType()) : store;
      EpsilonModel eps = (xt, t) -> {
        NDManager step = xt.getManager();
        float[] tf = new float[t.length];
        for (int i = 0; i < t.length; i++) {
          tf[i] = t[i];
        }
        NDList in = new NDList(xt, Tensors.floats(step, tf, new Shape(t.length)), borrow(ids, step), borrow(ms, step));
        if (sp != null) {
          in.add(borrow(sp, step));
        }
        NDArray output = model.predict(weights, in, false, precision, step);
        return model.config().prediction().epsilon(sampler.schedule(), output, xt, t);
      };
      float[] out = sampler.sample(scope, eps, seeds, new Shape(3, size, size)).toFloatArray();
      List<RgbImage> images = new ArrayList<>(b);
      for (int i = 0; i < b; i++) {
        images.add(imageLayout.fromChw(out, i * 3 * size * size));
      }
      return images;
    }
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
   * Lends {@code a} to the step scope without copying: the model's first ops then attach their results there, and
   * {@code a} returns to its own manager when the step closes.
   */
  private static NDArray borrow(NDArray a, NDManager step) {
    a.tempAttach(step);
    return a;
  }
}
