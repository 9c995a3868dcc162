package org.cemiface.recordio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordIoMergeTest {
  @TempDir Path dir;

  private org.apache.hadoop.fs.Path part(String name, RecordIoPart p) throws Exception {
    Files.write(dir.resolve(name + ".rec"), p.recordBytes());
    Files.write(dir.resolve(name + ".idx"), p.indexBytes());
    return new org.apache.hadoop.fs.Path(dir.resolve(name + ".rec").toString());
  }

  @Test
  void mergedPartsReadBackThroughTheProjectReader() throws Exception {
    RecordIoPart a = new RecordIoPart(1);
    a.add(0, new byte[] {1});
    a.add(0, new byte[] {2, 2});
    a.add(1, new byte[] {3, 3, 3});
    RecordIoPart b = new RecordIoPart(4);
    b.add(1, new byte[] {4});
    b.add(2, new byte[] {5, 5, 5, 5, 5});
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(dir.resolve("merged").toString());
    RecordIoMerge.Result r = RecordIoMerge.merge(List.of(part("a", a), part("b", b)), out, 8, 8);
    assertEquals(5, r.images());
    assertEquals(3, r.identities());
    try (RecordIoSource source = new RecordIoSource(out)) {
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L), source.imageKeys());
      assertEquals(1f, source.read(4).primaryLabel());
      assertEquals(5, source.read(5).image().length);
      assertEquals(2f, source.read(5).label());
    }
    assertEquals("3,8,8", Files.readString(dir.resolve("merged/property")));
  }

  @Test
  void aMissingPartIsAnErrorNotAShortDataset() throws Exception {
    RecordIoPart a = new RecordIoPart(1);
    a.add(0, new byte[] {1});
    RecordIoPart c = new RecordIoPart(3);
    c.add(1, new byte[] {1});
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(dir.resolve("merged").toString());
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> RecordIoMerge.merge(List.of(part("a", a), part("c", c)), out, 8, 8));
    assertTrue(e.getMessage().contains("record key 3 where 2 was expected"), e.getMessage());
  }
}
