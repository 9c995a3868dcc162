package org.cemiface.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
}
