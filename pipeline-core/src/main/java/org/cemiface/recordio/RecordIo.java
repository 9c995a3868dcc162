package org.cemiface.recordio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * MXNet RecordIO framing and the insightface image header, as insightface/AdaFace training reads
 * {@code train.rec}/{@code train.idx}: each record is magic 0xced7230a, a length word (low 29 bits
 * length, high 3 bits continuation flag), the payload and zero padding to 4 bytes. The payload is
 * an IRHeader (uint32 flag, float32 label, uint64 id, uint64 id2), {@code flag} extra float32
 * labels when flag &gt; 0, then the encoded image.
 */
public final class RecordIo {
  /** Record magic number. */
  public static final int MAGIC = 0xced7230a;

  /** Bytes of the fixed IRHeader. */
  public static final int HEADER_BYTES = 24;

  private RecordIo() {}

  /** A decoded payload: header fields, extra labels and the image bytes. */
  public record Payload(int flag, float label, long id, long id2, float[] labels, byte[] image) {
    /** The class label: the single label, or the first extra label when there are several. */
    public float primaryLabel() {
      return flag > 0 ? labels[0] : label;
    }
  }

  /** Encodes a payload. */
  public static byte[] payload(
      int flag, float label, long id, long id2, float[] labels, byte[] image) {
    ByteBuffer b =
        ByteBuffer.allocate(HEADER_BYTES + 4 * labels.length + image.length)
            .order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(flag).putFloat(label).putLong(id).putLong(id2);
    for (float l : labels) {
      b.putFloat(l);
    }
    b.put(image);
    return b.array();
  }

  /** Decodes a payload; {@code source} names the record in errors. */
  public static Payload parse(byte[] payload, String source) {
    if (payload.length < HEADER_BYTES) {
      throw new IllegalArgumentException(
          source + ": record of " + payload.length + " bytes has no IRHeader");
    }
    ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    int flag = b.getInt();
    float label = b.getFloat();
    long id = b.getLong();
    long id2 = b.getLong();
    if (flag < 0 || HEADER_BYTES + 4L * flag > payload.length) {
      throw new IllegalArgumentException(
          source + ": IRHeader flag " + flag + " does not fit the record");
    }
    float[] labels = new float[flag];
    for (int i = 0; i < flag; i++) {
      labels[i] = b.getFloat();
    }
    byte[] image = new byte[b.remaining()];
    b.get(image);
    return new Payload(flag, label, id, id2, labels, image);
  }

  /** The framed record bytes for {@code payload} (magic, length, data, padding). */
  public static byte[] frame(byte[] payload) {
    if (payload.length >= (1 << 29)) {
      throw new IllegalArgumentException(
          "record of " + payload.length + " bytes exceeds RecordIO's 512 MiB limit");
    }
    int padded = (payload.length + 3) & ~3;
    ByteBuffer b = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(MAGIC).putInt(payload.length);
    b.put(payload);
    return b.array();
  }
}
