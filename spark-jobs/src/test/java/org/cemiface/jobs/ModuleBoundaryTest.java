package org.cemiface.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.cemiface.cli.Command;
import org.junit.jupiter.api.Test;

/**
 * What the Spark jar is built from: pipeline-core and the jobs, without the trainer or the demo.
 */
class ModuleBoundaryTest {
  @Test
  void theTrainerIsNotOnTheSparkJobsClasspath() {
    assertThrows(
        ClassNotFoundException.class,
        () -> Class.forName("org.cemiface.training.cemiface.CemiFaceTrainer"));
    assertThrows(
        ClassNotFoundException.class, () -> Class.forName("org.cemiface.demo.DemoCommand"));
  }

  @Test
  void theSparkJarOffersTheJobsAndCoreCommandsOnly() {
    Set<String> names = new TreeSet<>();
    ServiceLoader.load(Command.class).forEach(c -> names.add(c.name()));
    assertEquals(
        new TreeSet<>(
            Set.of(
                "bench-filter",
                "bench-generate",
                "bench-plumbing",
                "bench-sampling",
                "bench-writer",
                "config",
                "embed",
                "export",
                "fid",
                "filter",
                "generate",
                "import-unet",
                "model-info",
                "plan",
                "prepare-inquiries",
                "render-identities",
                "run",
                "sql",
                "stats",
                "make-benchmark",
                "analyze-dataset",
                "verify")),
        names);
  }
}
