package org.cemiface.verification;

import java.util.ArrayList;
import java.util.List;
import org.cemiface.encoder.IdentityEncoder;
import org.cemiface.fid.FidFeatures;
import org.cemiface.image.RgbImage;

/**
 * Test-time flip augmentation as face-recognition benchmarks use it (insightface's {@code
 * verification.py}, AdaFace's evaluation): the encoder's raw features of an image and of its mirror
 * image are added before the sum is L2-normalised, so the more confident view (the larger feature
 * norm) weighs more.
 */
public final class FlipFeatures {
  private FlipFeatures() {}

  /** Raw features of each image plus those of its mirror image (not normalised). */
  public static float[][] of(IdentityEncoder encoder, List<RgbImage> images) {
    List<RgbImage> mirrored = new ArrayList<>(images.size());
    for (RgbImage image : images) {
      mirrored.add(image.mirrored());
    }
    float[][] a = FidFeatures.RAW.of(encoder, images);
    float[][] b = FidFeatures.RAW.of(encoder, mirrored);
    for (int i = 0; i < a.length; i++) {
      for (int k = 0; k < a[i].length; k++) {
        a[i][k] += b[i][k];
      }
    }
    return a;
  }
}
