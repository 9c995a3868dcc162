package org.cemiface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cemiface.checkpoint.Fixtures;
import org.cemiface.encoder.Embeddings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedCommandTest {
  @TempDir Path dir;

  @Test
  void reproducesTheFixtureAdaFaceEmbeddingsAndListsUnreadableFiles() throws Exception {
    Path images = Files.createDirectories(dir.resolve("faces"));
    for (int i = 0; i < 4; i++) {
      Files.copy(
          Fixtures.path("ir18_images/face_" + i + ".png"), images.resolve("face_" + i + ".png"));
    }
    Files.writeString(images.resolve("broken.png"), "not an image");
    Path csv = dir.resolve("out/embeddings.csv");
    CliRun r =
        CliRun.of(
            "embed",
            "--encoder",
            "adaface:" + Fixtures.path("ir18_small.ckpt"),
            "--arch",
            "ir_18",
            "--input",
            images.toString(),
            "--output",
            csv.toString(),
            "--batch-size",
            "3");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("unreadable: broken.png: not a PNG or JPEG image"), r.err());
    assertTrue(r.out().contains("Embedded 4 images (d=64)"), r.out());
    List<String> rows = Files.readAllLines(csv);
    assertEquals(4, rows.size());
    float[] expected = Fixtures.floats("ir18_outputs.bin");
    for (int i = 0; i < 4; i++) {
      String[] cells = rows.get(i).split(",");
      assertEquals("face_" + i + ".png", cells[0]);
      assertEquals(65, cells.length);
      float[] got = new float[64];
      float[] want = new float[64];
      for (int j = 0; j < 64; j++) {
        got[j] = Float.parseFloat(cells[j + 1]);
        want[j] = expected[i * 64 + j];
      }
      assertTrue(
          Embeddings.cosine(got, want) >= 0.9999,
          "image " + i + " cosine " + Embeddings.cosine(got, want));
    }
  }

  @Test
  void failsOnlyWhenNothingCouldBeRead() throws Exception {
    Path images = Files.createDirectories(dir.resolve("bad"));
    Files.write(images.resolve("empty.jpg"), new byte[0]);
    CliRun r =
        CliRun.of(
            "embed",
            "--encoder",
            "adaface:" + Fixtures.path("ir18_small.ckpt"),
            "--input",
            images.toString(),
            "--output",
            dir.resolve("x.csv").toString());
    assertEquals(Main.BAD_INPUT, r.code());
    String e = r.err();
    assertTrue(
        e.contains("empty.jpg: file is empty") && e.contains("none of the 1 images could be read"),
        e);
    assertTrue(!Files.exists(dir.resolve("x.csv")));
  }

  @Test
  void missingEncoderIsAUsageError() {
    CliRun r = CliRun.of("embed", "--input", dir.toString(), "--output", "x.csv");
    assertEquals(Main.USAGE, r.code());
    assertTrue(r.err().contains("no encoder"), r.err());
  }
}
