package org.cemiface.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cemiface.config.LoadedConfig;

/**
 * What a command runs with: the resolved configuration, the flags given, where to print results
 * ({@code out}) and where to print progress and diagnostics ({@code err}).
 */
public record Invocation(
    LoadedConfig config,
    Set<String> flags,
    Map<String, String> options,
    PrintStream out,
    PrintStream err) {
  /** Whether {@code flag} (e.g. "--resume") was given. */
  public boolean has(String flag) {
    return flags.contains(flag);
  }

  /** The value of option {@code name} (e.g. "--input"), if given. */
  public Optional<String> option(String name) {
    return Optional.ofNullable(options.get(name));
  }

  /** The value of a required option, or a usage error naming it. */
  public String required(String name) {
    String v = options.get(name);
    if (v == null) {
      throw new UsageError("missing required option " + name);
    }
    return v;
  }

  /**
   * Option {@code name} ({@code fallback} when absent) as a whole number of at least {@code min},
   * or a usage error naming the option and the value.
   */
  public int wholeNumber(String name, String fallback, int min) {
    String v = option(name).orElse(fallback);
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageError(name + " takes a whole number of at least " + min + ", got '" + v + "'");
  }

  /**
   * Option {@code name} ({@code fallback} when absent) as comma-separated whole numbers, each at
   * least {@code min}, or a usage error naming the option and the value.
   */
  public int[] wholeNumbers(String name, String fallback, int min) {
    String v = option(name).orElse(fallback);
    try {
      int[] n = Arrays.stream(v.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
      if (n.length > 0 && Arrays.stream(n).allMatch(x -> x >= min)) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageError(
        name + " takes whole numbers of at least " + min + ", comma-separated; got '" + v + "'");
  }
}
