package org.cemiface.io;

import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * The local file system with the process umask's permissions for new files and directories. Without
 * Hadoop's native library, RawLocalFileSystem applies every permission by forking {@code chmod}:
 * several processes per written image, which made writing 150,000 small images take 9 minutes, most
 * of it in the kernel.
 */
public final class UmaskLocalFileSystem extends LocalFileSystem {
  /** A checksum-capable local file system over {@link Raw}. */
  public UmaskLocalFileSystem() {
    super(new Raw());
  }

  /** RawLocalFileSystem without explicit chmod calls. */
  static final class Raw extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) {
      // New files and directories keep the umask default (what Hadoop's own default permission
      // amounts to).
    }
  }
}
