package org.cemiface.cli;

import java.util.Set;

/**
 * One {@code bin/cemiface} command. Implementations register in {@code
 * META-INF/services/org.cemiface.cli.Command}, so each module contributes its own commands.
 */
public interface Command {
  /** The word typed after {@code bin/cemiface}. */
  String name();

  /** One line for the command list. */
  String summary();

  /**
   * The text of {@code bin/cemiface <name> --help}: what it reads, writes and which keys matter.
   */
  String help();

  /** Boolean flags this command accepts besides --config, --set and --help (e.g. "--resume"). */
  default Set<String> flags() {
    return Set.of();
  }

  /**
   * Options that take a value (e.g. "--input"), given as {@code --input DIR} or {@code
   * --input=DIR}.
   */
  default Set<String> options() {
    return Set.of();
  }

  /** Runs the command; returns the process exit code. */
  int run(Invocation invocation) throws Exception;
}
