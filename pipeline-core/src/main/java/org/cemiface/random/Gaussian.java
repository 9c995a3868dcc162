package org.cemiface.random;

import java.util.SplittableRandom;

/**
 * Standard normal draws by Box–Muller, so noise depends only on the generator's seed (no cached
 * state).
 */
public final class Gaussian {
  private Gaussian() {}

  /** One N(0, 1) draw. */
  public static double next(SplittableRandom r) {
    double u1 = 1.0 - r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
