package org.cemiface.data;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.cemiface.io.HadoopFiles;
import org.cemiface.recordio.RecordIo;
import org.cemiface.recordio.RecordIoSource;

/**
 * Lists labelled training images from an ImageFolder, an insightface RecordIO directory or a
 * Parquet image table.
 */
public final class TrainingImages {
  private TrainingImages() {}

  /**
   * Entries of the dataset at {@code root}: RecordIO when {@code root/train.rec} exists, a Parquet
   * image table when {@code root} is a .parquet file or a directory of them, else an ImageFolder.
   */
  public static List<ImageEntry> list(String root) {
    if (!HadoopFiles.exists(new Path(root, "train.rec"))) {
      return ParquetImageTable.isTable(root)
          ? ParquetImageTable.list(root)
          : ImageFolderSource.list(root);
    }
    List<ImageEntry> out = new ArrayList<>();
    String dir = HadoopFiles.qualified(new Path(root)).toString();
    try (RecordIoSource rec = new RecordIoSource(new Path(dir))) {
      for (long key : rec.imageKeys()) {
        RecordIo.Payload p = rec.read(key);
        out.add(
            new ImageEntry(
                ImageBytes.recordPath(dir, key), (int) p.primaryLabel(), "train.rec#" + key));
      }
    }
    return out;
  }
}
