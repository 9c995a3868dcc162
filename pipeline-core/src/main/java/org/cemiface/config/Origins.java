package org.cemiface.config;

import com.typesafe.config.ConfigOrigin;

/** Formats where a configuration value came from, as "file:line" or the origin's description. */
final class Origins {
  private Origins() {}

  static String describe(ConfigOrigin origin) {
    if (origin == null) {
      return "unknown origin";
    }
    if (origin.filename() != null) {
      return origin.lineNumber() > 0
          ? origin.filename() + ":" + origin.lineNumber()
          : origin.filename();
    }
    if (origin.resource() != null) {
      return origin.resource() + (origin.lineNumber() > 0 ? ":" + origin.lineNumber() : "");
    }
    return origin.description();
  }
}
