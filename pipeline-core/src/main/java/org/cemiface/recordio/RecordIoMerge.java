package org.cemiface.recordio;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.HadoopPaths;

/**
 * Joins {@link RecordIoPart}s (in block order) into one insightface dataset: {@code train.rec} =
 * header record + the parts' bytes unchanged + one identity record per label; {@code train.idx}
 * with absolute offsets; {@code property} "classes,height,width". Each file is written to a
 * temporary name and renamed, so a rerun replaces a previous merge whole.
 */
public final class RecordIoMerge {
  private RecordIoMerge() {}

  /** What was merged. */
  public record Result(long images, int identities) {}

  private record Entry(long key, long offset, int label) {}

  /** Merges {@code parts} (each a .rec with its .idx next to it) into {@code outDir}. */
  public static Result merge(List<Path> parts, Path outDir, int width, int height) {
    List<List<Entry>> indexes = new ArrayList<>();
    long expectedKey = 1;
    for (Path part : parts) {
      List<Entry> entries = readIndex(indexOf(part));
      for (Entry e : entries) {
        if (e.key() != expectedKey) {
          throw new IllegalStateException(
              indexOf(part)
                  + ": record key "
                  + e.key()
                  + " where "
                  + expectedKey
                  + " was expected; a part is missing or stale. Rerun generate to rewrite the parts.");
        }
        expectedKey++;
      }
      indexes.add(entries);
    }
    long images = expectedKey - 1;
    List<long[]> identities = new ArrayList<>();
    for (List<Entry> entries : indexes) {
      for (Entry e : entries) {
        if (identities.isEmpty() || identities.get(identities.size() - 1)[0] != e.label()) {
          identities.add(new long[] {e.label(), e.key(), e.key() + 1});
        } else {
          identities.get(identities.size() - 1)[2] = e.key() + 1;
        }
      }
    }
    long firstIdentity = images + 1;
    byte[] header =
        RecordIo.frame(
            RecordIo.payload(
                2,
                0,
                0,
                0,
                new float[] {firstIdentity, firstIdentity + identities.size()},
                new byte[0]));
    StringBuilder idx = new StringBuilder("0\t0\n");
    FileSystem fs = HadoopPaths.fileSystem(outDir);
    HadoopFiles.writeAtomically(
        new Path(outDir, "train.rec"),
        out -> {
          out.write(header);
          long base = header.length;
          for (int p = 0; p < parts.size(); p++) {
            for (Entry e : indexes.get(p)) {
              idx.append(e.key()).append('\t').append(base + e.offset()).append('\n');
            }
            try (InputStream in = fs.open(parts.get(p))) {
              base += in.transferTo(out);
            }
          }
          for (int i = 0; i < identities.size(); i++) {
            long[] id = identities.get(i);
            idx.append(firstIdentity + i).append('\t').append(base).append('\n');
            byte[] rec =
                RecordIo.frame(
                    RecordIo.payload(
                        2, 0, firstIdentity + i, 0, new float[] {id[1], id[2]}, new byte[0]));
            out.write(rec);
            base += rec.length;
          }
        });
    HadoopFiles.writeAtomically(
        new Path(outDir, "train.idx"), idx.toString().getBytes(StandardCharsets.UTF_8));
    HadoopFiles.writeAtomically(
        new Path(outDir, "property"),
        (identities.size() + "," + height + "," + width).getBytes(StandardCharsets.UTF_8));
    return new Result(images, identities.size());
  }

  /** The index file of part {@code rec} (same name, .idx). */
  public static Path indexOf(Path rec) {
    String name = rec.getName();
    return new Path(rec.getParent(), name.substring(0, name.length() - ".rec".length()) + ".idx");
  }

  private static List<Entry> readIndex(Path idx) {
    List<Entry> out = new ArrayList<>();
    String[] lines = new String(HadoopFiles.readAllBytes(idx), StandardCharsets.UTF_8).split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isEmpty()) {
        continue;
      }
      String[] f = lines[i].split("\t");
      if (f.length != 3) {
        throw new UncheckedIOException(
            new IOException(idx + " line " + (i + 1) + ": expected key, offset, label"));
      }
      out.add(new Entry(Long.parseLong(f[0]), Long.parseLong(f[1]), Integer.parseInt(f[2])));
    }
    return out;
  }
}
