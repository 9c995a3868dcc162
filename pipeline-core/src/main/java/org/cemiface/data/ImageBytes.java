package org.cemiface.data;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.Path;
import org.cemiface.io.HadoopFiles;
import org.cemiface.recordio.RecordIoSource;

/**
 * Reads the encoded bytes of an {@link ImageEntry}: a file, a record of a RecordIO dataset ({@code
 * <dir>/train.rec#<key>}, open files shared per directory) or a row of a Parquet image table
 * ({@code <file>.parquet#row<n>}).
 */
public final class ImageBytes {
  private static final String REC = "/train.rec#";
  private static final Map<String, RecordIoSource> OPEN = new ConcurrentHashMap<>();

  private ImageBytes() {}

  /** The path naming record {@code key} of the RecordIO dataset in {@code dir}. */
  public static String recordPath(String dir, long key) {
    return dir + REC + key;
  }

  /** The entry's encoded image. */
  public static byte[] read(ImageEntry entry) {
    if (ParquetImageTable.isRowPath(entry.path())) {
      return ParquetImageTable.read(entry.path());
    }
    int at = entry.path().indexOf(REC);
    if (at < 0) {
      return HadoopFiles.readAllBytes(new Path(entry.path()));
    }
    String dir = entry.path().substring(0, at);
    long key = Long.parseLong(entry.path().substring(at + REC.length()));
    return OPEN.computeIfAbsent(dir, d -> new RecordIoSource(new Path(d))).read(key).image();
  }
}
