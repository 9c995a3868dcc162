package org.cemiface.verification;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reference: src/test/fixtures/make_benchmark_protocol_fixture.py (insightface's calculate_roc in
 * numpy).
 */
class BenchmarkProtocolTest {
  private static double[] numbers(String line) {
    return Arrays.stream(line.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
  }

  @Test
  void matchesTheNumpyReferenceIncludingTiesAtTheThreshold() throws IOException {
    List<String> lines =
        Files.readAllLines(Path.of("src/test/resources/fixtures/benchmark-protocol.txt"));
    double[] header = numbers(lines.get(0));
    int n = (int) header[0];
    float[][] a = new float[n][];
    float[][] b = new float[n][];
    for (int i = 0; i < n; i++) {
      a[i] = toFloats(numbers(lines.get(1 + i)));
      b[i] = toFloats(numbers(lines.get(1 + n + i)));
    }
    double[] flags = numbers(lines.get(1 + 2 * n));
    boolean[] same = new boolean[n];
    for (int i = 0; i < n; i++) {
      same[i] = flags[i] == 1;
    }
    BenchmarkProtocol.Accuracy acc =
        BenchmarkProtocol.tenFold(BenchmarkProtocol.squaredDistances(a, b), same);
    assertArrayEquals(numbers(lines.get(2 + 2 * n)), acc.perFold(), 1e-12);
    assertArrayEquals(numbers(lines.get(3 + 2 * n)), acc.thresholds(), 1e-12);
    double[] summary = numbers(lines.get(4 + 2 * n));
    assertEquals(summary[0], acc.mean(), 1e-12);
    assertEquals(summary[1], acc.std(), 1e-12);
  }

  @Test
  void aDistanceOnTheThresholdIsNotSame() {
    // Ten folds of one pair: fold f is trained on the other nine. Identical embeddings (distance 0)
    // flagged same are
    // wrong at threshold 0, so every fold picks a threshold above 0.
    double[] d = new double[10];
    boolean[] same = new boolean[10];
    for (int i = 0; i < 10; i++) {
      d[i] = i < 5 ? 0 : 2;
      same[i] = i < 5;
    }
    BenchmarkProtocol.Accuracy acc = BenchmarkProtocol.tenFold(d, same);
    assertEquals(1.0, acc.mean(), 1e-12);
    assertEquals(0.01, acc.thresholds()[0], 1e-12, "the lowest threshold that separates");
    assertThrows(
        IllegalArgumentException.class,
        () -> BenchmarkProtocol.tenFold(new double[9], new boolean[9]));
  }

  private static float[] toFloats(double[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }
}
