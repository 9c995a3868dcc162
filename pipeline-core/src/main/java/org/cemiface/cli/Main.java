package org.cemiface.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.cemiface.config.ConfigError;
import org.cemiface.config.ConfigLoader;
import org.cemiface.config.LoadedConfig;

/**
 * The entry point of {@code bin/cemiface}: finds the command and runs it with the loaded
 * configuration.
 */
public final class Main {
  /** Exit code for a wrong command line or configuration. */
  public static final int USAGE = ExitStatus.USAGE;

  /** Exit code for input the run cannot use (fix the named file, table or model). */
  public static final int BAD_INPUT = ExitStatus.BAD_INPUT;

  /** Exit code for a run that failed otherwise (the runtime, the cluster, a defect). */
  public static final int FAILED = ExitStatus.FAILED;

  private Main() {}

  /** Runs and exits with the command's status. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs without exiting, for tests and embedding. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, Command> commands = commands();
    if (args.length == 0
        || args[0].equals("--help")
        || args[0].equals("-h")
        || args[0].equals("help")) {
      out.print(usage(commands));
      return args.length == 0 ? USAGE : 0;
    }
    Command command = commands.get(args[0]);
    if (command == null) {
      err.println("Unknown command '" + args[0] + "'.\n");
      err.print(usage(commands));
      return USAGE;
    }
    try {
      Arguments arguments =
          Arguments.parse(
              Arrays.asList(args).subList(1, args.length), command.flags(), command.options());
      if (arguments.help()) {
        out.println(
            "bin/cemiface "
                + command.name()
                + " [--config FILE]... [--set key=value]..."
                + (command.flags().isEmpty()
                    ? ""
                    : " "
                        + String.join(
                            " ", command.flags().stream().map(f -> "[" + f + "]").toList()))
                + (command.options().isEmpty()
                    ? ""
                    : " "
                        + String.join(
                            " ",
                            command.options().stream().map(o -> "[" + o + " VALUE]").toList())));
        out.println();
        out.println(command.help());
        return 0;
      }
      LoadedConfig config = ConfigLoader.load(arguments.configFiles(), arguments.overrides());
      return command.run(new Invocation(config, arguments.flags(), arguments.options(), out, err));
    } catch (UsageError e) {
      err.println(
          "cemiface "
              + command.name()
              + ": "
              + e.getMessage()
              + " (see 'bin/cemiface "
              + command.name()
              + " --help')");
      return USAGE;
    } catch (ConfigError e) {
      err.println("cemiface " + command.name() + ": configuration error:\n" + e.getMessage());
      return USAGE;
    } catch (Exception e) {
      ExitStatus status = ExitStatus.of(e);
      if (status.code() == FAILED) {
        err.println("cemiface " + command.name() + " failed: " + e);
        e.printStackTrace(err);
      } else {
        err.println("cemiface " + command.name() + ": " + status.kind() + ": " + status.message());
      }
      return status.code();
    }
  }

  /** Every command on the classpath by name. */
  static Map<String, Command> commands() {
    Map<String, Command> byName = new TreeMap<>();
    for (Command c : ServiceLoader.load(Command.class)) {
      Command previous = byName.put(c.name(), c);
      if (previous != null) {
        throw new IllegalStateException(
            "two commands named '" + c.name() + "': " + previous.getClass() + ", " + c.getClass());
      }
    }
    return byName;
  }

  static String usage(Map<String, Command> commands) {
    StringBuilder s =
        new StringBuilder(
            "Usage: bin/cemiface <command> [--config FILE]... [--set key=value]... [--help]\n\n");
    s.append("Commands:\n");
    int width = commands.keySet().stream().mapToInt(String::length).max().orElse(0);
    for (Command c : commands.values()) {
      s.append(String.format("  %-" + width + "s  %s%n", c.name(), c.summary()));
    }
    s.append(
        "\nConfiguration: reference defaults < --config files (later wins) < --set overrides.\n");
    return s.toString();
  }
}
