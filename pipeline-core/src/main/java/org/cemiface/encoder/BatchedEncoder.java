package org.cemiface.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.cemiface.image.RgbImage;
import org.cemiface.image.TensorLayout;
import org.cemiface.nn.Tensors;

/**
 * The shared batching of encoders that run on DJL: images are laid out as NCHW floats per batch,
 * each batch runs in its own NDManager scope, and the raw features are L2-normalised in Java
 * (engine-independent).
 */
abstract class BatchedEncoder implements IdentityEncoder {
  private final TensorLayout layout;
  private final int batchSize;
  private final boolean fixedBatch;

  BatchedEncoder(TensorLayout layout, int batchSize) {
    this(layout, batchSize, false);
  }

  /**
   * With {@code fixedBatch} every call gets exactly {@code batchSize} images (the last chunk padded
   * with blank images whose features are dropped), for models exported with a static batch size.
   */
  BatchedEncoder(TensorLayout layout, int batchSize, boolean fixedBatch) {
    this.layout = layout;
    this.batchSize = batchSize;
    this.fixedBatch = fixedBatch;
  }

  @Override
  public TensorLayout layout() {
    return layout;
  }

  /** The manager batches are created under (its device is where they run). */
  abstract NDManager manager();

  /** Raw [B, d] features for a batch already on the right manager. */
  abstract NDArray features(NDArray batch);

  @Override
  public float[][] embed(List<RgbImage> images) {
    return embedWithNorms(images).embeddings();
  }

  @Override
  public Embedded embedWithNorms(List<RgbImage> images) {
    float[][] out = new float[images.size()][];
    float[] norms = new float[images.size()];
    for (int start = 0; start < images.size(); start += batchSize) {
      List<RgbImage> chunk = images.subList(start, Math.min(images.size(), start + batchSize));
      int rowsIn = fixedBatch ? batchSize : chunk.size();
      try (NDManager scope = manager().newSubManager()) {
        float[] pixels = new float[rowsIn * layout.imageLength()];
        float[] real = layout.toNchw(chunk);
        System.arraycopy(real, 0, pixels, 0, real.length);
        NDArray x =
            Tensors.floats(scope, pixels, new Shape(rowsIn, 3, layout.size(), layout.size()));
        NDArray f = features(x);
        float[] all = f.toFloatArray();
        int d = all.length / rowsIn;
        float[] flat = java.util.Arrays.copyOf(all, chunk.size() * d);
        float[][] rows = Embeddings.normalizedRows(flat, chunk.size());
        System.arraycopy(rows, 0, out, start, rows.length);
        System.arraycopy(Embeddings.rowNorms(flat, chunk.size()), 0, norms, start, chunk.size());
      }
    }
    return new Embedded(out, norms);
  }
}
