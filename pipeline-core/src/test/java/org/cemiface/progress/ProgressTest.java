package org.cemiface.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void printsRateAndEtaAtIntervalsAndOnCompletion() {
    AtomicLong clock = new AtomicLong();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Progress p =
        new Progress(
            "gen",
            "images",
            100,
            new PrintStream(bytes, true, StandardCharsets.UTF_8),
            clock::get,
            10_000_000_000L);
    clock.set(5_000_000_000L);
    p.advance(10);
    clock.set(10_000_000_000L);
    p.advance(10);
    clock.set(50_000_000_000L);
    p.advance(80);
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(2, lines.length, String.join("|", lines));
    assertEquals("[gen] 20/100 images (20.0%), 2.0 images/s, ETA 40.0s", lines[0]);
    assertEquals("[gen] 100/100 images (100.0%), 2.0 images/s, done in 50.0s", lines[1]);
    assertEquals("1h02m03s", Progress.duration(3723));
    assertEquals("4m05s", Progress.duration(245));
  }

  @Test
  void slowUnitsShowSecondsPerUnit() {
    AtomicLong clock = new AtomicLong();
    Progress p =
        new Progress(
            "generate", "blocks", 4, new PrintStream(new ByteArrayOutputStream()), clock::get, 1);
    clock.set(45_000_000_000L);
    p.record(1);
    assertEquals("[generate] 1/4 blocks (25.0%), 45.0 s/block, ETA 2m15s", p.line(clock.get()));
  }
}
