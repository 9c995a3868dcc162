package org.cemiface.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Turns user-given path strings into Hadoop paths and file systems, so {@code file://}, {@code
 * hdfs://} and {@code s3a://} locations work the same everywhere.
 */
public final class HadoopPaths {
  private static final Configuration CONF = configure(new Configuration());

  private HadoopPaths() {}

  private static Configuration configure(Configuration conf) {
    // file:// without a fork per written file (see UmaskLocalFileSystem); other schemes are
    // untouched.
    conf.setClass("fs.file.impl", UmaskLocalFileSystem.class, FileSystem.class);
    return conf;
  }

  /** {@code path} itself when absolute or a URI, otherwise {@code base/path}. */
  public static String resolveAgainst(String base, String path) {
    if (isAbsolute(path)) {
      return path;
    }
    return base.endsWith("/") ? base + path : base + "/" + path;
  }

  /** Whether a path string has a scheme or starts at a root. */
  public static boolean isAbsolute(String path) {
    return path.startsWith("/") || URI.create(path.replace(" ", "%20")).getScheme() != null;
  }

  /**
   * The Hadoop path for a user-given string (relative local paths resolve against the working
   * directory).
   */
  public static Path path(String path) {
    return new Path(path);
  }

  /** The file system holding {@code path}; local file systems skip the {@code .crc} side files. */
  public static FileSystem fileSystem(Path path) {
    try {
      FileSystem fs = path.getFileSystem(CONF);
      if (fs instanceof ChecksumFileSystem checksummed) {
        checksummed.setWriteChecksum(false);
        checksummed.setVerifyChecksum(false);
      }
      return fs;
    } catch (IOException e) {
      throw new UncheckedIOException("no file system for " + path + ": " + e.getMessage(), e);
    }
  }

  /** The shared Hadoop configuration (defaults plus whatever *-site.xml is on the classpath). */
  public static Configuration configuration() {
    return CONF;
  }
}
