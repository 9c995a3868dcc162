package org.cemiface.training.optim;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Named float buffers of an optimizer (moments, momentum) plus its step, for exact resume. */
public final class OptimizerState {
  private static final int MAGIC = 0xCE31F0A7;

  private OptimizerState() {}

  /** Writes {@code step} and the buffers. */
  public static void write(DataOutputStream out, long step, Map<String, float[]> buffers)
      throws IOException {
    out.writeInt(MAGIC);
    out.writeLong(step);
    out.writeInt(buffers.size());
    for (Map.Entry<String, float[]> e : buffers.entrySet()) {
      out.writeUTF(e.getKey());
      out.writeInt(e.getValue().length);
      for (float v : e.getValue()) {
        out.writeFloat(v);
      }
    }
  }

  /** Reads what {@link #write} wrote; returns the step and fills {@code buffers}. */
  public static long read(DataInputStream in, Map<String, float[]> buffers, String source)
      throws IOException {
    if (in.readInt() != MAGIC) {
      throw new IOException(source + " is not an optimizer state file");
    }
    long step = in.readLong();
    int n = in.readInt();
    Map<String, float[]> read = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String key = in.readUTF();
      float[] v = new float[in.readInt()];
      for (int j = 0; j < v.length; j++) {
        v[j] = in.readFloat();
      }
      read.put(key, v);
    }
    buffers.putAll(read);
    return step;
  }
}
