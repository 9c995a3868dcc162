package org.cemiface.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes either decode to a consistent image or fail with {@link ImageDecodeException} naming
 * the source; CI replays the committed inputs, {@code JAZZER_FUZZ=1} fuzzes (docs/reliability.md).
 */
class ImageDecoderFuzzTest {
  @FuzzTest(maxDuration = "2m")
  void decodeReturnsAnImageOrANamedError(byte[] bytes) {
    RgbImage image;
    try {
      image = ImageDecoder.decode(bytes, "fuzz.png");
    } catch (ImageDecodeException e) {
      assertTrue(e.getMessage().contains("fuzz.png"), e.getMessage());
      return;
    }
    assertTrue(image.width() > 0 && image.height() > 0);
    assertFalse((long) image.width() * image.height() > ImageDecoder.MAX_PIXELS);
    assertEquals((long) image.width() * image.height() * 3, image.data().length);
  }
}
