package org.cemiface.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.cemiface.checkpoint.PythonObjects.Global;
import org.cemiface.checkpoint.PythonObjects.Tuple;

/** A tensor read from a checkpoint, converted to float32, in C order with its shape. */
public record TensorData(long[] shape, float[] data) {
  /** Copies the shape. */
  public TensorData {
    shape = shape.clone();
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
    }
  }

  /** The shape as text, e.g. [64, 3, 3, 3]. */
  public String shapeText() {
    return Arrays.toString(shape);
  }

  /** Element data types of torch storages. */
  enum DType {
    F32(4),
    F16(2),
    BF16(2),
    F64(8),
    I64(8),
    I32(4),
    I16(2),
    I8(1),
    U8(1),
    BOOL(1);

    final int bytes;

    DType(int bytes) {
      this.bytes = bytes;
    }

    /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
      int bits = h & 0xFFFF;
      int sign = (bits & 0x8000) << 16;
      int exp = (bits >>> 10) & 0x1F;
      int mant = bits & 0x3FF;
      if (exp == 0) {
        float v = mant * 0x1p-24f;
        return sign == 0 ? v : -v;
      }
      if (exp == 31) {
        return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
      }
      return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    static DType ofStorage(Global storageType, String source) {
      return switch (storageType.name()) {
        case "FloatStorage" -> F32;
        case "HalfStorage" -> F16;
        case "BFloat16Storage" -> BF16;
        case "DoubleStorage" -> F64;
        case "LongStorage" -> I64;
        case "IntStorage" -> I32;
        case "ShortStorage" -> I16;
        case "CharStorage" -> I8;
        case "ByteStorage" -> U8;
        case "BoolStorage" -> BOOL;
        default ->
            throw new IllegalArgumentException(
                source + ": unsupported storage type " + storageType);
      };
    }

    float read(ByteBuffer b, long index) {
      int at = Math.toIntExact(index * bytes);
      return switch (this) {
        case F32 -> b.getFloat(at);
        case F16 -> halfToFloat(b.getShort(at));
        case BF16 -> Float.intBitsToFloat((b.getShort(at) & 0xFFFF) << 16);
        case F64 -> (float) b.getDouble(at);
        case I64 -> b.getLong(at);
        case I32 -> b.getInt(at);
        case I16 -> b.getShort(at);
        case I8 -> b.get(at);
        case U8, BOOL -> b.get(at) & 0xFF;
      };
    }
  }

  /** A storage named by a persistent id: ('storage', type, key, location, numel). */
  record StorageRef(DType dtype, String key, long numel) {
    static StorageRef of(Object pid, String source) {
      if (!(pid instanceof Tuple t)
          || t.size() < 5
          || !"storage".equals(t.get(0))
          || !(t.get(1) instanceof Global g)) {
        throw new IllegalArgumentException(
            source + ": unexpected persistent id " + PythonObjects.describe(pid));
      }
      return new StorageRef(
          DType.ofStorage(g, source), String.valueOf(t.get(2)), ((Number) t.get(4)).longValue());
    }
  }

  /** A tensor view over a storage, as _rebuild_tensor_v2 describes it; materialised on demand. */
  public record Ref(StorageRef storage, long offset, long[] shape, long[] stride) {
    static Ref of(List<Object> args, String source) {
      if (args.size() < 4
          || !(args.get(0) instanceof StorageRef s)
          || !(args.get(1) instanceof Number offset)
          || !(args.get(2) instanceof Tuple shape)
          || !(args.get(3) instanceof Tuple stride)
          || shape.size() != stride.size()) {
        throw new IllegalArgumentException(
            source + ": malformed tensor record, " + PythonObjects.describe(args));
      }
      return new Ref(s, offset.longValue(), longs(shape, source), longs(stride, source));
    }

    private static long[] longs(Tuple tuple, String source) {
      List<Object> items = tuple.items();
      long[] out = new long[items.size()];
      for (int i = 0; i < out.length; i++) {
        if (!(items.get(i) instanceof Number n) || n.longValue() < 0) {
          throw new IllegalArgumentException(
              source + ": malformed tensor shape or stride, " + PythonObjects.describe(tuple));
        }
        out[i] = n.longValue();
      }
      return out;
    }

    /**
     * The element count, checked against the storage before anything is allocated: a record that
     * claims more elements, or a view reaching past its storage's {@code storageElements}, is
     * refused.
     */
    long checkedSize(long storageElements, String source) {
      try {
        long n = 1;
        long last = offset;
        for (int d = 0; d < shape.length; d++) {
          n = Math.multiplyExact(n, shape[d]);
          if (shape[d] > 0) {
            last = Math.addExact(last, Math.multiplyExact(shape[d] - 1, stride[d]));
          }
        }
        if ((n > 0 && (offset < 0 || last >= storageElements)) || n > Integer.MAX_VALUE - 8) {
          throw new ArithmeticException();
        }
        return n;
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException(
            source
                + ": tensor of shape "
                + Arrays.toString(shape)
                + " (stride "
                + Arrays.toString(stride)
                + ", offset "
                + offset
                + ") does not fit its storage of "
                + storageElements
                + " elements; the checkpoint is corrupt");
      }
    }

    /** Reads the elements in C order from the storage's bytes (little-endian). */
    TensorData materialize(byte[] storageBytes, String source) {
      ByteBuffer b = ByteBuffer.wrap(storageBytes).order(ByteOrder.LITTLE_ENDIAN);
      long n = checkedSize(storageBytes.length / storage.dtype().bytes, source);
      float[] out = new float[(int) n];
      long[] idx = new long[shape.length];
      for (int i = 0; i < out.length; i++) {
        long at = offset;
        for (int d = 0; d < shape.length; d++) {
          at += idx[d] * stride[d];
        }
        out[i] = storage.dtype().read(b, at);
        for (int d = shape.length - 1; d >= 0; d--) {
          if (++idx[d] < shape[d]) {
            break;
          }
          idx[d] = 0;
        }
      }
      return new TensorData(shape, out);
    }
  }
}
