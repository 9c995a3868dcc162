package org.cemiface.config;

/**
 * A configuration problem, with a message that names the key, where it came from and what to do.
 */
public final class ConfigError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an error whose message is shown to the user as it is. */
  public ConfigError(String message) {
    super(message);
  }
}
