package org.cemiface.generate;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.HadoopPaths;

/**
 * How a task makes a file appear under its final name so readers never see a partial one. {@link
 * Mode#RENAME} writes into the attempt's own directory under {@code _temporary/} and renames
 * (atomic on HDFS and local disks); {@link Mode#DIRECT} writes the final name directly, for object
 * stores where rename is a copy and an object only becomes visible when its upload completes. Final
 * names depend only on (subject, index) or the block, so retried and speculative attempts write
 * identical bytes to the same names: never a duplicate.
 */
public final class FileCommitter implements Serializable {
  /** The commit strategy. */
  public enum Mode {
    /** Temporary file, then rename; the default on file systems with atomic rename. */
    RENAME,
    /** Straight to the final name (object stores). */
    DIRECT,
    /** DIRECT for s3a/s3/gs/abfs/wasb/oss URIs, else RENAME. */
    AUTO
  }

  private final Mode mode;
  private final Path attemptDir;
  private long sequence;

  /**
   * A committer for one task attempt; {@code attemptDir} holds its temporary files in RENAME mode.
   */
  public FileCommitter(Mode mode, Path attemptDir) {
    this.mode = mode == Mode.AUTO ? forScheme(attemptDir) : mode;
    this.attemptDir = attemptDir;
  }

  /** The mode AUTO picks for {@code path}'s scheme. */
  static Mode forScheme(Path path) {
    String scheme = HadoopPaths.fileSystem(path).getUri().getScheme();
    return switch (scheme == null ? "" : scheme) {
      case "s3a", "s3", "s3n", "gs", "abfs", "abfss", "wasb", "wasbs", "oss" -> Mode.DIRECT;
      default -> Mode.RENAME;
    };
  }

  /** The effective mode (AUTO resolved). */
  public Mode mode() {
    return mode;
  }

  /** Writes {@code bytes} so that {@code target} appears complete or not at all. */
  public void write(Path target, byte[] bytes) {
    write(target, out -> out.write(bytes));
  }

  /** Streams content so that {@code target} appears complete or not at all. */
  public void write(Path target, HadoopFiles.OutputWriter writer) {
    FileSystem fs = HadoopPaths.fileSystem(target);
    Path tmp =
        mode == Mode.DIRECT ? target : new Path(attemptDir, (sequence++) + "-" + target.getName());
    try {
      try (OutputStream out = fs.create(tmp, true)) {
        writer.write(out);
      }
      if (mode == Mode.RENAME) {
        HadoopFiles.commit(fs, tmp, target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }
}
