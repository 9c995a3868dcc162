package org.cemiface.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.cemiface.image.ImageDecoder;
import org.cemiface.image.ImageFormat;
import org.cemiface.image.ImageSettings;
import org.cemiface.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticIdentitiesTest {
  private static final RenderSettings.Variation DEFAULT =
      new RenderSettings.Variation(1, 1, 1, 0.15, 0.1, 4);

  @TempDir java.nio.file.Path dir;

  private static RenderSettings settings(int identities, int images, int size) {
    return new RenderSettings(identities, images, 0, size, "unused", DEFAULT);
  }

  private static ImageSettings png() {
    return new ImageSettings(ImageFormat.PNG, 95);
  }

  @Test
  void sameSeedGivesByteIdenticalFiles() throws IOException {
    Path a = new Path(dir.resolve("a").toString());
    Path b = new Path(dir.resolve("b").toString());
    List<IdentityManifest.Row> rowsA =
        new IdentitySetWriter(7, settings(6, 3, 32), png(), 2).write(a);
    List<IdentityManifest.Row> rowsB =
        new IdentitySetWriter(7, settings(6, 3, 32), png(), 1).write(b);
    assertEquals(rowsA, rowsB);
    assertEquals(18, rowsA.size());
    for (IdentityManifest.Row row : rowsA) {
      assertArrayEquals(
          Files.readAllBytes(dir.resolve("a").resolve(row.path())),
          Files.readAllBytes(dir.resolve("b").resolve(row.path())),
          row.path());
    }
    assertEquals(rowsA, IdentityManifest.read(a), "manifest round-trips");
    assertEquals("0000005/2.png", rowsA.get(17).path());
  }

  @Test
  void differentSeedsGiveDifferentPeople() {
    SyntheticIdentities one = new SyntheticIdentities(1, DEFAULT, 32);
    SyntheticIdentities two = new SyntheticIdentities(2, DEFAULT, 32);
    assertNotEquals(one.image(0, 0), two.image(0, 0));
    assertEquals(one.image(3, 4), new SyntheticIdentities(1, DEFAULT, 32).image(3, 4));
  }

  @Test
  void imagesOfOnePersonAreCloserThanImagesOfTwoPeople() {
    SyntheticIdentities people = new SyntheticIdentities(42, DEFAULT, 32);
    int n = 100;
    int per = 4;
    RgbImage[][] imgs = new RgbImage[n][per];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < per; j++) {
        imgs[i][j] = people.image(i, j);
      }
    }
    double intra = 0;
    int intraPairs = 0;
    double inter = 0;
    int interPairs = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < per; j++) {
        for (int k = j + 1; k < per; k++) {
          intra += imgs[i][j].meanAbsDifference(imgs[i][k]);
          intraPairs++;
        }
        int other = (i + 1) % n;
        inter += imgs[i][j].meanAbsDifference(imgs[other][j]);
        interPairs++;
      }
    }
    intra /= intraPairs;
    inter /= interPairs;
    assertTrue(intra < inter * 0.8, "intra " + intra + " vs inter " + inter);
    // Not trivial: images of one person still differ noticeably (pose, light, noise).
    assertTrue(intra > 8, "intra-identity difference too small: " + intra);
  }

  @Test
  void renderedImagesDecodeAtTheRequestedSize() throws IOException {
    Path root = new Path(dir.resolve("s").toString());
    List<IdentityManifest.Row> rows =
        new IdentitySetWriter(3, settings(2, 2, 64), png(), 1).write(root);
    for (IdentityManifest.Row row : rows) {
      RgbImage img =
          ImageDecoder.decode(Files.readAllBytes(dir.resolve("s").resolve(row.path())), row.path());
      assertEquals(64, img.width());
      assertEquals(64, row.height());
    }
  }
}
