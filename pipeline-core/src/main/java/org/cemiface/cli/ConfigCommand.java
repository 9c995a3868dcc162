package org.cemiface.cli;

/** {@code config}: prints the resolved configuration with the origin of each value. */
public final class ConfigCommand implements Command {
  @Override
  public String name() {
    return "config";
  }

  @Override
  public String summary() {
    return "print the resolved configuration with each value's origin";
  }

  @Override
  public String help() {
    return "Prints every configuration key with its resolved value and where it came from: a reference.conf\n"
        + "of a module, a --config file and line, or a --set override. Validation runs first, so a typo in a\n"
        + "file is reported here with the nearest valid key.";
  }

  @Override
  public int run(Invocation inv) {
    inv.out().print(inv.config().describeWithOrigins());
    return 0;
  }
}
