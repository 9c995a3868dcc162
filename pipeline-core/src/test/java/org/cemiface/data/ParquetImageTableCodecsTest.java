package org.cemiface.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.cemiface.image.ImageEncoder;
import org.cemiface.image.RgbImage;
import org.cemiface.io.HadoopPaths;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Image tables written by other tools come compressed with whatever codec they chose (Spark: snappy
 * by default, lz4 or zstd on request; pyarrow: snappy; polars: zstd): each one this installation
 * can decode reads back byte for byte (LZ4 needs lz4-java, which the standalone jars carry for
 * this), the others are refused naming the file.
 */
class ParquetImageTableCodecsTest {
  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message t { required binary image; required int64 label; }");

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(
      value = CompressionCodecName.class,
      names = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZ4", "LZ4_RAW", "ZSTD"})
  void aTableInEachDecodableCodecReadsBackByteForByte(CompressionCodecName codec)
      throws IOException {
    Path file = dir.resolve(codec + ".parquet");
    byte[][] images = write(file, codec);
    List<ImageEntry> entries = ParquetImageTable.list(file.toString());
    assertEquals(images.length, entries.size());
    for (int i = 0; i < images.length; i++) {
      assertEquals(i, entries.get(i).label());
      assertArrayEquals(images[i], ImageBytes.read(entries.get(i)), codec + " row " + i);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = CompressionCodec.class,
      names = {"LZO", "BROTLI"})
  void aCodecWithoutItsLibraryIsRefusedNamingTheFileAndWhatToDo(CompressionCodec codec)
      throws IOException {
    // Writing would need the codec too: an uncompressed table whose footer then claims it.
    Path file = dir.resolve(codec + ".parquet");
    write(file, CompressionCodecName.UNCOMPRESSED);
    claimCodec(file, codec);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> {
              for (ImageEntry entry : ParquetImageTable.list(file.toString())) {
                ImageBytes.read(entry);
              }
            });
    assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
    assertTrue(
        e.getMessage().contains("uses a compression codec this installation cannot decode")
            && e.getMessage().contains(codec == CompressionCodec.LZO ? "LzoCodec" : "BrotliCodec")
            && e.getMessage().contains("rewrite it with snappy"),
        e.getMessage());
  }

  /** Rewrites the footer of {@code file} so that every column chunk claims {@code codec}. */
  private static void claimCodec(Path file, CompressionCodec codec) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int footerLength =
        ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int footerStart = bytes.length - 8 - footerLength;
    FileMetaData meta =
        Util.readFileMetaData(new ByteArrayInputStream(bytes, footerStart, footerLength));
    for (RowGroup group : meta.getRow_groups()) {
      for (ColumnChunk column : group.getColumns()) {
        column.getMeta_data().setCodec(codec);
      }
    }
    ByteArrayOutputStream footer = new ByteArrayOutputStream();
    Util.writeFileMetaData(meta, footer);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(bytes, 0, footerStart);
    footer.writeTo(out);
    out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(footer.size()).array());
    out.write("PAR1".getBytes(StandardCharsets.US_ASCII));
    Files.write(file, out.toByteArray());
  }

  /** Writes three rows of PNG images with labels 0, 1, 2 and returns the images' bytes. */
  private static byte[][] write(Path file, CompressionCodecName codec) throws IOException {
    byte[][] images = new byte[3][];
    SimpleGroupFactory rows = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(
                HadoopOutputFile.fromPath(
                    new org.apache.hadoop.fs.Path(file.toString()), HadoopPaths.configuration()))
            .withType(SCHEMA)
            .withConf(HadoopPaths.configuration())
            .withCompressionCodec(codec)
            .build()) {
      for (int i = 0; i < images.length; i++) {
        byte[] px = new byte[8 * 8 * 3];
        for (int k = 0; k < px.length; k++) {
          px[k] = (byte) (k * (i + 3));
        }
        images[i] = ImageEncoder.png(new RgbImage(8, 8, px));
        Group g = rows.newGroup();
        g.add("image", Binary.fromConstantByteArray(images[i]));
        g.add("label", (long) i);
        w.write(g);
      }
    }
    return images;
  }
}
