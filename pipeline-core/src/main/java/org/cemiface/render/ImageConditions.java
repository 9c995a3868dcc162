package org.cemiface.render;

import java.awt.Color;
import java.util.SplittableRandom;

/**
 * What changes from one photo of a person to the next: pose, lighting, expression, accessories,
 * background and sensor noise. Drawn per image from the (identity, index) seed.
 */
public record ImageConditions(
    double shiftX,
    double shiftY,
    double rollDegrees,
    double scale,
    double yaw,
    double lightAngle,
    double lightStrength,
    double exposure,
    double smile,
    double eyeOpenness,
    double browRaise,
    boolean glasses,
    Color glassesColour,
    boolean hat,
    Color hatColour,
    Color background,
    double noiseStd,
    long noiseSeed) {

  /** Draws one image's conditions within the ranges of {@code v}. */
  public static ImageConditions sample(SplittableRandom r, RenderSettings.Variation v) {
    double p = v.pose();
    double l = v.lighting();
    double e = v.expression();
    return new ImageConditions(
        IdentityTraits.uniform(r, -6, 6) * p,
        IdentityTraits.uniform(r, -5, 5) * p,
        IdentityTraits.uniform(r, -12, 12) * p,
        1 + IdentityTraits.uniform(r, -0.08, 0.08) * p,
        IdentityTraits.uniform(r, -0.35, 0.35) * p,
        IdentityTraits.uniform(r, 0, 2 * Math.PI),
        IdentityTraits.uniform(r, 0, 0.45) * l,
        1 + IdentityTraits.uniform(r, -0.15, 0.15) * l,
        IdentityTraits.uniform(r, -0.4, 1) * e,
        1 + IdentityTraits.uniform(r, -0.5, 0.2) * e,
        IdentityTraits.uniform(r, -1, 1) * e,
        r.nextDouble() < v.glassesProbability(),
        IdentityTraits.jitter(new Color(30, 30, 40), r, 30),
        r.nextDouble() < v.hatProbability(),
        new Color(r.nextInt(30, 220), r.nextInt(30, 220), r.nextInt(30, 220)),
        new Color(r.nextInt(90, 250), r.nextInt(90, 250), r.nextInt(90, 250)),
        v.noiseStd(),
        r.nextLong());
  }
}
