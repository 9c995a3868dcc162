package org.cemiface.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchCheckpointTest {
  @Test
  void lightningCheckpointYieldsThePrefixedStateDictAndSkipsTheRest() {
    TorchCheckpoint ckpt = TorchCheckpoint.open(Fixtures.path("ir18_small.ckpt").toString());
    Map<String, TensorData> sd = ckpt.stateDict("model.");
    assertTrue(sd.containsKey("input_layer.0.weight"));
    assertFalse(sd.containsKey("head.kernel"), "entries outside the prefix are skipped");
    assertEquals("[8, 3, 3, 3]", sd.get("input_layer.0.weight").shapeText());
    assertEquals("[64, 3136]", sd.get("output_layer.3.weight").shapeText());
    Map<?, ?> root = (Map<?, ?>) ckpt.root();
    assertEquals(3L, root.get("epoch"));
    Object hp = root.get("hyper_parameters");
    assertTrue(
        hp instanceof PythonObjects.Placeholder p
            && p.type().toString().equals("argparse.Namespace"),
        String.valueOf(hp));
    Map<?, ?> state = (Map<?, ?>) ((PythonObjects.Placeholder) hp).state();
    assertEquals("ir_18", state.get("arch"), "Namespace attributes are kept as data");
  }

  @Test
  void float16StateDictIsReadAsFloat32() {
    TorchCheckpoint ckpt = TorchCheckpoint.open(Fixtures.path("unet_small.pt").toString());
    Map<String, TensorData> sd = ckpt.stateDict("");
    assertEquals("[128, 32]", sd.get("time_embed.0.weight").shapeText());
    float v = sd.get("time_embed.0.weight").data()[0];
    assertTrue(Float.isFinite(v) && v != 0f);
  }

  @Test
  void maliciousPickleIsRefusedAndNothingRuns() throws Exception {
    Path marker = Path.of("/tmp/cemiface-pwned");
    Files.deleteIfExists(marker);
    UnsafePickleException e =
        assertThrows(
            UnsafePickleException.class,
            () -> TorchCheckpoint.open(Fixtures.path("malicious.pt").toString()));
    assertTrue(
        e.getMessage().contains("posix.system") || e.getMessage().contains("os.system"),
        e.getMessage());
    assertTrue(e.getMessage().contains("Nothing was executed"), e.getMessage());
    assertFalse(Files.exists(marker));
  }

  @Test
  void halfFloatConversionHandlesEdgeCases() {
    assertEquals(1.0f, TensorData.DType.halfToFloat((short) 0x3C00));
    assertEquals(-2.0f, TensorData.DType.halfToFloat((short) 0xC000));
    assertEquals(65504f, TensorData.DType.halfToFloat((short) 0x7BFF));
    assertEquals(5.9604645e-8f, TensorData.DType.halfToFloat((short) 0x0001));
    assertTrue(Float.isInfinite(TensorData.DType.halfToFloat((short) 0x7C00)));
  }

  @Test
  void nonZipFileIsAClearError(@TempDir Path dir) throws Exception {
    Path legacy = dir.resolve("legacy.pt");
    Files.write(legacy, new byte[] {(byte) 0x80, 2, 'N', '.'});
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TorchCheckpoint.open(legacy.toString()));
    assertTrue(e.getMessage().contains("not a zip-format torch.save file"), e.getMessage());
  }

  @Test
  void tensorsClaimingMoreThanTheirStorageAreRefusedBeforeAllocation(@TempDir Path dir)
      throws Exception {
    // 2^40 elements over a 4-element storage: refused from the shape, not by running out of memory.
    Path huge = dir.resolve("huge.pt");
    Files.write(huge, checkpoint(1 << 20, 1 << 20, 1 << 20, 0));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TorchCheckpoint.open(huge.toString()).stateDict(""));
    assertTrue(e.getMessage().contains("does not fit its storage of 4 elements"), e.getMessage());

    // A 2x2 view starting at element 1 reaches element 4 of a 4-element storage.
    Path shifted = dir.resolve("shifted.pt");
    Files.write(shifted, checkpoint(2, 2, 2, 1));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TorchCheckpoint.open(shifted.toString()).stateDict(""));
    assertTrue(e.getMessage().contains("offset 1) does not fit"), e.getMessage());

    // The same record within bounds reads back.
    Path fine = dir.resolve("fine.pt");
    Files.write(fine, checkpoint(2, 2, 2, 0));
    assertEquals(4, TorchCheckpoint.open(fine.toString()).stateDict("").get("w").data().length);
  }

  @Test
  void truncatedOrLyingPicklesFailWithTheirPosition(@TempDir Path dir) throws Exception {
    // BINUNICODE claiming 2 GB with three bytes left.
    byte[] lying = {
      (byte) 0x80, 2, 'X', (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 'a', 'b', '.'
    };
    Path file = dir.resolve("lying.pt");
    Files.write(file, zip(lying, new byte[0]));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TorchCheckpoint.open(file.toString()));
    assertTrue(e.getMessage().contains("pickle claims 2147483647 bytes at byte 7"), e.getMessage());

    // TUPLE with no MARK, then a pickle cut off before its STOP.
    for (byte[] bad : new byte[][] {{(byte) 0x80, 2, 't', '.'}, {(byte) 0x80, 2, '}'}}) {
      Files.write(file, zip(bad, new byte[0]));
      e = assertThrows(IllegalArgumentException.class, () -> TorchCheckpoint.open(file.toString()));
      assertTrue(e.getMessage().contains("pickle"), e.getMessage());
    }
  }

  @Test
  void aCompressedEntryThatWouldInflateAThousandfoldIsRefusedUnread(@TempDir Path dir)
      throws Exception {
    // 64 MB of zeros deflate to about 64 KB.
    Path bomb = dir.resolve("bomb.pt");
    Files.write(bomb, zip(pickle(2, 2, 2, 0), new byte[64 << 20]));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TorchCheckpoint.open(bomb.toString()));
    assertTrue(e.getMessage().contains("archive/data/0 declares 67108864 bytes"), e.getMessage());
  }

  /**
   * A torch.save zip holding {'w': a float tensor of shape (rows, cols), stride (rowStride, 1) at
   * {@code offset} over a 4-element storage}, pickled by hand (protocol 2).
   */
  private static byte[] checkpoint(int rows, int cols, int rowStride, int offset) throws Exception {
    ByteBuffer storage = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    storage.putFloat(1).putFloat(2).putFloat(3).putFloat(4);
    return zip(pickle(rows, cols, rowStride, offset), storage.array());
  }

  /** The pickle of {@link #checkpoint}. */
  private static byte[] pickle(int rows, int cols, int rowStride, int offset) throws Exception {
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.write(new byte[] {(byte) 0x80, 2, '}'});
    unicode(p, "w");
    global(p, "torch._utils", "_rebuild_tensor_v2");
    p.write('(');
    p.write('(');
    unicode(p, "storage");
    global(p, "torch", "FloatStorage");
    unicode(p, "0");
    unicode(p, "cpu");
    binint(p, 4);
    p.write('t');
    p.write('Q');
    binint(p, offset);
    binint(p, rows);
    binint(p, cols);
    p.write(0x86);
    binint(p, rowStride);
    binint(p, 1);
    p.write(0x86);
    p.write(0x89);
    global(p, "collections", "OrderedDict");
    p.write(')');
    p.write('R');
    p.write('t');
    p.write('R');
    p.write('s');
    p.write('.');
    return p.toByteArray();
  }

  private static byte[] zip(byte[] pickle, byte[] storage) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      z.putNextEntry(new ZipEntry("archive/data.pkl"));
      z.write(pickle);
      z.putNextEntry(new ZipEntry("archive/data/0"));
      z.write(storage);
      z.putNextEntry(new ZipEntry("archive/version"));
      z.write("3\n".getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  private static void unicode(ByteArrayOutputStream p, String s) throws Exception {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    p.write('X');
    p.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
    p.write(b);
  }

  private static void global(ByteArrayOutputStream p, String module, String name) throws Exception {
    p.write(('c' + module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static void binint(ByteArrayOutputStream p, int v) throws Exception {
    p.write('J');
    p.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
  }
}
