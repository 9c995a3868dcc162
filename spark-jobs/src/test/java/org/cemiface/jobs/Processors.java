package org.cemiface.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The processor tests run on. On an AMD EPYC with AVX-512 (2026-12-02) the encoder's embeddings were not reproducible
 * between runs (docs/training.md, "Non-finite steps and reproducibility on AMD EPYC"); tests that compare two
 * computations of them are disabled there until that is fixed.
 */
public final class Processors {
  /** The reason given where such a test is disabled. */
  public static final String NOT_REPRODUCIBLE = "embeddings are not reproducible on AMD EPYC with AVX-512"
      + " (docs/training.md, \"Non-finite steps and reproducibility on AMD EPYC\")";

  private Processors() {}

  /** Whether this is an AMD processor (for JUnit's {@code @DisabledIf}). */
  public static boolean amd() {
    try {
      return Files.readString(Path.of("/proc/cpuinfo")).contains("AuthenticAMD");
    } catch (IOException e) {
      return false;
    }
  }
}
