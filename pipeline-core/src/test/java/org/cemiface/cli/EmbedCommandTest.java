package org.cemiface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cemiface.checkpoint.Fixtures;
import org.cemiface.encoder.Embeddings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedCommandTest {
  @TempDir Path dir;

  private int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void reproducesTheFixtureAdaFaceEmbeddingsAndListsUnreadableFiles() throws Exception {
    Path images = Files.createDirectories(dir.resolve("faces"));
    for (int i = 0; i < 4; i++) {
      Files.copy(Fixtures.path("ir18_images/face_" + i + ".png"), images.resolve("face_" + i + ".png"));
    }
    Files.writeString(images.resolve("broken.png"), "not an image");
    Path csv = dir.resolve("out/embeddings.csv");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = run(out, err, "embed", "--encoder", "adaface:" + Fixtures.path("ir18_small.ckpt"), "--arch", "ir_18",
        "--input", images.toString(), "--output", csv.toString(), "--batch-size", "3");
    String errText = err.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, errText);
    assertTrue(errText.contains("unreadable: broken.png: not a PNG or JPEG image"), errText);
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("Embedded 4 images (d=64)"), out.toString(StandardCharsets.UTF_8));
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
      assertTrue(Embeddings.cosine(got, want) >= 0.9999, "image " + i + " cosine " + Embeddings.cosine(got, want));
    }
  }

  @Test
  void failsOnlyWhenNothingCouldBeRead() throws Exception {
    Path images = Files.createDirectories(dir.resolve("bad"));
    Files.write(images.resolve("empty.jpg"), new byte[0]);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = run(new ByteArrayOutputStream(), err, "embed", "--encoder", "adaface:" + Fixtures.path("ir18_small.ckpt"),
        "--input", images.toString(), "--output", dir.resolve("x.csv").toString());
    assertEquals(Main.FAILED, code);
    String e = err.toString(StandardCharsets.UTF_8);
    assertTrue(e.contains("empty.jpg: file is empty") && e.contains("none of the 1 images could be read"), e);
    assertTrue(!Files.exists(dir.resolve("x.csv")));
  }

  @Test
  void missingEncoderIsAUsageError() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = run(new ByteArrayOutputStream(), err, "embed", "--input", dir.toString(), "--output", "x.csv");
    assertEquals(Main.USAGE, code);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("no encoder"), err.toString(StandardCharsets.UTF_8));
  }
}
