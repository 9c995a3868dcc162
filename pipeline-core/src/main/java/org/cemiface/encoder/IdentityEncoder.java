package org.cemiface.encoder;

import java.util.List;
import org.cemiface.image.RgbImage;
import org.cemiface.image.TensorLayout;

/**
 * A face-recognition encoder E_id: images in, L2-normalised identity embeddings out, in batches.
 */
public interface IdentityEncoder extends AutoCloseable {
  /** Embedding width d. */
  int dimension();

  /** How images are prepared for this encoder (size, channel order, normalisation). */
  TensorLayout layout();

  /**
   * One L2-normalised embedding per image, in order; images of another size are resized bilinearly
   * first.
   */
  float[][] embed(List<RgbImage> images);

  /**
   * Normalised embeddings with the L2 norm of each raw feature vector (AdaFace's quality score).
   */
  record Embedded(float[][] embeddings, float[] norms) {}

  /**
   * As {@link #embed} plus the raw feature norms, for encoders that expose their features before
   * normalising.
   */
  default Embedded embedWithNorms(List<RgbImage> images) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " does not expose feature norms");
  }

  /** Releases native memory. */
  @Override
  void close();
}
