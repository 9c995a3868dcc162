package org.cemiface.jobs.demo;

import java.util.List;

/** One stage of the demo: a bin/cemiface command with its own --set overrides, run as its own process. */
record DemoStage(String title, String command, List<String> overrides) {}
