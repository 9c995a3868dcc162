package org.cemiface.render;

import java.util.SplittableRandom;
import org.cemiface.image.RgbImage;
import org.cemiface.random.Seeds;

/**
 * The deterministic population of synthetic people: image (identity, index) depends only on the
 * seed.
 */
public final class SyntheticIdentities {
  private final long globalSeed;
  private final RenderSettings.Variation variation;
  private final int size;

  /** A population drawn from {@code globalSeed}, rendered at {@code size} pixels. */
  public SyntheticIdentities(long globalSeed, RenderSettings.Variation variation, int size) {
    this.globalSeed = globalSeed;
    this.variation = variation;
    this.size = size;
  }

  /** The traits of one identity. */
  public IdentityTraits traits(int identity) {
    return IdentityTraits.sample(Seeds.random(globalSeed, Seeds.STREAM_IDENTITY, identity, 0));
  }

  /** The seed behind image {@code index} of {@code identity}, recorded in manifests. */
  public long imageSeed(int identity, int index) {
    return Seeds.derive(globalSeed, Seeds.STREAM_IMAGE, identity, index);
  }

  /** Renders image {@code index} of {@code identity}. */
  public RgbImage image(int identity, int index) {
    return image(traits(identity), identity, index);
  }

  /** Renders with traits the caller already drew (avoids redrawing them for every image). */
  public RgbImage image(IdentityTraits traits, int identity, int index) {
    ImageConditions cond =
        ImageConditions.sample(new SplittableRandom(imageSeed(identity, index)), variation);
    return FaceRenderer.render(traits, cond, size);
  }
}
