package org.cemiface.cli;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.cemiface.config.ConfigError;
import org.cemiface.image.ImageDecodeException;

/**
 * The exit code classes a scheduler can tell apart, and which class a failure belongs to: fix the
 * command line or configuration (2), fix the input (65, sysexits' EX_DATAERR), or retry (1). The
 * {@code run} command adds 3 (nothing to do) and 4 (locked).
 */
public record ExitStatus(int code, String kind, String message) {
  /** A run that failed for a reason a retry may not have: the runtime, the cluster, a defect. */
  public static final int FAILED = 1;

  /** A command line or configuration that cannot be understood or is invalid. */
  public static final int USAGE = 2;

  /**
   * Input the run cannot use: a missing, unreadable, corrupt or inconsistent file, table or model,
   * or an output location that cannot be written; rerunning unchanged fails the same way.
   */
  public static final int BAD_INPUT = 65;

  /**
   * The class of {@code failure}, from the first exception in its cause chain that has one (Spark
   * wraps an executor's exception in its own); {@link #FAILED} when none has.
   */
  public static ExitStatus of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UsageError || t instanceof ConfigError) {
        return new ExitStatus(USAGE, "usage", t.getMessage());
      }
      if (t instanceof ImageDecodeException || t instanceof IllegalArgumentException) {
        return new ExitStatus(BAD_INPUT, "bad input", t.getMessage());
      }
      if (t instanceof UncheckedIOException && isAboutThePath(t.getCause())) {
        return new ExitStatus(BAD_INPUT, "bad input", t.getMessage());
      }
      if (isAboutThePath(t)) {
        return new ExitStatus(BAD_INPUT, "bad input", t.toString());
      }
    }
    return new ExitStatus(FAILED, "failed", String.valueOf(failure));
  }

  /**
   * I/O failures about a path the user gave: missing, not a directory, a file where a directory
   * must be, not permitted (Hadoop's local file system reports a file in an output's parent path as
   * a {@code ParentNotDirectoryException}).
   */
  private static boolean isAboutThePath(Throwable t) {
    return t instanceof FileNotFoundException
        || t instanceof NoSuchFileException
        || t instanceof AccessDeniedException
        || t instanceof FileAlreadyExistsException
        || t instanceof NotDirectoryException
        || t instanceof org.apache.hadoop.security.AccessControlException
        || t instanceof org.apache.hadoop.fs.FileAlreadyExistsException
        || t instanceof org.apache.hadoop.fs.ParentNotDirectoryException
        || t instanceof org.apache.hadoop.fs.PathIOException;
  }
}
