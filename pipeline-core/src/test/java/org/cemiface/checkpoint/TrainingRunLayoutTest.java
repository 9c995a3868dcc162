package org.cemiface.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingRunLayoutTest {
  @TempDir Path dir;

  private org.apache.hadoop.fs.Path run() {
    return new org.apache.hadoop.fs.Path(dir.toUri());
  }

  @Test
  void latestNamesTheNewestCheckpointAndModelsResolveToIt() throws IOException {
    TrainingRunLayout layout = new TrainingRunLayout(run());
    assertEquals(OptionalLong.empty(), layout.latestStep());
    assertEquals(run(), TrainingRunLayout.checkpointDir(run()), "not a run: the directory itself");
    assertEquals("step-0001000", layout.dir(1000).getName());
    Files.writeString(dir.resolve("latest"), "step-0001000\n");
    assertEquals(OptionalLong.of(1000), layout.latestStep());
    assertEquals(layout.dir(1000), TrainingRunLayout.checkpointDir(run()));
    assertTrue(TrainingRunLayout.isCheckpointName("step-0000005"));
  }

  @Test
  void aCorruptLatestFileSaysWhatToDo() throws IOException {
    Files.writeString(dir.resolve("latest"), "step-12x");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> new TrainingRunLayout(run()).latestStep());
    assertTrue(
        e.getMessage().contains("'step-12x'") && e.getMessage().contains("delete it"),
        e.getMessage());
  }
}
