package org.cemiface.render;

import java.awt.Color;
import java.util.SplittableRandom;

/**
 * Everything that makes one synthetic person recognisable across images: head geometry, colouring
 * and facial features. Drawn once per identity from that identity's seed; image conditions never
 * change it.
 */
public record IdentityTraits(
    double faceHalfWidth,
    double faceHalfHeight,
    double jawRatio,
    Color skin,
    Color hair,
    HairStyle hairStyle,
    double hairline,
    double eyeSpacing,
    double eyeHeight,
    double eyeWidth,
    double eyeOpen,
    Color iris,
    double browThickness,
    double browTilt,
    double browGap,
    double noseLength,
    double noseWidth,
    double mouthWidth,
    double lipThickness,
    double mouthY,
    Color lips,
    double earSize,
    boolean beard,
    double[] moles) {

  /** Hair shapes the renderer knows. */
  public enum HairStyle {
    SHORT,
    LONG,
    BUZZ,
    SIDE_PART,
    CURLY,
    BALD
  }

  private static final Color[] SKIN_TONES = {
    new Color(255, 224, 196),
    new Color(241, 194, 160),
    new Color(224, 172, 130),
    new Color(198, 134, 96),
    new Color(160, 102, 68),
    new Color(120, 74, 46),
    new Color(86, 52, 34)
  };
  private static final Color[] HAIR_COLOURS = {
    new Color(20, 16, 14), new Color(60, 40, 26), new Color(110, 74, 40), new Color(190, 150, 90),
    new Color(230, 205, 140), new Color(150, 60, 30), new Color(160, 160, 160),
        new Color(235, 235, 235)
  };
  private static final Color[] IRIS_COLOURS = {
    new Color(70, 40, 20),
    new Color(40, 25, 15),
    new Color(60, 110, 170),
    new Color(70, 130, 80),
    new Color(110, 110, 120),
    new Color(140, 100, 50)
  };

  /** Draws the traits of one identity. */
  public static IdentityTraits sample(SplittableRandom r) {
    double tone = r.nextDouble() * (SKIN_TONES.length - 1);
    Color skin =
        jitter(
            lerp(
                SKIN_TONES[(int) tone],
                SKIN_TONES[Math.min(SKIN_TONES.length - 1, (int) tone + 1)],
                tone - (int) tone),
            r,
            10);
    Color hair = jitter(HAIR_COLOURS[r.nextInt(HAIR_COLOURS.length)], r, 14);
    HairStyle[] styles = HairStyle.values();
    int moleCount = r.nextInt(3);
    double[] moles = new double[moleCount * 3];
    for (int i = 0; i < moleCount; i++) {
      moles[i * 3] = uniform(r, -26, 26);
      moles[i * 3 + 1] = uniform(r, -10, 32);
      moles[i * 3 + 2] = uniform(r, 1.2, 2.6);
    }
    return new IdentityTraits(
        uniform(r, 33, 44),
        uniform(r, 43, 53),
        uniform(r, 0.55, 0.95),
        skin,
        hair,
        styles[r.nextInt(styles.length)],
        uniform(r, -34, -22),
        uniform(r, 13, 21),
        uniform(r, -8, 2),
        uniform(r, 5, 9),
        uniform(r, 0.45, 0.75),
        jitter(IRIS_COLOURS[r.nextInt(IRIS_COLOURS.length)], r, 12),
        uniform(r, 1.5, 4.2),
        uniform(r, -0.35, 0.35),
        uniform(r, 4, 9),
        uniform(r, 9, 19),
        uniform(r, 5, 11),
        uniform(r, 12, 25),
        uniform(r, 1.8, 5),
        uniform(r, 19, 29),
        jitter(lerp(skin, new Color(170, 60, 70), uniform(r, 0.25, 0.6)), r, 8),
        uniform(r, 6, 11),
        r.nextInt(5) == 0,
        moles);
  }

  static double uniform(SplittableRandom r, double lo, double hi) {
    return lo + (hi - lo) * r.nextDouble();
  }

  static Color lerp(Color a, Color b, double t) {
    return new Color(
        (int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
        (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
        (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
  }

  static Color jitter(Color c, SplittableRandom r, int amount) {
    return new Color(
        clamp(c.getRed() + r.nextInt(-amount, amount + 1)),
        clamp(c.getGreen() + r.nextInt(-amount, amount + 1)),
        clamp(c.getBlue() + r.nextInt(-amount, amount + 1)));
  }

  static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
