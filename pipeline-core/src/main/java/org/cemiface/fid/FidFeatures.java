package org.cemiface.fid;

import java.util.List;
import java.util.Locale;
import org.cemiface.config.ConfigError;
import org.cemiface.encoder.IdentityEncoder;
import org.cemiface.image.RgbImage;

/**
 * Which encoder output a FID fits. {@code RAW}, the feature vector before L2 normalisation, keeps
 * the feature norm, which face encoders tie to image quality (AdaFace's quality score): on the
 * embedded default it ranks coloured noise far from faces, while the normalised embedding placed
 * such noise closer to the training faces than blurred heads (docs/querying.md, "FID").
 */
public enum FidFeatures {
  /** The encoder's features before normalisation (embedding × norm). */
  RAW,
  /** The L2-normalised identity embedding. */
  NORMALIZED;

  /** Parses a configuration value; {@code key} names it in errors. */
  public static FidFeatures parse(String value, String key) {
    return switch (value) {
      case "raw" -> RAW;
      case "normalized" -> NORMALIZED;
      default -> throw new ConfigError(key + " = \"" + value + "\": use raw or normalized");
    };
  }

  /** The configuration spelling. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The features of {@code images}. */
  public float[][] of(IdentityEncoder encoder, List<RgbImage> images) {
    if (this == NORMALIZED) {
      return encoder.embed(images);
    }
    IdentityEncoder.Embedded e = encoder.embedWithNorms(images);
    return scale(e.embeddings(), e.norms());
  }

  /** Embeddings times their norms: the raw features, from what an encoder already returned. */
  public static float[][] scale(float[][] embeddings, float[] norms) {
    float[][] out = new float[embeddings.length][];
    for (int i = 0; i < embeddings.length; i++) {
      out[i] = new float[embeddings[i].length];
      for (int k = 0; k < out[i].length; k++) {
        out[i][k] = embeddings[i][k] * norms[i];
      }
    }
    return out;
  }
}
