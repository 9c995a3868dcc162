package org.cemiface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cemiface.render.IdentityManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void renderIdentitiesWritesTheDatasetAndSaysWhere() throws Exception {
    Result r = run("render-identities", "--config", "../conf/local.conf",
        "--set", "work-dir=" + dir, "--set", "render.identities=3", "--set", "render.images-per-identity=2");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Manifest: ") && r.out().contains("(6 rows)"), r.out());
    assertEquals(6, IdentityManifest.read(new org.apache.hadoop.fs.Path(dir.resolve("identities").toString())).size());
    assertTrue(Files.isRegularFile(dir.resolve("identities/0000002/1.png")));
    String written = Files.readString(dir.resolve("identities/_render.conf"));
    assertTrue(written.contains("images-per-identity=2") || written.contains("images-per-identity\" : 2")
        || written.contains("images-per-identity = 2") || written.contains("\"images-per-identity\" : \"2\"")
        || written.contains("images-per-identity=\"2\""), written);
    assertTrue(r.err().contains("[render-identities] 6/6 images"), "progress is reported: " + r.err());
  }

  @Test
  void configCommandPrintsOriginsAndRejectsTypos() {
    Result ok = run("config", "--config", "../conf/local.conf", "--set", "seed=7");
    assertEquals(0, ok.code(), ok.err());
    assertTrue(ok.out().contains("seed") && ok.out().contains("--set seed=7"), ok.out());
    assertTrue(ok.out().contains("local.conf:"), ok.out());

    Result typo = run("config", "--set", "render.identitys=3");
    assertEquals(Main.USAGE, typo.code());
    assertTrue(typo.err().contains("Did you mean 'render.identities'?"), typo.err());
  }

  @Test
  void unknownCommandAndArgumentsExitWithUsage() {
    Result unknown = run("fly");
    assertEquals(Main.USAGE, unknown.code());
    assertTrue(unknown.err().contains("Unknown command 'fly'") && unknown.err().contains("render-identities"), unknown.err());
    Result badArg = run("config", "--bogus");
    assertEquals(Main.USAGE, badArg.code());
    assertTrue(badArg.err().contains("unknown argument '--bogus'"), badArg.err());
    Result help = run("render-identities", "--help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("manifest.parquet"), help.out());
  }
}
