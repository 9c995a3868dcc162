package org.cemiface.cli;

import java.io.PrintStream;
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
}
