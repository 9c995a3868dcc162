package org.cemiface.jobs.generate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent reader of insightface RecordIO written from the format description (not the
 * project's reader): records of magic 0xCED7230A, a length word with the continuation flag in its
 * top 3 bits, the payload padded to 4 bytes; payload = IRHeader (uint32 flag, float32 label, uint64
 * id, uint64 id2, little-endian), flag extra float labels, image bytes; train.idx lines
 * "key\toffset".
 */
final class RecordIoFiles {
  record Record(
      long offset, int flag, float label, long id, long id2, float[] labels, byte[] image) {}

  static List<Record> readSequentially(Path rec) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(rec)).order(ByteOrder.LITTLE_ENDIAN);
    List<Record> out = new ArrayList<>();
    while (b.hasRemaining()) {
      long offset = b.position();
      int magic = b.getInt();
      if (magic != 0xCED7230A) {
        throw new IOException("bad magic at " + offset);
      }
      int word = b.getInt();
      int cflag = word >>> 29;
      int length = word & ((1 << 29) - 1);
      if (cflag != 0) {
        throw new IOException("unexpected continuation flag " + cflag + " at " + offset);
      }
      int start = b.position();
      int flag = b.getInt();
      float label = b.getFloat();
      long id = b.getLong();
      long id2 = b.getLong();
      float[] labels = new float[flag];
      for (int i = 0; i < flag; i++) {
        labels[i] = b.getFloat();
      }
      byte[] image = new byte[length - (b.position() - start)];
      b.get(image);
      int pad = (4 - length % 4) % 4;
      for (int i = 0; i < pad; i++) {
        if (b.get() != 0) {
          throw new IOException("non-zero padding at " + offset);
        }
      }
      out.add(new Record(offset, flag, label, id, id2, labels, image));
    }
    return out;
  }

  static Map<Long, Long> readIndex(Path idx) throws IOException {
    Map<Long, Long> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(idx)) {
      String[] f = line.split("\t");
      if (f.length != 2) {
        throw new IOException("idx line is not key\\toffset: " + line);
      }
      out.put(Long.parseLong(f[0]), Long.parseLong(f[1]));
    }
    return out;
  }
}
