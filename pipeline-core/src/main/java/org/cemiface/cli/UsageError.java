package org.cemiface.cli;

/**
 * A command line that cannot be understood; reported with the command's name and a pointer to
 * --help.
 */
public final class UsageError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the error with a message saying what is wrong. */
  public UsageError(String message) {
    super(message);
  }
}
