package org.cemiface.fid;

/**
 * The Fréchet distance between two Gaussians, d² = |μ1 − μ2|² + Tr(Σ1 + Σ2 − 2·(Σ1·Σ2)^½): FID when
 * the Gaussians are fitted to image features. Tr((Σ1·Σ2)^½) is computed as Tr((Σ1^½·Σ2·Σ1^½)^½),
 * which has the same eigenvalues but is symmetric, so two symmetric eigen-decompositions replace
 * the general matrix square root (scipy's sqrtm) and no complex parts from rounding arise.
 */
public final class FrechetDistance {
  private FrechetDistance() {}

  /** FID between the Gaussian fits of two feature sets. */
  public static double between(FeatureMoments a, FeatureMoments b) {
    return of(a.mean(), a.covariance(), b.mean(), b.covariance());
  }

  /** The Fréchet distance of N(mu1, sigma1) and N(mu2, sigma2). */
  public static double of(double[] mu1, double[][] sigma1, double[] mu2, double[][] sigma2) {
    int d = mu1.length;
    if (mu2.length != d || sigma1.length != d || sigma2.length != d) {
      throw new IllegalArgumentException(
          "Gaussians of different widths: " + d + " vs " + mu2.length);
    }
    double meanTerm = 0;
    for (int i = 0; i < d; i++) {
      double diff = mu1[i] - mu2[i];
      meanTerm += diff * diff;
    }
    return meanTerm + trace(sigma1) + trace(sigma2) - 2 * traceSqrtProduct(sigma1, sigma2);
  }

  /** Tr((Σ1·Σ2)^½) for symmetric positive semi-definite Σ1, Σ2. */
  public static double traceSqrtProduct(double[][] sigma1, double[][] sigma2) {
    double[][] root = SymmetricEigen.of(sigma1).sqrtPsd();
    double[][] inner = symmetric(multiply(multiply(root, sigma2), root));
    double sum = 0;
    for (double v : SymmetricEigen.of(inner).values()) {
      sum += Math.sqrt(Math.max(v, 0));
    }
    return sum;
  }

  private static double trace(double[][] m) {
    double t = 0;
    for (int i = 0; i < m.length; i++) {
      t += m[i][i];
    }
    return t;
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    int n = a.length;
    int inner = b.length;
    int cols = b[0].length;
    double[][] out = new double[n][cols];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < inner; k++) {
        double aik = a[i][k];
        if (aik == 0) {
          continue;
        }
        double[] bk = b[k];
        double[] oi = out[i];
        for (int j = 0; j < cols; j++) {
          oi[j] += aik * bk[j];
        }
      }
    }
    return out;
  }

  /** (M + Mᵀ)/2: removes rounding asymmetry of a product that is symmetric in exact arithmetic. */
  private static double[][] symmetric(double[][] m) {
    int n = m.length;
    double[][] out = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        out[i][j] = (m[i][j] + m[j][i]) / 2;
      }
    }
    return out;
  }
}
