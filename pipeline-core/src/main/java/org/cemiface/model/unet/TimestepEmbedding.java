package org.cemiface.model.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.cemiface.nn.Tensors;

/**
 * The ADM sinusoidal timestep embedding, ordered [cos | sin], computed with the same float32 ops as
 * PyTorch.
 */
public final class TimestepEmbedding {
  private TimestepEmbedding() {}

  /** [B] timesteps (any numeric type) → [B, dim] float32. */
  public static NDArray sinusoid(NDArray timesteps, int dim) {
    int half = dim / 2;
    NDManager m = timesteps.getManager();
    NDArray range = m.arange(0, half, 1, DataType.FLOAT32, timesteps.getDevice());
    NDArray freqs =
        range
            .mul(Tensors.scalarLike(range, -Math.log(10000)))
            .div(Tensors.scalarLike(range, half))
            .exp();
    NDArray t = timesteps.toType(DataType.FLOAT32, false).reshape(-1, 1);
    NDArray args = t.mul(freqs.reshape(1, half));
    NDArray emb = args.cos().concat(args.sin(), 1);
    if (dim % 2 == 1) {
      emb = emb.concat(emb.get(":, :1").zerosLike(), 1);
    }
    return emb;
  }
}
