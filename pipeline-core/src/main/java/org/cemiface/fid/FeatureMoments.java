package org.cemiface.fid;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * Running first and second moments of feature vectors (count, sum, sum of outer products),
 * mergeable across tasks, so a Gaussian fit of millions of features needs one pass and O(d²) memory
 * wherever they are computed.
 */
public final class FeatureMoments implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int MAGIC = 0x46494d31;
  private final int dimension;
  private long count;
  private final double[] sum;

  /** Upper triangle of Σ x·xᵀ, row-major with i ≤ j. */
  private final double[] products;

  /** Empty moments of {@code dimension}-wide features. */
  public FeatureMoments(int dimension) {
    if (dimension < 1) {
      throw new IllegalArgumentException("feature dimension must be positive, got " + dimension);
    }
    this.dimension = dimension;
    this.sum = new double[dimension];
    this.products = new double[dimension * (dimension + 1) / 2];
  }

  /** Feature width d. */
  public int dimension() {
    return dimension;
  }

  /** Number of features added. */
  public long count() {
    return count;
  }

  /**
   * Adds each row of {@code features}; a row of another width or with a non-finite value is an
   * error.
   */
  public FeatureMoments add(float[][] features) {
    for (float[] f : features) {
      add(f);
    }
    return this;
  }

  /** Adds one feature vector. */
  public FeatureMoments add(float[] f) {
    if (f.length != dimension) {
      throw new IllegalArgumentException(
          "feature has " + f.length + " values, these moments hold " + dimension);
    }
    for (float v : f) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("feature holds a non-finite value (" + v + ")");
      }
    }
    count++;
    int k = 0;
    for (int i = 0; i < dimension; i++) {
      double fi = f[i];
      sum[i] += fi;
      for (int j = i; j < dimension; j++) {
        products[k++] += fi * f[j];
      }
    }
    return this;
  }

  /** Adds {@code other}'s features to these (as if each had been added here). */
  public FeatureMoments merge(FeatureMoments other) {
    if (other.dimension != dimension) {
      throw new IllegalArgumentException(
          "cannot merge moments of width " + other.dimension + " into " + dimension);
    }
    count += other.count;
    for (int i = 0; i < dimension; i++) {
      sum[i] += other.sum[i];
    }
    for (int k = 0; k < products.length; k++) {
      products[k] += other.products[k];
    }
    return this;
  }

  /** The mean feature. */
  public double[] mean() {
    requireAtLeast(1);
    double[] mean = new double[dimension];
    for (int i = 0; i < dimension; i++) {
      mean[i] = sum[i] / count;
    }
    return mean;
  }

  /**
   * The unbiased sample covariance (divisor n − 1, as numpy.cov and every FID implementation use).
   */
  public double[][] covariance() {
    requireAtLeast(2);
    double[] mean = mean();
    double[][] cov = new double[dimension][dimension];
    int k = 0;
    for (int i = 0; i < dimension; i++) {
      for (int j = i; j < dimension; j++) {
        double c = (products[k++] - count * mean[i] * mean[j]) / (count - 1);
        cov[i][j] = c;
        cov[j][i] = c;
      }
    }
    return cov;
  }

  private void requireAtLeast(long n) {
    if (count < n) {
      throw new IllegalStateException(
          "a Gaussian fit needs at least " + n + " features, got " + count);
    }
  }

  /** A compact binary form (for block files written by tasks). */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream(16 + 8 * (sum.length + products.length));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(dimension);
      out.writeLong(count);
      for (double v : sum) {
        out.writeDouble(v);
      }
      for (double v : products) {
        out.writeDouble(v);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Reads {@link #toBytes()}; {@code source} names the bytes in errors. */
  public static FeatureMoments fromBytes(byte[] data, String source) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      if (data.length < 16 || in.readInt() != MAGIC) {
        throw new IllegalArgumentException(source + " is not a feature-moments file");
      }
      int d = in.readInt();
      long expected = 16L + 8L * (d + (long) d * (d + 1) / 2);
      if (d < 1 || d > 65536 || data.length != expected) {
        throw new IllegalArgumentException(
            source + " is truncated or corrupt (width " + d + ", " + data.length + " bytes)");
      }
      FeatureMoments m = new FeatureMoments(d);
      m.count = in.readLong();
      for (int i = 0; i < d; i++) {
        m.sum[i] = in.readDouble();
      }
      for (int k = 0; k < m.products.length; k++) {
        m.products[k] = in.readDouble();
      }
      return m;
    } catch (IOException e) {
      throw new UncheckedIOException(source + ": " + e.getMessage(), e);
    }
  }
}
