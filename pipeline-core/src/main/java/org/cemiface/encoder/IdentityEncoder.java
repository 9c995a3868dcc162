package org.cemiface.encoder;

import java.util.List;
import org.cemiface.image.RgbImage;
import org.cemiface.image.TensorLayout;

/** A face-recognition encoder E_id: images in, L2-normalised identity embeddings out, in batches. */
public interface IdentityEncoder extends AutoCloseable {
  /** Embedding width d. */
  int dimension();

  /** How images are prepared for this encoder (size, channel order, normalisation). */
  TensorLayout layout();

  /** One L2-normalised embedding per image, in order; images of another size are resized bilinearly first. */
  float[][] embed(List<RgbImage> images);

  /** Releases native memory. */
  @Override
  void close();
}
