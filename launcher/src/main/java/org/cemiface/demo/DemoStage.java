package org.cemiface.demo;

import java.util.List;

/**
 * One stage of the demo: a bin/cemiface command with its own --set overrides and options, run as
 * its own process.
 */
record DemoStage(String title, String command, List<String> overrides, List<String> arguments) {
  /** A stage whose command takes only overrides. */
  DemoStage(String title, String command, List<String> overrides) {
    this(title, command, overrides, List.of());
  }
}
