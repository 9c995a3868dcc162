package org.cemiface.fid;

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix by the cyclic Jacobi method. Chosen over
 * a faster QR solver because it is short, needs no library in this Spark-free module and is
 * accurate to working precision for the matrix sizes of identity embeddings (d ≤ 1024).
 */
public final class SymmetricEigen {
  private static final int MAX_SWEEPS = 100;
  private final double[] values;
  private final double[][] vectors;

  private SymmetricEigen(double[] values, double[][] vectors) {
    this.values = values;
    this.vectors = vectors;
  }

  /**
   * Decomposes the symmetric matrix {@code a} (only read; asymmetry beyond rounding is an error).
   */
  public static SymmetricEigen of(double[][] a) {
    int n = a.length;
    double[][] m = new double[n][];
    double scale = 0;
    for (int i = 0; i < n; i++) {
      if (a[i].length != n) {
        throw new IllegalArgumentException(
            "matrix is not square: row " + i + " has " + a[i].length + " of " + n);
      }
      m[i] = a[i].clone();
      for (double v : a[i]) {
        scale = Math.max(scale, Math.abs(v));
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (Math.abs(m[i][j] - m[j][i]) > 1e-9 * Math.max(scale, 1e-300)) {
          throw new IllegalArgumentException("matrix is not symmetric at (" + i + ", " + j + ")");
        }
      }
    }
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      v[i][i] = 1;
    }
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      double off = 0;
      double diag = 0;
      for (int i = 0; i < n; i++) {
        diag += m[i][i] * m[i][i];
        for (int j = i + 1; j < n; j++) {
          off += m[i][j] * m[i][j];
        }
      }
      if (off <= 1e-30 * Math.max(diag, 1e-300)) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          if (m[p][q] != 0) {
            rotate(m, v, p, q);
          }
        }
      }
    }
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = m[i][i];
    }
    return new SymmetricEigen(values, v);
  }

  /**
   * Zeroes m[p][q] by one Jacobi rotation, applied to both sides of m and accumulated into the
   * columns of v.
   */
  private static void rotate(double[][] m, double[][] v, int p, int q) {
    double theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
    if (theta == 0) {
      t = 1;
    }
    double c = 1 / Math.sqrt(t * t + 1);
    double s = t * c;
    int n = m.length;
    for (int k = 0; k < n; k++) {
      double mkp = m[k][p];
      double mkq = m[k][q];
      m[k][p] = c * mkp - s * mkq;
      m[k][q] = s * mkp + c * mkq;
    }
    for (int k = 0; k < n; k++) {
      double mpk = m[p][k];
      double mqk = m[q][k];
      m[p][k] = c * mpk - s * mqk;
      m[q][k] = s * mpk + c * mqk;
    }
    for (int k = 0; k < n; k++) {
      double vkp = v[k][p];
      double vkq = v[k][q];
      v[k][p] = c * vkp - s * vkq;
      v[k][q] = s * vkp + c * vkq;
    }
  }

  /** The eigenvalues, in the order of the eigenvector columns. */
  public double[] values() {
    return values.clone();
  }

  /** Eigenvectors as columns: {@code vectors()[row][k]} belongs to {@code values()[k]}. */
  public double[][] vectors() {
    double[][] out = new double[vectors.length][];
    for (int i = 0; i < vectors.length; i++) {
      out[i] = vectors[i].clone();
    }
    return out;
  }

  /**
   * The symmetric positive semi-definite square root V·diag(√max(λ, 0))·Vᵀ; negative eigenvalues
   * (rounding of a PSD matrix) count as zero.
   */
  public double[][] sqrtPsd() {
    int n = values.length;
    double[] root = new double[n];
    for (int k = 0; k < n; k++) {
      root[k] = Math.sqrt(Math.max(values[k], 0));
    }
    double[][] out = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        double sum = 0;
        for (int k = 0; k < n; k++) {
          sum += vectors[i][k] * root[k] * vectors[j][k];
        }
        out[i][j] = sum;
        out[j][i] = sum;
      }
    }
    return out;
  }
}
