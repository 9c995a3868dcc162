package org.cemiface.filter;

import java.io.Serializable;
import java.util.Locale;
import org.cemiface.image.ImageDecoder;
import org.cemiface.image.RgbImage;

/** Decodes a candidate and rejects what cannot serve as an inquiry, with the reason. */
public final class CandidateCheck implements Serializable {
  private final int imageSize;
  private final double blankStd;

  /**
   * {@code imageSize} 0 accepts any square size; {@code blankStd} is the minimum pixel standard
   * deviation (0–255).
   */
  public CandidateCheck(int imageSize, double blankStd) {
    this.imageSize = imageSize;
    this.blankStd = blankStd;
  }

  /** The decoded image, or the status and reason it was rejected with. */
  public record Outcome(RgbImage image, CandidateStatus status, String reason) {
    /** Whether the image passed. */
    public boolean ok() {
      return image != null;
    }
  }

  /**
   * Checks the encoded bytes read for {@code source} (null bytes: unreadable with {@code
   * readError}).
   */
  public Outcome check(byte[] bytes, String readError, String source) {
    if (bytes == null) {
      return new Outcome(null, CandidateStatus.UNREADABLE, readError);
    }
    RgbImage image;
    try {
      image = ImageDecoder.decode(bytes, source);
    } catch (RuntimeException e) {
      return new Outcome(null, CandidateStatus.UNREADABLE, e.getMessage());
    }
    if (image.width() != image.height() || (imageSize > 0 && image.width() != imageSize)) {
      return new Outcome(
          null,
          CandidateStatus.WRONG_SIZE,
          image.width()
              + "x"
              + image.height()
              + ", expected "
              + (imageSize > 0 ? imageSize + "x" + imageSize : "a square image"));
    }
    double std = pixelStd(image);
    if (std < blankStd) {
      return new Outcome(
          null,
          CandidateStatus.BLANK,
          String.format(
              Locale.ROOT,
              "pixel standard deviation %.2f below filter.blank-std %.2f",
              std,
              blankStd));
    }
    return new Outcome(image, null, null);
  }

  static double pixelStd(RgbImage image) {
    byte[] d = image.data();
    double sum = 0;
    double sq = 0;
    for (byte b : d) {
      int v = b & 0xff;
      sum += v;
      sq += (double) v * v;
    }
    double mean = sum / d.length;
    return Math.sqrt(Math.max(0, sq / d.length - mean * mean));
  }
}
