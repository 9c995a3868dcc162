package org.cemiface.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {
  private static byte[] encode(BufferedImage img, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(img, format, out), "no writer for " + format);
    return out.toByteArray();
  }

  private static RgbImage gradient(int w, int h) {
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        rgb[i] = (byte) (x * 255 / (w - 1));
        rgb[i + 1] = (byte) (y * 255 / (h - 1));
        rgb[i + 2] = (byte) ((x + y) * 7);
      }
    }
    return new RgbImage(w, h, rgb);
  }

  @Test
  void aPngDeclaringHugeDimensionsIsRefusedFromItsHeader() throws IOException {
    // A 57-byte PNG that declares 20,000 x 20,000 RGB pixels (a 1.2 GB raster) and holds no data.
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13);
    ihdr.putInt(20_000).putInt(20_000).put((byte) 8).put((byte) 2).put(new byte[3]);
    chunk(png, "IHDR", ihdr.array());
    chunk(png, "IEND", new byte[0]);
    ImageDecodeException e =
        assertThrows(
            ImageDecodeException.class, () -> ImageDecoder.decode(png.toByteArray(), "bomb.png"));
    assertTrue(e.getMessage().contains("bomb.png"), e.getMessage());
    assertTrue(
        e.getMessage().contains("declares 20000 × 20000 pixels, over the limit"), e.getMessage());
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data)
      throws IOException {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(t);
    crc.update(data);
    out.write(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
    out.write(t);
    out.write(data);
    out.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  @Test
  void rgbPngDecodesExactly() {
    RgbImage src = gradient(17, 9);
    assertEquals(src, ImageDecoder.decode(ImageEncoder.png(src), "rgb.png"));
  }

  @Test
  void grayscalePngKeepsItsValues() throws IOException {
    BufferedImage gray = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_GRAY);
    gray.getRaster().setSamples(0, 0, 4, 1, 0, new int[] {0, 10, 128, 255});
    RgbImage d = ImageDecoder.decode(encode(gray, "png"), "gray.png");
    // getRGB would brighten 10 to ~57 (linear-to-sRGB); the raster value must survive.
    for (int x = 0; x < 4; x++) {
      int v = new int[] {0, 10, 128, 255}[x];
      assertEquals(v, d.channel(x, 0, 0));
      assertEquals(v, d.channel(x, 0, 1));
      assertEquals(v, d.channel(x, 0, 2));
    }
  }

  @Test
  void sixteenBitGrayPngScalesTo8Bit() throws IOException {
    BufferedImage g16 = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
    g16.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 32896, 65535});
    RgbImage d = ImageDecoder.decode(encode(g16, "png"), "g16.png");
    assertEquals(0, d.channel(0, 0, 0));
    assertEquals(128, d.channel(1, 0, 1));
    assertEquals(255, d.channel(2, 0, 2));
  }

  @Test
  void sixteenBitRgbPngScalesTo8Bit() throws IOException {
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_USHORT);
    WritableRaster raster = cm.createCompatibleWritableRaster(2, 1);
    raster.setPixel(0, 0, new int[] {65535, 0, 257 * 100});
    raster.setPixel(1, 0, new int[] {257 * 7, 65535, 0});
    byte[] png = encode(new BufferedImage(cm, raster, false, null), "png");
    RgbImage d = ImageDecoder.decode(png, "rgb16.png");
    assertArrayEquals(new byte[] {(byte) 255, 0, 100, 7, (byte) 255, 0}, d.data());
  }

  @Test
  void palettePngMapsThroughItsPalette() throws IOException {
    byte[] r = {(byte) 200, 10};
    byte[] g = {20, (byte) 220};
    byte[] b = {30, 40};
    BufferedImage indexed =
        new BufferedImage(
            2, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, g, b));
    indexed.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {1, 0});
    RgbImage d = ImageDecoder.decode(encode(indexed, "png"), "palette.png");
    assertArrayEquals(new byte[] {10, (byte) 220, 40, (byte) 200, 20, 30}, d.data());
  }

  @Test
  void alphaIsDropped() throws IOException {
    BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x10_C8_64_32);
    RgbImage d = ImageDecoder.decode(encode(argb, "png"), "alpha.png");
    assertArrayEquals(new byte[] {(byte) 0xC8, 0x64, 0x32}, d.data());
  }

  @Test
  void jpegDecodesCloseToTheOriginal() {
    RgbImage src = gradient(32, 32);
    RgbImage d = ImageDecoder.decode(ImageEncoder.jpeg(src, 95), "x.jpg");
    assertEquals(32, d.width());
    assertTrue(src.meanAbsDifference(d) < 4, "mean abs diff " + src.meanAbsDifference(d));
  }

  @Test
  void grayscaleJpegDecodes() throws IOException {
    BufferedImage gray = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
    int[] v = new int[256];
    Arrays.fill(v, 90);
    gray.getRaster().setSamples(0, 0, 16, 16, 0, v);
    RgbImage d = ImageDecoder.decode(encode(gray, "jpeg"), "gray.jpg");
    assertTrue(Math.abs(d.channel(8, 8, 0) - 90) <= 2, "got " + d.channel(8, 8, 0));
    assertEquals(d.channel(8, 8, 0), d.channel(8, 8, 2));
  }

  @Test
  void emptyFileIsNamed() {
    ImageDecodeException e =
        assertThrows(
            ImageDecodeException.class, () -> ImageDecoder.decode(new byte[0], "a/empty.png"));
    assertEquals("a/empty.png: file is empty", e.getMessage());
    assertEquals("a/empty.png", e.source());
  }

  @Test
  void nonImageIsNamedWithItsFirstBytes() {
    byte[] text = "hello world".getBytes(StandardCharsets.US_ASCII);
    ImageDecodeException e =
        assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(text, "notes.png"));
    assertEquals(
        "notes.png: not a PNG or JPEG image (starts with bytes 68656c6c6f20776f)", e.getMessage());
  }

  @Test
  void truncatedPngIsRejected() {
    byte[] png = ImageEncoder.png(gradient(40, 40));
    byte[] cut = Arrays.copyOf(png, png.length / 2);
    ImageDecodeException e =
        assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(cut, "cut.png"));
    assertEquals("cut.png: truncated PNG (no IEND chunk at the end)", e.getMessage());
  }

  @Test
  void truncatedJpegIsRejected() {
    byte[] jpg = ImageEncoder.jpeg(gradient(64, 64), 90);
    byte[] cut = Arrays.copyOf(jpg, jpg.length * 2 / 3);
    ImageDecodeException e =
        assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(cut, "cut.jpg"));
    assertTrue(e.getMessage().startsWith("cut.jpg: corrupt"), e.getMessage());
  }

  @Test
  void corruptPngBodyIsRejected() {
    byte[] png = ImageEncoder.png(gradient(40, 40));
    byte[] bad = png.clone();
    for (int i = 60; i < bad.length - 20; i++) {
      bad[i] = (byte) 0xAB;
    }
    ImageDecodeException e =
        assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(bad, "bad.png"));
    assertTrue(e.getMessage().startsWith("bad.png: corrupt or truncated PNG"), e.getMessage());
  }
}
