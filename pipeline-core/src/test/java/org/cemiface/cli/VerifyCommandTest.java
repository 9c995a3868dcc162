package org.cemiface.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cemiface.checkpoint.Fixtures;
import org.cemiface.image.ImageDecoder;
import org.cemiface.image.ImageEncoder;
import org.cemiface.image.RgbImage;
import org.cemiface.verification.BenchmarkBin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {
  @TempDir Path dir;

  private static byte[] face(int i) throws Exception {
    return Files.readAllBytes(Fixtures.path("ir18_images/face_" + i + ".png"));
  }

  /** The face with every channel value inverted: an image as unlike the face as any. */
  private static byte[] negative(int i) throws Exception {
    RgbImage f = ImageDecoder.decode(face(i), "face " + i);
    byte[] px = f.data().clone();
    for (int k = 0; k < px.length; k++) {
      px[k] = (byte) (255 - (px[k] & 0xFF));
    }
    return ImageEncoder.png(new RgbImage(f.width(), f.height(), px));
  }

  /**
   * 20 pairs over the 4 fixture faces: genuine pairs show one image twice (distance 0 under any
   * deterministic encoder), impostor pairs a face and a colour negative of another.
   */
  private Path benchmark() throws Exception {
    List<byte[]> images = new ArrayList<>();
    boolean[] same = new boolean[20];
    for (int i = 0; i < 20; i++) {
      same[i] = i % 2 == 0;
      images.add(face(i % 4));
      images.add(same[i] ? face(i % 4) : negative((i + 1) % 4));
    }
    Path bins = Files.createDirectories(dir.resolve("benchmarks"));
    Files.write(bins.resolve("lfw.bin"), new BenchmarkBin("lfw", images, same).toPickle());
    return bins;
  }

  @Test
  void verifiesAnEncoderAndWritesTableJsonParquetAndRoc() throws Exception {
    Path bins = benchmark();
    Path out = dir.resolve("result");
    // Under either fixture encoder the protocol's first threshold, 0.01, separates identical
    // images from a face and a negative (their four faces alone lie closer than that).
    String script = "torchscript:" + Fixtures.path("tiny_encoder.torchscript.pt");
    String adaface = "adaface:" + Fixtures.path("ir18_small.ckpt");
    CliRun r =
        CliRun.of(
            "verify",
            "--set",
            "work-dir=" + dir,
            "--encoder",
            "first=" + script + ",second=" + adaface,
            "--benchmarks",
            bins.toString(),
            "--output",
            out.toString(),
            "--real",
            "first");
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out().contains("| first | 100.00 ± 0.00 | 100.00 | 0.00 |"), r.out() + "\n" + r.err());
    assertTrue(r.out().contains("| second | 100.00 ± 0.00 | 100.00 | 0.00 |"), r.out());
    assertTrue(r.err().contains("first on lfw: accuracy 100.00 %"), r.err());
    for (String f :
        List.of("verification.md", "verification.json", "verification.parquet", "roc-lfw.png")) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    assertTrue(Files.readString(out.resolve("verification.json")).contains("\"gtr\": 0.0"));
  }

  @Test
  void encoderListsNameRowsAndDefaultToTheFileName() {
    assertEquals(
        java.util.Map.of(
            "CemiFace m=0", "djl:models/fr", "b", "onnx:/x/y.onnx", "r50", "torchscript:/m/r50.pt"),
        VerifyCommand.encoders(
            "CemiFace m=0=djl:models/fr, b=onnx:/x/y.onnx,torchscript:/m/r50.pt"));
    UsageError twice =
        org.junit.jupiter.api.Assertions.assertThrows(
            UsageError.class, () -> VerifyCommand.encoders("a=djl:x,a=djl:y"));
    assertTrue(twice.getMessage().contains("names 'a' twice"), twice.getMessage());
  }

  @Test
  void badArgumentsAreNamed() throws Exception {
    Path bins = benchmark();
    CliRun noKind = CliRun.of("verify", "--encoder", "model.onnx", "--benchmarks", bins.toString());
    assertEquals(Main.USAGE, noKind.code());
    assertTrue(noKind.err().contains("SOURCE must be KIND:PATH"), noKind.err());
    CliRun empty =
        CliRun.of(
            "verify",
            "--encoder",
            "onnx:x.onnx",
            "--benchmarks",
            Files.createDirectories(dir.resolve("none")).toString());
    assertEquals(Main.USAGE, empty.code());
    assertTrue(empty.err().contains("no .bin file found"), empty.err());
  }

  @Test
  void makeBenchmarkWritesBalancedFoldsOfTheImagesBytes() throws Exception {
    Path folder = dir.resolve("people");
    for (int i = 0; i < 4; i++) {
      Path person = Files.createDirectories(folder.resolve("person" + (i / 2)));
      Files.write(person.resolve(i + ".png"), face(i));
    }
    Path bin = dir.resolve("held-out.bin");
    CliRun r = makeBenchmark("held-out.bin", "40");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("40 pairs (20 genuine)"), r.out());
    BenchmarkBin read = BenchmarkBin.read(new org.apache.hadoop.fs.Path(bin.toUri()));
    assertEquals("held-out", read.name());
    assertEquals(40, read.pairs());
    for (int p = 0; p < 40; p++) {
      assertEquals(p % 4 < 2, read.same()[p], "fold layout, pair " + p);
      byte[] a = read.images().get(2 * p);
      byte[] b = read.images().get(2 * p + 1);
      assertEquals(read.same()[p], sameFolder(a, b), "pair " + p);
    }
    byte[] first = Files.readAllBytes(bin);
    assertEquals(0, makeBenchmark("held-out.bin", "40").code());
    assertArrayEquals(first, Files.readAllBytes(bin), "the seed decides the file");
    CliRun odd = makeBenchmark("x.bin", "30");
    assertEquals(Main.USAGE, odd.code());
    assertTrue(odd.err().contains("multiple of 20"), odd.err());
  }

  private CliRun makeBenchmark(String output, String pairs) {
    return CliRun.of(
        "make-benchmark",
        "--set",
        "work-dir=" + dir,
        "--images",
        "people",
        "--output",
        output,
        "--pairs",
        pairs);
  }

  private static boolean sameFolder(byte[] a, byte[] b) throws Exception {
    return person(a) == person(b);
  }

  private static int person(byte[] image) throws Exception {
    for (int i = 0; i < 4; i++) {
      if (java.util.Arrays.equals(image, face(i))) {
        return i / 2;
      }
    }
    throw new AssertionError("an image that is none of the fixture faces");
  }
}
