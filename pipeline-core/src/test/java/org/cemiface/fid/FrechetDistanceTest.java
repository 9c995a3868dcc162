package org.cemiface.fid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** FID against scipy (fixture made by make_fid_fixture.py), and the pieces it is made of. */
class FrechetDistanceTest {

  private static double[][] readRows(String[] lines, int from, int count) {
    double[][] rows = new double[count][];
    for (int i = 0; i < count; i++) {
      rows[i] =
          Arrays.stream(lines[from + i].trim().split("\\s+"))
              .mapToDouble(Double::parseDouble)
              .toArray();
    }
    return rows;
  }

  private static float[][] toFloats(double[][] rows) {
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = new float[rows[i].length];
      for (int j = 0; j < rows[i].length; j++) {
        out[i][j] = (float) rows[i][j];
      }
    }
    return out;
  }

  @Test
  void matchesScipySqrtmReference() throws IOException {
    String[] lines;
    try (InputStream in = getClass().getResourceAsStream("/fixtures/fid/fid_case.txt")) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
    }
    int[] header =
        Arrays.stream(lines[0].trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
    int na = header[0];
    int nb = header[1];
    int d = header[2];
    FeatureMoments a = new FeatureMoments(d).add(toFloats(readRows(lines, 1, na)));
    FeatureMoments b = new FeatureMoments(d).add(toFloats(readRows(lines, 1 + na, nb)));
    assertArrayEquals(readRows(lines, 1 + na + nb, 1)[0], a.mean(), 1e-9);
    assertArrayEquals(readRows(lines, 2 + na + nb, 1)[0], b.mean(), 1e-9);
    double expected = Double.parseDouble(lines[3 + na + nb].trim());
    double fid = FrechetDistance.between(a, b);
    System.out.printf("FID Java %.12f vs scipy %.12f%n", fid, expected);
    assertEquals(expected, fid, 1e-9 * Math.max(1, expected));
    assertTrue(expected > 1, "the fixture's sets must differ clearly");
  }

  @Test
  void identicalSetsAreAtZeroAndShiftAddsSquaredDistance() {
    SplittableRandom r = new SplittableRandom(3);
    float[][] x = new float[200][5];
    float[][] shifted = new float[200][5];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < 5; j++) {
        x[i][j] = (float) r.nextGaussian();
        shifted[i][j] = x[i][j] + (j == 2 ? 3f : 0f);
      }
    }
    FeatureMoments a = new FeatureMoments(5).add(x);
    assertEquals(0, FrechetDistance.between(a, new FeatureMoments(5).add(x)), 1e-9);
    assertEquals(9, FrechetDistance.between(a, new FeatureMoments(5).add(shifted)), 1e-6);
  }

  @Test
  void diagonalGaussiansHaveClosedForm() {
    // For diagonal covariances the distance is Σ (μ1−μ2)² + (√σ1 − √σ2)².
    double[] mu1 = {0, 1, 2};
    double[] mu2 = {1, 1, 0};
    double[][] s1 = {{4, 0, 0}, {0, 1, 0}, {0, 0, 9}};
    double[][] s2 = {{1, 0, 0}, {0, 1, 0}, {0, 0, 0.25}};
    double expected = 1 + 0 + 4 + 1 + 0 + Math.pow(3 - 0.5, 2);
    assertEquals(expected, FrechetDistance.of(mu1, s1, mu2, s2), 1e-12);
  }

  @Test
  void mergedMomentsEqualOnePassAndSurviveBytes() {
    SplittableRandom r = new SplittableRandom(11);
    float[][] x = new float[50][4];
    for (float[] row : x) {
      for (int j = 0; j < row.length; j++) {
        row[j] = (float) r.nextGaussian();
      }
    }
    FeatureMoments whole = new FeatureMoments(4).add(x);
    FeatureMoments first = new FeatureMoments(4).add(Arrays.copyOfRange(x, 0, 17));
    FeatureMoments second = new FeatureMoments(4).add(Arrays.copyOfRange(x, 17, 50));
    FeatureMoments merged = FeatureMoments.fromBytes(first.toBytes(), "first").merge(second);
    assertEquals(50, merged.count());
    assertArrayEquals(whole.mean(), merged.mean(), 1e-12);
    for (int i = 0; i < 4; i++) {
      assertArrayEquals(whole.covariance()[i], merged.covariance()[i], 1e-12);
    }
  }

  @Test
  void badInputIsRefusedWithAReason() {
    FeatureMoments m = new FeatureMoments(3);
    assertThrows(IllegalArgumentException.class, () -> m.add(new float[] {1, 2}));
    assertThrows(IllegalArgumentException.class, () -> m.add(new float[] {1, Float.NaN, 2}));
    m.add(new float[] {1, 2, 3});
    IllegalStateException few = assertThrows(IllegalStateException.class, m::covariance);
    assertTrue(few.getMessage().contains("at least 2"), few.getMessage());
    byte[] bytes = m.toBytes();
    IllegalArgumentException cut =
        assertThrows(
            IllegalArgumentException.class,
            () -> FeatureMoments.fromBytes(Arrays.copyOf(bytes, bytes.length - 8), "block-7"));
    assertTrue(cut.getMessage().contains("block-7"), cut.getMessage());
  }

  @Test
  void eigenDecompositionReconstructsTheMatrix() {
    SplittableRandom r = new SplittableRandom(5);
    int n = 12;
    double[][] g = new double[n][n];
    for (double[] row : g) {
      for (int j = 0; j < n; j++) {
        row[j] = r.nextGaussian();
      }
    }
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int k = 0; k < n; k++) {
          a[i][j] += g[i][k] * g[j][k];
        }
      }
    }
    double[][] root = SymmetricEigen.of(a).sqrtPsd();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double sq = 0;
        for (int k = 0; k < n; k++) {
          sq += root[i][k] * root[k][j];
        }
        assertEquals(a[i][j], sq, 1e-9 * 100);
      }
    }
    assertThrows(
        IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2}, {0, 1}}));
  }
}
