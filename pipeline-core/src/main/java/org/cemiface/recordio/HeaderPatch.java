package org.cemiface.recordio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.cemiface.io.HadoopFiles;

/**
 * Replaces the first record of a written file. Hadoop file systems cannot seek while writing, so
 * the file is copied once with the new first bytes (the header's size is fixed, so every offset
 * stays valid).
 */
final class HeaderPatch {
  private HeaderPatch() {}

  static void rewrite(FileSystem fs, Path file, byte[] header, int oldLength) throws IOException {
    if (header.length != oldLength) {
      throw new IllegalStateException(
          "header size changed from " + oldLength + " to " + header.length);
    }
    Path patched = HadoopFiles.temporarySibling(file);
    try (InputStream in = fs.open(file);
        OutputStream out = fs.create(patched, true)) {
      out.write(header);
      in.skipNBytes(oldLength);
      in.transferTo(out);
    }
    HadoopFiles.commit(fs, patched, file);
  }
}
