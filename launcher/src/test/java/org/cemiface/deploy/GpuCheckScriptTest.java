package org.cemiface.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/gpu-check.sh, the script a lent GPU machine runs, on its CPU path with the tiny preset:
 * the first GPU run must not die on a typo. And without a GPU, asking for one fails before anything
 * runs.
 */
class GpuCheckScriptTest {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

  @TempDir Path dir;

  @Test
  void theCpuPathPrintsEveryRow() throws Exception {
    Result r =
        script(
            Map.of(
                "DEVICE", "cpu",
                "PRESET", "tiny",
                "SIZE", "32",
                "STEPS", "1",
                "REPEATS", "1",
                "BATCHES", "2",
                "IDENTITIES", "8",
                "IMAGES", "4",
                "SAMPLING_STEPS", "2",
                "ENCODER_BATCH", "16"));
    assertEquals(0, r.code, r.output);
    for (String row :
        List.of(
            "\\| fp32 \\| \\[cpu\\(\\)\\] \\| batch \\d+, 1 timed steps \\| [0-9.]+ ",
            "\\| fp16 \\| \\[cpu\\(\\)\\] \\| batch \\d+, 1 timed steps \\| [0-9.]+ ",
            "\\| fp32 \\| cpu\\(\\) \\| 32 px, 32 channels, 2 steps \\| 2 \\| [0-9.]+ ",
            "\\| fp16 \\| cpu\\(\\) \\| 32 px, 32 channels, 2 steps \\| 2 \\| [0-9.]+ ",
            "fp16 vs fp32, the same 2 samples: mean \\|difference\\| [0-9.]+, largest \\d+",
            "filter block product 4096 x 4096 x 512 on cpu\\(\\): [0-9.]+ ms")) {
      assertTrue(
          Pattern.compile(row).matcher(r.output).find(), "a row like " + row + ":\n" + r.output);
    }
  }

  @Test
  void askingForAGpuWithoutOneFailsBeforeAnythingRuns() throws Exception {
    assumeTrue(Engine.getEngine("PyTorch").getGpuCount() == 0, "this machine has a GPU");
    Result r = script(Map.of("DEVICE", "gpu0"));
    assertEquals(1, r.code, r.output);
    assertTrue(
        r.output.contains("nvidia-smi cannot see a GPU")
            || r.output.contains("PyTorch sees 0 GPU(s)"),
        r.output);
    assertTrue(!r.output.contains("== data"), "nothing ran after the check:\n" + r.output);
  }

  private record Result(int code, String output) {}

  /** Runs the script with the CLI from this test's classpath standing in for bin/cemiface. */
  private Result script(Map<String, String> env) throws Exception {
    Path cli = dir.resolve("cemiface");
    List<String> java = new ArrayList<>();
    java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    java.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    java.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.cemiface.cli.Main"));
    StringBuilder line = new StringBuilder("#!/bin/sh\nexec");
    for (String word : java) {
      line.append(" '").append(word.replace("'", "'\\''")).append('\'');
    }
    Files.writeString(cli, line + " \"$@\"\n");
    cli.toFile().setExecutable(true);
    ProcessBuilder pb =
        new ProcessBuilder("bash", ROOT.resolve("deploy/gpu-check.sh").toString())
            .redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().put("CEMIFACE_CLI", cli.toString());
    pb.environment().put("WORK", dir.resolve("work").toString());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the script finished");
    return new Result(p.exitValue(), output);
  }
}
