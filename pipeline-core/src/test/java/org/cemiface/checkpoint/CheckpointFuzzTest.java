package org.cemiface.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Pickles and torch.save archives from untrusted files: any bytes give a result or an {@link
 * IllegalArgumentException} ({@link UnsafePickleException} included) or {@link
 * UncheckedIOException} with a message, never another exception, a hang or an allocation sized by a
 * length field. CI replays the committed inputs; {@code JAZZER_FUZZ=1} fuzzes (docs/reliability.md,
 * "Fuzzing").
 */
class CheckpointFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void plainPickle(byte[] bytes) {
    try {
      SafePickle.load(bytes, "fuzz.pkl");
    } catch (IllegalArgumentException e) {
      assertNamed(e, "fuzz.pkl");
    }
  }

  @FuzzTest(maxDuration = "5m")
  void torchArchive(byte[] bytes) throws IOException {
    Path file = Files.createTempFile("fuzz", ".pt");
    try {
      Files.write(file, bytes);
      Map<String, TensorData> tensors = TorchCheckpoint.open(file.toString()).stateDict("");
      for (TensorData t : tensors.values()) {
        long elements = 1;
        for (long d : t.shape()) {
          elements *= d;
        }
        assertEquals(elements, t.data().length);
      }
    } catch (IllegalArgumentException | UncheckedIOException e) {
      assertNamed(e, file.toString());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void assertNamed(RuntimeException e, String source) {
    assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "no message: " + e);
    if (!e.getMessage().contains(source)) {
      throw new AssertionError("the message does not name " + source + ": " + e.getMessage(), e);
    }
  }
}
