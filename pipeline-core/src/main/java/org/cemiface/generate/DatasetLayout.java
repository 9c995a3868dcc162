package org.cemiface.generate;

import java.io.Serializable;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.cemiface.image.ImageFormat;

/**
 * Where a generated dataset's files go below its output directory: {@code
 * images/<subject>/<index>.<ext>} (an ImageFolder), {@code samples.parquet/part-<block>.parquet},
 * {@code recordio/train.rec|.idx|property} merged from {@code recordio/_parts/}, attempt files in
 * {@code _temporary/}, and the job summary {@code generate.json}.
 */
public record DatasetLayout(String root, ImageFormat format) implements Serializable {
  /** The ImageFolder root. */
  public Path images() {
    return new Path(root, "images");
  }

  /** The directory of one subject's images. */
  public Path subjectDir(long subject) {
    return new Path(images(), subjectName(subject));
  }

  /** The class folder name of a subject (zero-padded so folder order is subject order). */
  public static String subjectName(long subject) {
    return String.format(Locale.ROOT, "%07d", subject);
  }

  /** The file of one image, relative to the output root (as stored in samples.parquet). */
  public String relativeImagePath(long subject, int index) {
    return "images/" + subjectName(subject) + "/" + index + "." + format.extension();
  }

  /** The file of one image. */
  public Path image(long subject, int index) {
    return new Path(root, relativeImagePath(subject, index));
  }

  /** The samples table (a directory of part files). */
  public Path samples() {
    return new Path(root, "samples.parquet");
  }

  /** The samples part of one block; its presence marks the block complete. */
  public Path samplesPart(int block) {
    return new Path(samples(), partName(block) + ".parquet");
  }

  /** The block a samples part file belongs to, or -1 for other names. */
  public static int blockOfPart(String fileName) {
    if (!fileName.startsWith("part-") || !fileName.endsWith(".parquet")) {
      return -1;
    }
    try {
      return Integer.parseInt(fileName.substring(5, fileName.length() - 8));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The merged RecordIO dataset. */
  public Path recordIo() {
    return new Path(root, "recordio");
  }

  /** Per-block RecordIO parts, merged into {@link #recordIo()} at the end of the job. */
  public Path recordIoParts() {
    return new Path(recordIo(), "_parts");
  }

  /**
   * The RecordIO part of one block ({@code .rec}; its index is the same name with {@code .idx}).
   */
  public Path recordIoPart(int block) {
    return new Path(recordIoParts(), partName(block) + ".rec");
  }

  /** Attempt files; removed by the driver after the job. */
  public Path temporary() {
    return new Path(root, "_temporary");
  }

  /** The job summary. */
  public Path summary() {
    return new Path(root, "generate.json");
  }

  static String partName(int block) {
    return String.format(Locale.ROOT, "part-%05d", block);
  }
}
