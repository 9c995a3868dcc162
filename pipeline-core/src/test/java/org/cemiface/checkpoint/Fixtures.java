package org.cemiface.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Access to the PyTorch reference fixtures made by src/test/fixtures/make_fixtures.py. */
public final class Fixtures {
  private Fixtures() {}

  /** The path of a fixture file. */
  public static Path path(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/fixtures/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException(
          "missing fixture " + name + "; regenerate with make_fixtures.py", e);
    }
  }

  /** A little-endian float32 file as floats. */
  public static float[] floats(String name) {
    try {
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(path(name))).order(ByteOrder.LITTLE_ENDIAN);
      float[] out = new float[b.remaining() / 4];
      b.asFloatBuffer().get(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The largest absolute difference between {@code actual} and {@code expected[offset …]}. */
  public static float maxAbsDiff(float[] actual, float[] expected, int offset) {
    float max = 0;
    for (int i = 0; i < actual.length; i++) {
      max = Math.max(max, Math.abs(actual[i] - expected[offset + i]));
    }
    return max;
  }
}
