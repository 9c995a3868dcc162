package org.cemiface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cemiface.render.IdentityManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path dir;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void renderIdentitiesWritesTheDatasetAndSaysWhere() throws Exception {
    java.nio.file.Path conf = dir.resolve("small.conf");
    Files.writeString(conf, "render { size = 32 }\n");
    CliRun r =
        run(
            "render-identities",
            "--config",
            conf.toString(),
            "--set",
            "work-dir=" + dir,
            "--set",
            "render.identities=3",
            "--set",
            "render.images-per-identity=2");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Manifest: ") && r.out().contains("(6 rows)"), r.out());
    assertEquals(
        6,
        IdentityManifest.read(new org.apache.hadoop.fs.Path(dir.resolve("identities").toString()))
            .size());
    assertTrue(Files.isRegularFile(dir.resolve("identities/0000002/1.png")));
    String written = Files.readString(dir.resolve("identities/_render.conf"));
    assertTrue(
        written.contains("images-per-identity=2")
            || written.contains("images-per-identity\" : 2")
            || written.contains("images-per-identity = 2")
            || written.contains("\"images-per-identity\" : \"2\"")
            || written.contains("images-per-identity=\"2\""),
        written);
    assertTrue(
        r.err().contains("[render-identities] 6/6 images"), "progress is reported: " + r.err());
  }

  @Test
  void configCommandPrintsOriginsAndRejectsTypos() throws Exception {
    java.nio.file.Path conf = dir.resolve("mine.conf");
    Files.writeString(conf, "# a comment\nrender.size = 48\n");
    CliRun ok = run("config", "--config", conf.toString(), "--set", "seed=7");
    assertEquals(0, ok.code(), ok.err());
    assertTrue(ok.out().contains("seed") && ok.out().contains("--set seed=7"), ok.out());
    assertTrue(ok.out().contains("mine.conf:2"), ok.out());

    CliRun typo = run("config", "--set", "render.identitys=3");
    assertEquals(Main.USAGE, typo.code());
    assertTrue(typo.err().contains("Did you mean 'render.identities'?"), typo.err());
  }

  @Test
  void unknownCommandAndArgumentsExitWithUsage() {
    CliRun unknown = run("fly");
    assertEquals(Main.USAGE, unknown.code());
    assertTrue(
        unknown.err().contains("Unknown command 'fly'")
            && unknown.err().contains("render-identities"),
        unknown.err());
    CliRun badArg = run("config", "--bogus");
    assertEquals(Main.USAGE, badArg.code());
    assertTrue(badArg.err().contains("unknown argument '--bogus'"), badArg.err());
    CliRun help = run("render-identities", "--help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("manifest.parquet"), help.out());
  }

  @Test
  void numberOptionsRefuseWhatIsNotAWholeNumberInRangeNamingOptionAndValue() {
    CliRun negative = run("fid", "--images", "a", "--reference", "b", "--max-images", "-1");
    assertEquals(Main.USAGE, negative.code());
    assertTrue(
        negative.err().contains("--max-images takes a whole number of at least 0, got '-1'"),
        negative.err());
    CliRun list = run("bench-writer", "--write-ahead", "0,two");
    assertEquals(Main.USAGE, list.code());
    assertTrue(
        list.err()
            .contains(
                "--write-ahead takes whole numbers of at least 0, comma-separated;"
                    + " got '0,two'"),
        list.err());
    CliRun zero = run("bench-sampling", "--device", "cpu", "--batches", "16,0");
    assertEquals(Main.USAGE, zero.code());
    assertTrue(zero.err().contains("--batches takes whole numbers of at least 1"), zero.err());
  }
}
