package org.cemiface.config;

import org.cemiface.io.HadoopPaths;

/**
 * Settings shared by every command: the global seed and the work directory that relative output
 * paths resolve against.
 */
public record RunSettings(long seed, String workDir) {
  /** Reads {@code seed} and {@code work-dir}. */
  public static RunSettings from(ConfigReader r) {
    return new RunSettings(r.anyLong("seed"), r.string("work-dir"));
  }

  /**
   * Resolves an output path: absolute paths and URIs stay as they are, others go under the work
   * directory.
   */
  public String resolve(String path) {
    return HadoopPaths.resolveAgainst(workDir, path);
  }
}
