package org.cemiface.verification;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.cemiface.checkpoint.UnsafePickleException;
import org.junit.jupiter.api.Test;

/**
 * Fixtures: src/test/fixtures/make_benchmark_bin_fixtures.py (Python's own pickle, and Python 2's
 * str layout).
 */
class BenchmarkBinTest {
  private static final java.nio.file.Path DIR =
      java.nio.file.Path.of("src/test/resources/fixtures/benchmark-bin");

  private static List<byte[]> expectedImages() throws IOException {
    return Files.readAllLines(DIR.resolve("images.txt")).stream()
        .filter(l -> !l.isBlank())
        .map(l -> HexFormat.of().parseHex(l.trim()))
        .toList();
  }

  @Test
  void readsPython2StrAndPython3BytesAtEveryProtocol() throws IOException {
    List<byte[]> expected = expectedImages();
    for (String file :
        List.of("py2-str.bin", "py3-protocol2.bin", "py3-protocol4.bin", "py3-protocol5.bin")) {
      BenchmarkBin bin = BenchmarkBin.read(new Path(DIR.toAbsolutePath().resolve(file).toUri()));
      assertEquals(file.replace(".bin", ""), bin.name());
      assertEquals(3, bin.pairs(), file);
      assertArrayEquals(new boolean[] {true, false, true}, bin.same(), file);
      assertEquals(6, bin.images().size(), file);
      for (int i = 0; i < 6; i++) {
        assertArrayEquals(expected.get(i), bin.images().get(i), file + " image " + i);
      }
    }
  }

  @Test
  void aPickleThatCallsAFunctionIsRefusedUnexecuted() {
    UnsafePickleException e =
        assertThrows(
            UnsafePickleException.class,
            () ->
                BenchmarkBin.read(new Path(DIR.toAbsolutePath().resolve("malicious.bin").toUri())));
    assertTrue(
        e.getMessage().contains("system") && e.getMessage().contains("refused"), e.getMessage());
  }

  @Test
  void somethingElseSaysWhatItFound() throws IOException {
    byte[] notABenchmark = {(byte) 0x80, 2, 'K', 7, '.'}; // the int 7
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> BenchmarkBin.parse(notABenchmark, "x.bin", "x"));
    assertTrue(e.getMessage().contains("x.bin is not an insightface benchmark"), e.getMessage());
    byte[] bin = Files.readAllBytes(DIR.resolve("py3-protocol4.bin"));
    BenchmarkBin ok = BenchmarkBin.parse(bin, "lfw.bin", "lfw");
    assertEquals(3, ok.pairs());
    assertThrows(
        IllegalArgumentException.class,
        () -> new BenchmarkBin("odd", ok.images().subList(0, 5), ok.same()));
  }

  @Test
  void writesThePicklePythonWritesWithoutMemo() throws IOException {
    BenchmarkBin small = new BenchmarkBin("x", expectedImages(), new boolean[] {true, false, true});
    assertArrayEquals(
        Files.readAllBytes(DIR.resolve("py3-protocol3-optimized.bin")), small.toPickle());
    // Batches of 1,000 items and BINBYTES for a string of 256 bytes or more, as the script's.
    List<byte[]> many = new ArrayList<>();
    for (int i = 0; i < 2002; i++) {
      byte[] unit = {(byte) (i % 256), (byte) (i / 256)};
      int repeats = i == 5 ? 150 : 1 + i % 3;
      byte[] b = new byte[2 * repeats];
      for (int k = 0; k < repeats; k++) {
        System.arraycopy(unit, 0, b, 2 * k, 2);
      }
      many.add(b);
    }
    boolean[] flags = new boolean[1001];
    for (int i = 0; i < flags.length; i++) {
      flags[i] = i % 3 == 0;
    }
    byte[] written = new BenchmarkBin("y", many, flags).toPickle();
    assertArrayEquals(Files.readAllBytes(DIR.resolve("batches-protocol3-optimized.bin")), written);
    BenchmarkBin back = BenchmarkBin.parse(written, "y.bin", "y");
    assertArrayEquals(flags, back.same());
    for (int i = 0; i < many.size(); i++) {
      assertArrayEquals(many.get(i), back.images().get(i), "image " + i);
    }
    // A one-pair benchmark's flag list has a single item: APPEND, not MARK ... APPENDS.
    BenchmarkBin one = new BenchmarkBin("z", many.subList(0, 2), new boolean[] {true});
    assertArrayEquals(new boolean[] {true}, BenchmarkBin.parse(one.toPickle(), "z", "z").same());
  }
}
