package org.cemiface.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HadoopFilesTest {
  @TempDir java.nio.file.Path dir;

  @Test
  void writesAndReadsThroughPlainPathsAndFileUris() throws IOException {
    Path plain = new Path(dir.resolve("a/b/plain.bin").toString());
    Path uri = new Path(dir.resolve("c/uri.bin").toUri());
    HadoopFiles.writeAtomically(plain, new byte[] {1, 2, 3});
    HadoopFiles.writeAtomically(uri, "hello".getBytes(StandardCharsets.UTF_8));
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(dir.resolve("a/b/plain.bin")));
    assertEquals("hello", new String(HadoopFiles.readAllBytes(uri), StandardCharsets.UTF_8));
    HadoopFiles.writeAtomically(plain, new byte[] {9});
    assertArrayEquals(new byte[] {9}, HadoopFiles.readAllBytes(plain), "rewrite replaces");
    try (Stream<java.nio.file.Path> all = Files.walk(dir)) {
      List<String> names =
          all.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(List.of("plain.bin", "uri.bin"), names, "no temporary or .crc files remain");
    }
    assertEquals(2, HadoopFiles.listFiles(new Path(dir.toString())).size());
  }

  @Test
  void failedWriteLeavesNoFile() {
    Path target = new Path(dir.resolve("x.bin").toString());
    assertThrows(
        IllegalStateException.class,
        () ->
            HadoopFiles.writeAtomically(
                target,
                out -> {
                  out.write(new byte[100]);
                  throw new IllegalStateException("boom");
                }));
    assertFalse(HadoopFiles.exists(target));
    assertEquals(0, dir.toFile().list().length, "temporary file removed");
  }

  @Test
  void missingFileIsNamed() {
    Path missing = new Path(dir.resolve("missing.png").toString());
    UncheckedIOException e =
        assertThrows(UncheckedIOException.class, () -> HadoopFiles.readAllBytes(missing));
    assertTrue(e.getMessage().contains("missing.png"), e.getMessage());
  }

  @Test
  void listingSkipsHiddenFiles() throws IOException {
    Files.createDirectories(dir.resolve("_temporary"));
    Files.write(dir.resolve("_temporary/part"), new byte[1]);
    Files.write(dir.resolve(".hidden"), new byte[1]);
    Files.write(dir.resolve("visible"), new byte[1]);
    List<Path> files = HadoopFiles.listFiles(new Path(dir.toString()));
    assertEquals(1, files.size());
    assertEquals("visible", files.get(0).getName());
  }

  @Test
  void parquetTableRoundTripsAndUncommittedWriterLeavesNothing() {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message t { required int32 id; required binary name (STRING); required double score; }");
    Path file = new Path(dir.resolve("t.parquet").toString());
    try (ParquetTableWriter w = new ParquetTableWriter(file, schema)) {
      for (int i = 0; i < 50; i++) {
        Group g = w.newRow();
        g.add("id", i);
        g.add("name", "n" + i);
        g.add("score", i / 4.0);
        w.write(g);
      }
      assertEquals(50, w.count());
      w.commit();
    }
    List<Group> rows = ParquetTableReader.readAll(file);
    assertEquals(50, rows.size());
    assertEquals(49, rows.get(49).getInteger("id", 0));
    assertEquals("n7", rows.get(7).getString("name", 0));
    assertEquals(12.25, rows.get(49).getDouble("score", 0));
    assertEquals(schema, ParquetTableReader.schema(file));

    Path abandoned = new Path(dir.resolve("abandoned.parquet").toString());
    try (ParquetTableWriter w = new ParquetTableWriter(abandoned, schema)) {
      Group g = w.newRow();
      g.add("id", 1);
      g.add("name", "x");
      g.add("score", 1.0);
      w.write(g);
    }
    assertFalse(HadoopFiles.exists(abandoned));
    assertEquals(List.of("t.parquet"), Stream.of(dir.toFile().list()).sorted().toList());
  }

  @Test
  void relativePathsResolveAgainstTheWorkDir() {
    assertEquals("work/identities", HadoopPaths.resolveAgainst("work", "identities"));
    assertEquals("hdfs:///x/identities", HadoopPaths.resolveAgainst("hdfs:///x/", "identities"));
    assertEquals("/abs/p", HadoopPaths.resolveAgainst("work", "/abs/p"));
    assertEquals("s3a://bucket/p", HadoopPaths.resolveAgainst("work", "s3a://bucket/p"));
  }

  @Test
  void parquetPartsAreTheFileOrTheDirectorysOwnPartsInNameOrder() throws IOException {
    java.nio.file.Path table = Files.createDirectories(dir.resolve("t.parquet"));
    for (String name :
        List.of(
            "part-00002.parquet", "part-00000.parquet", "_SUCCESS", ".part-00001.parquet.crc")) {
      Files.write(table.resolve(name), new byte[] {1});
    }
    Files.createDirectories(table.resolve("nested"));
    Files.write(table.resolve("nested/part-00009.parquet"), new byte[] {1});
    List<String> parts =
        ParquetTableReader.parts(new Path(table.toString())).stream().map(Path::getName).toList();
    assertEquals(List.of("part-00000.parquet", "part-00002.parquet"), parts);
    Path single = new Path(table.resolve("part-00000.parquet").toString());
    assertEquals(List.of(HadoopFiles.qualified(single)), ParquetTableReader.parts(single));
    assertTrue(
        ParquetTableReader.parts(new Path(dir.resolve("absent.parquet").toString())).isEmpty());
  }
}
