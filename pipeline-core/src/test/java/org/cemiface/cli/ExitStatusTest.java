package org.cemiface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.cemiface.config.ConfigError;
import org.cemiface.image.ImageDecodeException;
import org.junit.jupiter.api.Test;

class ExitStatusTest {
  @Test
  void theClassComesFromTheFirstClassifiedCauseThroughAnyWrapping() {
    // Spark reports an executor's exception as the cause of its own.
    RuntimeException wrapped =
        new RuntimeException(
            "Job aborted due to stage failure",
            new IllegalArgumentException("subject 3: cannot read inquiry a.png"));
    ExitStatus s = ExitStatus.of(wrapped);
    assertEquals(ExitStatus.BAD_INPUT, s.code());
    assertEquals("subject 3: cannot read inquiry a.png", s.message());
    assertEquals(
        ExitStatus.USAGE, ExitStatus.of(new RuntimeException(new ConfigError("x"))).code());
    assertEquals(ExitStatus.USAGE, ExitStatus.of(new UsageError("--x needs a value")).code());
    assertEquals(
        ExitStatus.BAD_INPUT,
        ExitStatus.of(new ImageDecodeException("a.png", "file is empty", null)).code());
  }

  @Test
  void ioFailuresAreBadInputOnlyWhenTheyAreAboutAPath() {
    assertEquals(
        ExitStatus.BAD_INPUT,
        ExitStatus.of(new UncheckedIOException(new FileNotFoundException("model.params"))).code());
    assertEquals(
        ExitStatus.BAD_INPUT,
        ExitStatus.of(
                new UncheckedIOException(
                    "cannot write out/a.png", new ParentNotDirectoryException("out is a file")))
            .code());
    assertEquals(
        ExitStatus.FAILED,
        ExitStatus.of(new UncheckedIOException(new IOException("Connection reset by peer"))).code(),
        "a broken connection is worth a retry");
    assertEquals(ExitStatus.FAILED, ExitStatus.of(new IllegalStateException("defect")).code());
  }
}
