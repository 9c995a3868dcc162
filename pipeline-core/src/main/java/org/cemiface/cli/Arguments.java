package org.cemiface.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The parsed words after the command name. */
record Arguments(
    List<String> configFiles,
    List<String> overrides,
    Set<String> flags,
    Map<String, String> options,
    boolean help) {

  /**
   * Parses {@code --config FILE}, {@code --set k=v}, {@code --help} and the command's own flags and
   * options.
   */
  static Arguments parse(List<String> words, Set<String> allowedFlags, Set<String> allowedOptions) {
    Map<String, String> options = new LinkedHashMap<>();
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
          } else if (allowedOptions.contains(w)) {
            options.put(w, value(words, ++i, w));
          } else if (w.contains("=") && allowedOptions.contains(w.substring(0, w.indexOf('=')))) {
            options.put(w.substring(0, w.indexOf('=')), w.substring(w.indexOf('=') + 1));
          } else {
            Set<String> accepted = new TreeSet<>(allowedFlags);
            accepted.addAll(allowedOptions);
            throw new UsageError(
                "unknown argument '"
                    + w
                    + "'"
                    + (accepted.isEmpty() ? "" : "; this command also accepts " + accepted));
          }
        }
      }
    }
    return new Arguments(files, overrides, flags, options, help);
  }

  private static String value(List<String> words, int i, String option) {
    if (i >= words.size()) {
      throw new UsageError(option + " needs a value");
    }
    return words.get(i);
  }
}
