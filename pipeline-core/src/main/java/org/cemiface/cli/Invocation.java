package org.cemiface.cli;

import java.io.PrintStream;
import java.util.Set;
import org.cemiface.config.LoadedConfig;

/** What a command runs with: the resolved configuration, the flags given, and where to print results. */
public record Invocation(LoadedConfig config, Set<String> flags, PrintStream out) {
  /** Whether {@code flag} (e.g. "--resume") was given. */
  public boolean has(String flag) {
    return flags.contains(flag);
  }
}
