package org.cemiface.image;

/** An image that cannot be used, with the file it came from and the reason. */
public final class ImageDecodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String source;
  private final String reason;

  /** Creates the error for {@code source} (a path or record id) with a short reason. */
  public ImageDecodeException(String source, String reason, Throwable cause) {
    super(source + ": " + reason, cause);
    this.source = source;
    this.reason = reason;
  }

  /** The file or record the bytes came from. */
  public String source() {
    return source;
  }

  /** Why the bytes are not a usable image (no path in it). */
  public String reason() {
    return reason;
  }
}
