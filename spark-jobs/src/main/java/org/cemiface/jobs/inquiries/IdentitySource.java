package org.cemiface.jobs.inquiries;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.cemiface.image.ImageFormat;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.HadoopPaths;
import org.cemiface.recordio.RecordIoSource;

/**
 * A labelled real dataset seen identity by identity: an ImageFolder (one folder per identity) or an
 * insightface RecordIO directory with its identity records. The driver lists only the identities;
 * each task lists the images of its own identities, so no file is listed twice.
 */
abstract class IdentitySource implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The source at {@code root}: RecordIO when root/train.rec exists, else an ImageFolder. */
  static IdentitySource open(String root) {
    String qualified = HadoopFiles.qualified(new Path(root)).toString();
    return HadoopFiles.exists(new Path(qualified, "train.rec"))
        ? new RecordIoIdentities(qualified)
        : new FolderIdentities(qualified);
  }

  /** Identity names, sorted (driver side). */
  abstract List<String> identities();

  /** A reader for one task's identities; close it when the task ends. */
  abstract Reader reader();

  /** Lists and reads the images of identities inside one task. */
  interface Reader extends AutoCloseable {
    /** The identity's image names, sorted. */
    List<String> images(String identity);

    /** The bytes of an image named by {@link #images}. */
    byte[] read(String identity, String image);

    /** The image's path relative to the source root, for the table. */
    String relative(String identity, String image);

    @Override
    void close();
  }

  /** {@code <root>/<identity>/<image>}. */
  static final class FolderIdentities extends IdentitySource {
    private static final long serialVersionUID = 1L;
    private final String root;

    FolderIdentities(String root) {
      this.root = root;
    }

    @Override
    List<String> identities() {
      List<String> out = new ArrayList<>();
      for (FileStatus s : list(new Path(root))) {
        String name = s.getPath().getName();
        if (s.isDirectory() && !name.startsWith(".") && !name.startsWith("_")) {
          out.add(name);
        }
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException(
            "prepare-inquiries.source " + root + " has no identity folders (<identity>/<image>)");
      }
      out.sort(null);
      return out;
    }

    @Override
    Reader reader() {
      return new Reader() {
        @Override
        public List<String> images(String identity) {
          List<String> out = new ArrayList<>();
          for (FileStatus s : list(new Path(root, identity))) {
            String name = s.getPath().getName();
            if (s.isFile()
                && !name.startsWith(".")
                && ImageFormat.fromFileName(name.toLowerCase(Locale.ROOT)).isPresent()) {
              out.add(name);
            }
          }
          out.sort(null);
          return out;
        }

        @Override
        public byte[] read(String identity, String image) {
          return HadoopFiles.readAllBytes(new Path(new Path(root, identity), image));
        }

        @Override
        public String relative(String identity, String image) {
          return identity + "/" + image;
        }

        @Override
        public void close() {}
      };
    }

    private static FileStatus[] list(Path dir) {
      try {
        FileSystem fs = HadoopPaths.fileSystem(dir);
        return fs.listStatus(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * insightface RecordIO: identity i is the image records of its identity record's [start, end)
   * range, named by its label (zero-padded, so names sort in label order).
   */
  static final class RecordIoIdentities extends IdentitySource {
    private static final long serialVersionUID = 1L;
    private final String root;
    private final long[][] ranges;

    RecordIoIdentities(String root) {
      this.root = root;
      try (RecordIoSource rec = new RecordIoSource(new Path(root))) {
        this.ranges = rec.identityRanges().toArray(new long[0][]);
      }
      if (ranges.length == 0) {
        throw new IllegalArgumentException(
            root
                + "/train.rec has no identity records (insightface's header record 0 with"
                + " [first identity record, end]): convert it to an ImageFolder, or rewrite it with"
                + " bin/cemiface's RecordIO writer");
      }
    }

    static String name(int label) {
      return String.format(Locale.ROOT, "%07d", label);
    }

    @Override
    List<String> identities() {
      List<String> out = new ArrayList<>(ranges.length);
      for (int i = 0; i < ranges.length; i++) {
        out.add(name(i));
      }
      return out;
    }

    @Override
    Reader reader() {
      RecordIoSource rec = new RecordIoSource(new Path(root));
      return new Reader() {
        @Override
        public List<String> images(String identity) {
          long[] range = ranges[Integer.parseInt(identity)];
          List<String> out = new ArrayList<>();
          for (long k = range[0]; k < range[1]; k++) {
            out.add(String.format(Locale.ROOT, "%010d", k));
          }
          return out;
        }

        @Override
        public byte[] read(String identity, String image) {
          return rec.read(Long.parseLong(image)).image();
        }

        @Override
        public String relative(String identity, String image) {
          return "train.rec#" + Long.parseLong(image);
        }

        @Override
        public void close() {
          rec.close();
        }
      };
    }
  }
}
