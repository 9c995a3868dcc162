package org.cemiface.cli;

import java.io.PrintStream;
import java.util.Set;
import org.cemiface.config.LoadedConfig;

/**
 * What a command runs with: the resolved configuration, the flags given, where to print results ({@code out})
 * and where to print progress and diagnostics ({@code err}).
 */
public record Invocation(LoadedConfig config, Set<String> flags, PrintStream out, PrintStream err) {
  /** Whether {@code flag} (e.g. "--resume") was given. */
  public boolean has(String flag) {
    return flags.contains(flag);
  }
}
