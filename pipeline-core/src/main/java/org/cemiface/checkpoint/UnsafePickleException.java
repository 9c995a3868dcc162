package org.cemiface.checkpoint;

/** A pickle that asks to call something outside the allow-list; nothing of it was executed. */
public final class UnsafePickleException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the error with the offending global and where it was found. */
  public UnsafePickleException(String message) {
    super(message);
  }
}
