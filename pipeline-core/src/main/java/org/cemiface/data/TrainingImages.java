package org.cemiface.data;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.cemiface.io.HadoopFiles;
import org.cemiface.recordio.RecordIo;
import org.cemiface.recordio.RecordIoSource;

/** Lists labelled training images from an ImageFolder or an insightface RecordIO directory (train.rec/.idx). */
public final class TrainingImages {
  private TrainingImages() {}

  /** Entries of the dataset at {@code root}: RecordIO when {@code root/train.rec} exists, else an ImageFolder. */
  public static List<ImageEntry> list(String root) {
    if (!HadoopFiles.exists(new Path(root, "train.rec"))) {
      return ImageFolderSource.list(root);
    }
    List<ImageEntry> out = new ArrayList<>();
    String dir = HadoopFiles.qualified(new Path(root)).toString();
    try (RecordIoSource rec = new RecordIoSource(new Path(dir))) {
      for (long key : rec.imageKeys()) {
        RecordIo.Payload p = rec.read(key);
        out.add(new ImageEntry(ImageBytes.recordPath(dir, key), (int) p.primaryLabel(), "train.rec#" + key));
      }
    }
    return out;
  }
}
