package org.cemiface.recordio;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An insightface RecordIO pair from untrusted files: opening it and reading every image record and
 * identity range gives records or an {@link IllegalArgumentException} / {@link
 * UncheckedIOException} with a message. An input is a big-endian 16-bit length L, then L bytes of
 * {@code train.idx} text, then the bytes of {@code train.rec}. CI replays the committed inputs;
 * {@code JAZZER_FUZZ=1} fuzzes (docs/reliability.md, "Fuzzing").
 */
class RecordIoFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void openAndReadEverything(byte[] input) throws IOException {
    int indexLength = input.length < 2 ? 0 : ((input[0] & 0xff) << 8) | (input[1] & 0xff);
    int indexEnd = Math.min(input.length, 2 + indexLength);
    Path dir = Files.createTempDirectory("fuzz-rec");
    try {
      Files.write(
          dir.resolve("train.idx"), Arrays.copyOfRange(input, Math.min(2, indexEnd), indexEnd));
      Files.write(dir.resolve("train.rec"), Arrays.copyOfRange(input, indexEnd, input.length));
      try (RecordIoSource source =
          new RecordIoSource(new org.apache.hadoop.fs.Path(dir.toString()))) {
        for (long key : source.imageKeys()) {
          source.read(key);
        }
        for (long[] range : source.identityRanges()) {
          assertTrue(range.length == 2);
        }
      } catch (IllegalArgumentException | UncheckedIOException e) {
        assertTrue(e.getMessage() != null && e.getMessage().contains("train."), e.toString());
      }
    } finally {
      for (String name : new String[] {"train.idx", "train.rec"}) {
        Files.deleteIfExists(dir.resolve(name));
      }
      Files.deleteIfExists(dir);
    }
  }
}
