package org.cemiface.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.apache.parquet.example.data.Group;
import org.cemiface.io.ParquetTableReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerificationTableTest {
  @TempDir Path dir;

  private static BenchmarkResult r(String model, String benchmark, double accuracy) {
    return new BenchmarkResult(
        model, benchmark, 6000, accuracy, 0.01, 1e-3, accuracy - 0.1, 0.02, 1e-3);
  }

  private static List<BenchmarkResult> results() {
    return List.of(
        r("synthetic", "cplfw", 0.80),
        r("synthetic", "lfw", 0.99),
        r("casia", "lfw", 0.995),
        r("casia", "cplfw", 0.90));
  }

  @Test
  void paperColumnsInThePapersOrderWithAvgAndGapToReal() {
    VerificationTable t =
        new VerificationTable(results(), VerificationTable.averageOf(results(), "casia"));
    assertEquals(0.895, t.average("synthetic").getAsDouble(), 1e-12);
    assertEquals(0.9475 - 0.895, t.gapToReal("synthetic").getAsDouble(), 1e-12);
    assertEquals(0.0, t.gapToReal("casia").getAsDouble(), 1e-12);
    String md = t.markdown();
    assertTrue(
        md.startsWith("| Training set | LFW | CPLFW | AVG | GtR |\n|---|---|---|---|---|\n"), md);
    assertTrue(md.contains("| synthetic | 99.00 ± 1.00 | 80.00 ± 1.00 | 89.50 | 5.25 |"), md);
    assertTrue(md.contains("| casia | 99.50 ± 1.00 | 90.00 ± 1.00 | 94.75 | 0.00 |"), md);
    assertTrue(md.contains("TAR at FAR = 1e-03"), md);
    assertTrue(md.contains("| synthetic | 89.00 ± 2.00 | 70.00 ± 2.00 |"), md);
  }

  @Test
  void aRowMissingABenchmarkHasNoAverage() {
    List<BenchmarkResult> partial =
        List.of(r("a", "lfw", 0.9), r("a", "agedb_30", 0.8), r("b", "lfw", 0.7));
    VerificationTable t = new VerificationTable(partial, OptionalDouble.of(0.95));
    assertTrue(t.average("b").isEmpty());
    assertTrue(t.markdown().contains("| b | 70.00 ± 1.00 | – | – | – |"), t.markdown());
    assertEquals(0.95 - 0.85, t.gapToReal("a").getAsDouble(), 1e-12);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> VerificationTable.averageOf(partial, "real"));
    assertTrue(e.getMessage().contains("'real' has no results"), e.getMessage());
  }

  @Test
  void parquetHoldsOneRowPerModelAndBenchmark() {
    org.apache.hadoop.fs.Path out =
        new org.apache.hadoop.fs.Path(dir.resolve("verification.parquet").toUri());
    new VerificationTable(results(), OptionalDouble.empty()).writeParquet(out);
    List<Group> rows = ParquetTableReader.readAll(out);
    assertEquals(4, rows.size());
    assertEquals("synthetic", rows.get(0).getString("model", 0));
    assertEquals("cplfw", rows.get(0).getString("benchmark", 0));
    assertEquals(0.80, rows.get(0).getDouble("accuracy", 0), 0);
    assertEquals(6000, rows.get(0).getInteger("pairs", 0));
  }
}
