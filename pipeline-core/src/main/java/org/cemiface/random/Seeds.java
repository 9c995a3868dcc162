package org.cemiface.random;

import java.util.SplittableRandom;

/**
 * Derives independent, reproducible seeds from (global seed, subject, index, stream).
 *
 * <p>Every random draw in the project starts here, so a single image can be regenerated without
 * replaying the draws of any other image, and changing the number of subjects never shifts the
 * randomness of the subjects that stay.
 */
public final class Seeds {
  /** Stream tag for per-identity traits of the renderer. */
  public static final long STREAM_IDENTITY = 0x1D;

  /** Stream tag for per-image conditions of the renderer. */
  public static final long STREAM_IMAGE = 0x1E;

  private Seeds() {}

  /** Returns the seed for one (subject, index) draw inside a named stream. */
  public static long derive(long globalSeed, long stream, long subject, long index) {
    long h = mix(globalSeed ^ 0x9E3779B97F4A7C15L);
    h = mix(h ^ stream);
    h = mix(h ^ subject);
    return mix(h ^ index);
  }

  /** A generator seeded by {@link #derive}. */
  public static SplittableRandom random(long globalSeed, long stream, long subject, long index) {
    return new SplittableRandom(derive(globalSeed, stream, subject, index));
  }

  /**
   * The SplitMix64 finaliser: a bijection with full avalanche, so nearby inputs give unrelated
   * seeds.
   */
  static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
