package org.cemiface.image;

import java.util.Locale;
import java.util.Optional;

/** Encoded image formats the pipeline reads and writes. */
public enum ImageFormat {
  /** Lossless; the default for generated datasets. */
  PNG,
  /** Lossy, smaller; quality from configuration. */
  JPEG;

  /** The file extension without the dot. */
  public String extension() {
    return this == PNG ? "png" : "jpg";
  }

  /** The format named by a file's extension, or empty when it is not an image extension. */
  public static Optional<ImageFormat> fromFileName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".png")) {
      return Optional.of(PNG);
    }
    if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
      return Optional.of(JPEG);
    }
    return Optional.empty();
  }

  /** Sniffs the format from the first bytes, or empty when they are neither PNG nor JPEG. */
  public static Optional<ImageFormat> sniff(byte[] bytes) {
    if (bytes.length >= 8
        && (bytes[0] & 0xFF) == 0x89
        && bytes[1] == 'P'
        && bytes[2] == 'N'
        && bytes[3] == 'G') {
      return Optional.of(PNG);
    }
    if (bytes.length >= 3
        && (bytes[0] & 0xFF) == 0xFF
        && (bytes[1] & 0xFF) == 0xD8
        && (bytes[2] & 0xFF) == 0xFF) {
      return Optional.of(JPEG);
    }
    return Optional.empty();
  }
}
