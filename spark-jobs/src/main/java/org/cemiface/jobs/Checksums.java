package org.cemiface.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.HadoopPaths;

/** SHA-256 of a file or of a directory's files (relative names and contents, in name order). */
public final class Checksums {
  private Checksums() {}

  /** The checksum of {@code location}, or "absent" when nothing is there. */
  public static String of(String location) {
    Path root = HadoopFiles.qualified(new Path(location));
    if (!HadoopFiles.exists(root)) {
      return "absent";
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      FileSystem fs = HadoopPaths.fileSystem(root);
      List<Path> files =
          fs.getFileStatus(root).isFile() ? List.of(root) : HadoopFiles.listFiles(root);
      String prefix = root.toString();
      for (Path f : files.stream().sorted().toList()) {
        sha.update(
            f.toString()
                .substring(Math.min(prefix.length(), f.toString().length()))
                .getBytes(StandardCharsets.UTF_8));
        try (InputStream in = fs.open(f)) {
          byte[] buffer = new byte[1 << 16];
          for (int n; (n = in.read(buffer)) > 0; ) {
            sha.update(buffer, 0, n);
          }
        }
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot checksum " + root + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
