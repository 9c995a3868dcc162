package org.cemiface.verification;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.cemiface.checkpoint.PlainPickleWriter;
import org.cemiface.checkpoint.PythonObjects.Tuple;
import org.cemiface.checkpoint.SafePickle;
import org.cemiface.io.HadoopFiles;

/**
 * A verification benchmark in insightface's format ({@code lfw.bin}, {@code cfp_fp.bin}, {@code
 * agedb_30.bin} …): a pickle of (encoded images, is-same flags) where images 2i and 2i + 1 form
 * pair i. Files written by Python 2 hold the images as {@code str}, by Python 3 as {@code bytes};
 * both are read without executing anything in the file.
 */
public record BenchmarkBin(String name, List<byte[]> images, boolean[] same) {
  /** Validates that every pair has two images. */
  public BenchmarkBin {
    if (images.size() != 2 * same.length) {
      throw new IllegalArgumentException(
          name
              + ": "
              + images.size()
              + " images for "
              + same.length
              + " pairs (need two per pair)");
    }
  }

  /** Number of pairs. */
  public int pairs() {
    return same.length;
  }

  /**
   * The benchmark as a pickle (protocol 3, {@code bytes} images), the layout insightface's {@code
   * load_bin} reads.
   */
  public byte[] toPickle() {
    return new PlainPickleWriter().bytesList(images).boolList(same).tuple2().finish();
  }

  /** The file's name without {@code .bin}, as benchmarks are named in result tables. */
  public static String benchmarkName(Path file) {
    String n = file.getName();
    return n.endsWith(".bin") ? n.substring(0, n.length() - 4) : n;
  }

  /** Reads {@code file}; errors name the file and what in it is not a benchmark. */
  public static BenchmarkBin read(Path file) {
    return parse(HadoopFiles.readAllBytes(file), file.toString(), benchmarkName(file));
  }

  /** Parses the pickle in {@code data} ({@code source} names it in errors). */
  public static BenchmarkBin parse(byte[] data, String source, String name) {
    Object root = SafePickle.load(data, source);
    List<?> parts = root instanceof Tuple t ? t.items() : root instanceof List<?> l ? l : null;
    if (parts == null || parts.size() != 2) {
      throw new IllegalArgumentException(
          source
              + " is not an insightface benchmark: expected a pickled (images, is-same flags) pair, found "
              + describe(root));
    }
    List<byte[]> images = new ArrayList<>();
    int k = 0;
    for (Object image : sequence(parts.get(0), source, "images")) {
      if (image instanceof byte[] b) {
        images.add(b);
      } else if (image instanceof String text) {
        images.add(
            text.getBytes(StandardCharsets.ISO_8859_1)); // Python 2 str: one byte per character
      } else {
        throw new IllegalArgumentException(
            source + ": image " + k + " is " + describe(image) + ", not encoded image bytes");
      }
      k++;
    }
    List<?> flags = sequence(parts.get(1), source, "is-same flags");
    boolean[] same = new boolean[flags.size()];
    for (int i = 0; i < same.length; i++) {
      Object f = flags.get(i);
      if (f instanceof Boolean b) {
        same[i] = b;
      } else if (f instanceof Long v && (v == 0 || v == 1)) {
        same[i] = v == 1;
      } else {
        throw new IllegalArgumentException(
            source + ": is-same flag " + i + " is " + describe(f) + ", not a boolean");
      }
    }
    return new BenchmarkBin(name, images, same);
  }

  private static List<?> sequence(Object o, String source, String what) {
    if (o instanceof List<?> l) {
      return l;
    }
    if (o instanceof Tuple t) {
      return t.items();
    }
    throw new IllegalArgumentException(
        source + ": the " + what + " are " + describe(o) + ", not a list");
  }

  private static String describe(Object o) {
    return o == null ? "None" : o.getClass().getSimpleName();
  }
}
