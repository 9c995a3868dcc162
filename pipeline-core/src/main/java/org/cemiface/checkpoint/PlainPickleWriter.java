package org.cemiface.checkpoint;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Writes the plain data Python tools exchange as pickles (a tuple of lists of {@code bytes} and
 * {@code bool}), at protocol 3 so Python 3 reads {@code bytes} back as bytes. The opcodes are the
 * ones Python's pickler writes, without memo entries (what {@code pickletools.optimize} leaves):
 * the file holds values, no references, and {@link SafePickle} reads it.
 */
public final class PlainPickleWriter {
  /** Python's pickler appends list items in batches of this many. */
  private static final int BATCH = 1000;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** Starts a protocol-3 pickle. */
  public PlainPickleWriter() {
    out.write(PickleOpcode.PROTO);
    out.write(3);
  }

  /** Pushes a list of byte strings. */
  public PlainPickleWriter bytesList(List<byte[]> items) {
    list(
        items.size(),
        i -> {
          byte[] b = items.get(i);
          if (b.length < 256) {
            out.write(PickleOpcode.SHORT_BINBYTES);
            out.write(b.length);
          } else {
            out.write(PickleOpcode.BINBYTES);
            writeInt32(b.length);
          }
          out.writeBytes(b);
        });
    return this;
  }

  /** Pushes a list of booleans. */
  public PlainPickleWriter boolList(boolean[] items) {
    list(items.length, i -> out.write(items[i] ? PickleOpcode.NEWTRUE : PickleOpcode.NEWFALSE));
    return this;
  }

  /**
   * A list as CPython's pickler writes it: batches of 1,000 items, each MARK … APPENDS, except a
   * list of one item, which is written with APPEND.
   */
  private void list(int size, IntConsumer item) {
    out.write(PickleOpcode.EMPTY_LIST);
    if (size == 1) {
      item.accept(0);
      out.write(PickleOpcode.APPEND);
      return;
    }
    for (int from = 0; from < size; from += BATCH) {
      out.write(PickleOpcode.MARK);
      for (int i = from; i < Math.min(size, from + BATCH); i++) {
        item.accept(i);
      }
      out.write(PickleOpcode.APPENDS);
    }
  }

  /** Packs the two values pushed last into a tuple. */
  public PlainPickleWriter tuple2() {
    out.write(PickleOpcode.TUPLE2);
    return this;
  }

  /** The finished pickle. */
  public byte[] finish() {
    out.write(PickleOpcode.STOP);
    return out.toByteArray();
  }

  private void writeInt32(int v) {
    out.write(v);
    out.write(v >>> 8);
    out.write(v >>> 16);
    out.write(v >>> 24);
  }
}
