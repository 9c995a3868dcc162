package org.cemiface.plan;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The similarity m requested per generated image: one value for all images (the default 0.0), or
 * several values ("mixing m") from which each image draws uniformly with its own seed.
 */
public record MChoice(float[] values) implements Serializable {
  /** Validates and copies the values. */
  public MChoice {
    if (values.length == 0) {
      throw new IllegalArgumentException("at least one m value is needed");
    }
    for (float v : values) {
      if (!(v >= -1 && v <= 1)) {
        throw new IllegalArgumentException("m values must be in [-1, 1], got " + v);
      }
    }
    values = values.clone();
  }

  /** Every value of [min, max] in steps of {@code step} (e.g. −0.1 … 0.1 step 0.02: 11 values). */
  public static MChoice range(double min, double max, double step) {
    int n = (int) Math.floor((max - min) / step + 1e-9) + 1;
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (Math.round((min + i * step) * 1e6) / 1e6);
    }
    return new MChoice(v);
  }

  /** The m of one image, drawn from its generator when there are several values. */
  public float pick(SplittableRandom r) {
    return values.length == 1 ? values[0] : values[r.nextInt(values.length)];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MChoice m && Arrays.equals(m.values, values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return Arrays.toString(values);
  }
}
