package org.cemiface.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The parsed words after the command name. */
record Arguments(List<String> configFiles, List<String> overrides, Set<String> flags, boolean help) {

  /** Parses {@code --config FILE}, {@code --set k=v}, {@code --help} and the command's own flags. */
  static Arguments parse(List<String> words, Set<String> allowedFlags) {
    List<String> files = new ArrayList<>();
    List<String> overrides = new ArrayList<>();
    Set<String> flags = new LinkedHashSet<>();
    boolean help = false;
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      switch (w) {
        case "--config", "-c" -> files.add(value(words, ++i, w));
        case "--set", "-s" -> overrides.add(value(words, ++i, w));
        case "--help", "-h" -> help = true;
        default -> {
          if (w.startsWith("--config=")) {
            files.add(w.substring("--config=".length()));
          } else if (w.startsWith("--set=")) {
            overrides.add(w.substring("--set=".length()));
          } else if (allowedFlags.contains(w)) {
            flags.add(w);
          } else {
            throw new UsageException("unknown argument '" + w + "'"
                + (allowedFlags.isEmpty() ? "" : "; this command also accepts " + allowedFlags));
          }
        }
      }
    }
    return new Arguments(files, overrides, flags, help);
  }

  private static String value(List<String> words, int i, String option) {
    if (i >= words.size()) {
      throw new UsageException(option + " needs a value");
    }
    return words.get(i);
  }

  /** A command line that cannot be understood. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
