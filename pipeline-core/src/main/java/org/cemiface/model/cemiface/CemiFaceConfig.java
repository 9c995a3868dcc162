package org.cemiface.model.cemiface;

import org.cemiface.config.ConfigReader;
import org.cemiface.diffusion.Prediction;
import org.cemiface.model.unet.UNetConfig;

/**
 * The conditional ε-predictor: the UNet plus the CemiFace condition. {@code identityDim} is the
 * encoder's embedding width; {@code spatialTokens} adds the encoder's last-stage feature map
 * ({@code spatialChannels} × {@code spatialSize}²) as extra tokens; {@code identityInTime} adds the
 * identity to the time embedding as DCFace does (CemiFace does not); {@code similarityInTime} adds
 * F1(m) there too; {@code prediction} says whether the network's output is ε̂ or v̂ (cards written
 * before the field existed read as ε); {@code identityScaledByM} feeds m·C_id instead of C_id to
 * the condition (its token and, with identityInTime, the time term), so the identity signal fades
 * at m = 0 and flips sign for negative m (cards without the field read as false).
 */
public record CemiFaceConfig(
    UNetConfig unet,
    int identityDim,
    boolean spatialTokens,
    int spatialChannels,
    int spatialSize,
    boolean identityInTime,
    boolean similarityInTime,
    Prediction prediction,
    boolean identityScaledByM) {

  /** Fills in ε-prediction for cards that predate {@code prediction}. */
  public CemiFaceConfig {
    prediction = prediction == null ? Prediction.EPSILON : prediction;
  }

  /** A model without the m-scaled identity term. */
  public CemiFaceConfig(
      UNetConfig unet,
      int identityDim,
      boolean spatialTokens,
      int spatialChannels,
      int spatialSize,
      boolean identityInTime,
      boolean similarityInTime,
      Prediction prediction) {
    this(
        unet,
        identityDim,
        spatialTokens,
        spatialChannels,
        spatialSize,
        identityInTime,
        similarityInTime,
        prediction,
        false);
  }

  /** An ε-predicting model. */
  public CemiFaceConfig(
      UNetConfig unet,
      int identityDim,
      boolean spatialTokens,
      int spatialChannels,
      int spatialSize,
      boolean identityInTime) {
    this(
        unet,
        identityDim,
        spatialTokens,
        spatialChannels,
        spatialSize,
        identityInTime,
        false,
        Prediction.EPSILON);
  }

  /**
   * Reads the {@code model} section; the identity width and spatial shape come from the encoder.
   */
  public static CemiFaceConfig from(
      ConfigReader root, int identityDim, int spatialChannels, int spatialSize) {
    ConfigReader r = root.section("model");
    return new CemiFaceConfig(
        UNetConfig.from(r.section("unet")),
        identityDim,
        r.bool("spatial-tokens"),
        spatialChannels,
        spatialSize,
        r.bool("identity-in-time"),
        r.bool("similarity-in-time"),
        Prediction.parse(r.string("prediction"), "model.prediction"),
        r.bool("identity-scaled-by-m"));
  }

  /**
   * Whether weights of a model built from {@code other} load into one built from this and mean the
   * same there: equal but for the spatial shape, which only spatial tokens use.
   */
  public boolean sameNetwork(CemiFaceConfig other) {
    return unet.equals(other.unet)
        && identityDim == other.identityDim
        && spatialTokens == other.spatialTokens
        && (!spatialTokens
            || (spatialChannels == other.spatialChannels && spatialSize == other.spatialSize))
        && identityInTime == other.identityInTime
        && similarityInTime == other.similarityInTime
        && prediction == other.prediction
        && identityScaledByM == other.identityScaledByM;
  }

  /** Whether the condition adds a term to the UNet's time embedding. */
  public boolean conditionInTime() {
    return identityInTime || similarityInTime;
  }

  /** Number of condition tokens: identity, similarity, then spatial positions. */
  public int tokens() {
    return 2 + (spatialTokens ? spatialSize * spatialSize : 0);
  }
}
