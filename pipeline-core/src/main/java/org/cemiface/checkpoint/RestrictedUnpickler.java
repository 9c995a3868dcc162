package org.cemiface.checkpoint;

import static org.cemiface.checkpoint.PickleOpcode.*;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.cemiface.checkpoint.PythonObjects.Global;
import org.cemiface.checkpoint.PythonObjects.Placeholder;
import org.cemiface.checkpoint.PythonObjects.Tuple;

/**
 * A pickle reader that never executes anything. Python globals stay inert references; REDUCE is
 * honoured only for the tensor-rebuilding functions of {@code torch.save} files and a few
 * containers, is recorded as an inert placeholder for known harmless constructors
 * (argparse.Namespace, numpy scalars …), and is refused for everything else, so a pickle that tries
 * e.g. {@code os.system} fails with {@link UnsafePickleException}.
 */
final class RestrictedUnpickler {
  /** Functions whose effect we reproduce in Java. */
  private static final Set<String> REBUILDERS =
      Set.of(
          "torch._utils._rebuild_tensor_v2",
          "torch._utils._rebuild_tensor",
          "torch._utils._rebuild_parameter",
          "torch._utils._rebuild_parameter_with_state",
          "collections.OrderedDict",
          "builtins.set",
          "builtins.frozenset",
          "torch.Size",
          "_codecs.encode",
          "builtins.bytes");

  /** Constructors that are recorded, never called: they only hold data in checkpoints. */
  private static final Set<String> INERT =
      Set.of(
          "copyreg._reconstructor",
          "argparse.Namespace",
          "numpy.core.multiarray.scalar",
          "numpy._core.multiarray.scalar",
          "numpy.dtype",
          "numpy.core.multiarray._reconstruct",
          "numpy._core.multiarray._reconstruct",
          "numpy.ndarray",
          "pathlib.PosixPath",
          "pathlib.WindowsPath",
          "torch.device",
          "torch.torch_version.TorchVersion",
          "builtins.slice",
          "builtins.complex",
          "datetime.datetime",
          "datetime.timedelta",
          "collections.defaultdict",
          "torch.float32",
          "torch.float16",
          "torch.bfloat16");

  private static final Object STACK_MARK = new Object();

  private final ByteBuffer in;
  private final Function<Object, Object> persistentLoad;
  private final String source;
  private final List<Object> stack = new ArrayList<>();
  private final Map<Integer, Object> memo = new HashMap<>();

  RestrictedUnpickler(byte[] data, Function<Object, Object> persistentLoad, String source) {
    this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    this.persistentLoad = persistentLoad;
    this.source = source;
  }

  /**
   * Runs the pickle to its STOP. Malformed input (truncated, a length past the end, a stack without
   * its mark, a value of the wrong kind) fails with {@link IllegalArgumentException} naming the
   * source and byte position; nothing is sized by a length field before the bytes it claims exist.
   */
  Object load() {
    try {
      return run();
    } catch (java.nio.BufferUnderflowException
        | ClassCastException
        | IndexOutOfBoundsException
        | ArithmeticException
        | NumberFormatException
        | java.util.NoSuchElementException e) {
      throw new IllegalArgumentException(
          source + ": malformed pickle at byte " + in.position() + " (" + e + ")", e);
    }
  }

  private Object run() {
    while (true) {
      int op = in.get() & 0xFF;
      switch (op) {
        case PROTO -> in.get();
        case FRAME -> in.getLong();
        case STOP -> {
          return pop();
        }
        case MARK -> stack.add(STACK_MARK);
        case POP -> pop();
        case POP_MARK -> popToMark();
        case DUP -> stack.add(peek());
        case NONE -> stack.add(null);
        case NEWTRUE -> stack.add(Boolean.TRUE);
        case NEWFALSE -> stack.add(Boolean.FALSE);
        case BININT -> stack.add((long) in.getInt());
        case BININT1 -> stack.add((long) (in.get() & 0xFF));
        case BININT2 -> stack.add((long) (in.getShort() & 0xFFFF));
        case LONG1 -> stack.add(readLong(in.get() & 0xFF));
        case LONG4 -> stack.add(readLong(in.getInt()));
        case BINFLOAT ->
            stack.add(ByteBuffer.wrap(bytes(8)).order(ByteOrder.BIG_ENDIAN).getDouble());
        case INT -> stack.add(parseIntLine(line()));
        case LONG -> stack.add(parseIntLine(line().replace("L", "")));
        case FLOAT -> stack.add(Double.parseDouble(line()));
        case BINUNICODE -> stack.add(utf8(in.getInt()));
        case SHORT_BINUNICODE -> stack.add(utf8(in.get() & 0xFF));
        case BINUNICODE8 -> stack.add(utf8(Math.toIntExact(in.getLong())));
        case UNICODE -> stack.add(line());
        case STRING -> stack.add(stripQuotes(line()));
        case BINSTRING -> stack.add(new String(bytes(in.getInt()), StandardCharsets.ISO_8859_1));
        case SHORT_BINSTRING ->
            stack.add(new String(bytes(in.get() & 0xFF), StandardCharsets.ISO_8859_1));
        case BINBYTES -> stack.add(bytes(in.getInt()));
        case SHORT_BINBYTES -> stack.add(bytes(in.get() & 0xFF));
        case BINBYTES8, BYTEARRAY8 -> stack.add(bytes(Math.toIntExact(in.getLong())));
        case EMPTY_DICT -> stack.add(new LinkedHashMap<>());
        case EMPTY_LIST -> stack.add(new ArrayList<>());
        case EMPTY_TUPLE -> stack.add(new Tuple(List.of()));
        case EMPTY_SET -> stack.add(new ArrayList<>());
        case DICT -> stack.add(toDict(popToMark()));
        case LIST -> stack.add(new ArrayList<>(popToMark()));
        case TUPLE -> stack.add(new Tuple(popToMark()));
        case FROZENSET -> stack.add(new ArrayList<>(popToMark()));
        case TUPLE1 -> stack.add(new Tuple(Arrays.asList(pop())));
        case TUPLE2 -> {
          Object b = pop();
          Object a = pop();
          stack.add(new Tuple(Arrays.asList(a, b)));
        }
        case TUPLE3 -> {
          Object c = pop();
          Object b = pop();
          Object a = pop();
          stack.add(new Tuple(Arrays.asList(a, b, c)));
        }
        case APPEND -> {
          Object v = pop();
          asList(peek()).add(v);
        }
        case APPENDS, ADDITEMS -> {
          List<Object> items = popToMark();
          asList(peek()).addAll(items);
        }
        case SETITEM -> {
          Object v = pop();
          Object k = pop();
          asMap(peek()).put(key(k), v);
        }
        case SETITEMS -> {
          List<Object> items = popToMark();
          Map<Object, Object> map = asMap(peek());
          for (int i = 0; i + 1 < items.size(); i += 2) {
            map.put(key(items.get(i)), items.get(i + 1));
          }
        }
        case GLOBAL -> {
          String module = line();
          stack.add(new Global(module, line()));
        }
        case STACK_GLOBAL -> {
          String name = (String) pop();
          stack.add(new Global((String) pop(), name));
        }
        case REDUCE -> {
          Object args = pop();
          stack.add(reduce(pop(), args));
        }
        case NEWOBJ -> {
          Object args = pop();
          stack.add(newObject(pop(), args));
        }
        case NEWOBJ_EX -> {
          pop(); // kwargs
          Object args = pop();
          stack.add(newObject(pop(), args));
        }
        case BUILD -> build(pop(), peek());
        case BINPERSID -> stack.add(persistentLoad.apply(pop()));
        case PERSID -> stack.add(persistentLoad.apply(line()));
        case BINPUT -> memo.put(in.get() & 0xFF, peek());
        case LONG_BINPUT -> memo.put(in.getInt(), peek());
        case PUT -> memo.put(Integer.parseInt(line()), peek());
        case MEMOIZE -> memo.put(memo.size(), peek());
        case BINGET -> stack.add(memoGet(in.get() & 0xFF));
        case LONG_BINGET -> stack.add(memoGet(in.getInt()));
        case GET -> stack.add(memoGet(Integer.parseInt(line())));
        case INST, OBJ, EXT1, EXT2, EXT4 ->
            throw new UnsafePickleException(
                source
                    + ": pickle opcode 0x"
                    + Integer.toHexString(op)
                    + " instantiates arbitrary objects; refused. Nothing was executed.");
        default ->
            throw new IllegalArgumentException(
                source
                    + ": unsupported pickle opcode 0x"
                    + Integer.toHexString(op)
                    + " at byte "
                    + (in.position() - 1));
      }
    }
  }

  private Object reduce(Object callable, Object args) {
    if (!(callable instanceof Global g)) {
      throw new UnsafePickleException(
          source
              + ": pickle calls a non-global object "
              + PythonObjects.describe(callable)
              + "; refused.");
    }
    String name = g.toString();
    List<Object> a = args instanceof Tuple t ? t.items() : List.of();
    if (REBUILDERS.contains(name)) {
      return switch (name) {
        case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" ->
            TensorData.Ref.of(a, source);
        case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" ->
            a.get(0);
        case "collections.OrderedDict" ->
            a.isEmpty() ? new LinkedHashMap<>() : toDict(flattenPairs(a.get(0)));
        case "torch.Size" -> new Tuple(a.isEmpty() ? List.of() : listOf(a.get(0)));
        case "_codecs.encode", "builtins.bytes" -> bytesOf(name, a);
        default -> a.isEmpty() ? new ArrayList<>() : new ArrayList<>(listOf(a.get(0)));
      };
    }
    if (INERT.contains(name)) {
      return new Placeholder(g, a);
    }
    throw new UnsafePickleException(
        source
            + ": pickle tries to call "
            + name
            + " (REDUCE); only tensor rebuilding and inert containers are allowed, so the file is refused. Nothing was executed.");
  }

  /**
   * Python 3 pickles bytes for protocols below 3 as {@code _codecs.encode(text, 'latin1')} (and
   * empty bytes as {@code bytes()}): the Latin-1 text holds the bytes one per character, so they
   * are rebuilt without calling anything.
   */
  private byte[] bytesOf(String name, List<Object> a) {
    if (a.isEmpty()) {
      return new byte[0];
    }
    String encoding = a.size() > 1 ? String.valueOf(a.get(1)).toLowerCase(Locale.ROOT) : "";
    if (!(a.get(0) instanceof String text)
        || !Set.of("latin1", "latin-1", "iso-8859-1").contains(encoding)) {
      throw new UnsafePickleException(
          source
              + ": pickle calls "
              + name
              + a
              + "; only Latin-1 text to bytes is rebuilt, so the file is refused.");
    }
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private Object newObject(Object cls, Object args) {
    if (!(cls instanceof Global g)) {
      throw new UnsafePickleException(source + ": NEWOBJ on a non-class " + cls + "; refused.");
    }
    return new Placeholder(g, args instanceof Tuple t ? t.items() : List.of());
  }

  @SuppressWarnings("unchecked")
  private static void build(Object state, Object target) {
    if (target instanceof Placeholder p) {
      p.setState(state);
    } else if (target instanceof Map<?, ?> m && state instanceof Map<?, ?> s) {
      ((Map<Object, Object>) m).putAll(s);
    }
    // Tensors rebuilt by _rebuild_parameter_with_state carry Python attributes we do not need.
  }

  private static List<Object> flattenPairs(Object pairs) {
    List<Object> flat = new ArrayList<>();
    for (Object pair : listOf(pairs)) {
      List<Object> kv = listOf(pair);
      flat.add(kv.get(0));
      flat.add(kv.get(1));
    }
    return flat;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> listOf(Object o) {
    if (o instanceof Tuple t) {
      return t.items();
    }
    if (o instanceof List<?> l) {
      return (List<Object>) l;
    }
    throw new IllegalArgumentException("expected a sequence, got " + PythonObjects.describe(o));
  }

  private Map<Object, Object> toDict(List<Object> items) {
    Map<Object, Object> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < items.size(); i += 2) {
      map.put(key(items.get(i)), items.get(i + 1));
    }
    return map;
  }

  /** {@code k} when Python could hash it (Python raises TypeError for the rest). */
  private Object key(Object k) {
    if (!PythonObjects.hashable(k)) {
      throw new IllegalArgumentException(
          source
              + ": unhashable dict key ("
              + PythonObjects.describe(k)
              + ") at byte "
              + in.position());
    }
    return k;
  }

  @SuppressWarnings("unchecked")
  private List<Object> asList(Object o) {
    if (o instanceof List<?> l) {
      return (List<Object>) l;
    }
    throw new IllegalArgumentException(
        source + ": APPEND to a non-list, " + PythonObjects.describe(o));
  }

  @SuppressWarnings("unchecked")
  private Map<Object, Object> asMap(Object o) {
    if (o instanceof Map<?, ?> m) {
      return (Map<Object, Object>) m;
    }
    if (o instanceof Placeholder) {
      // SETITEM on an object we do not model (e.g. a defaultdict): keep the data out of the way.
      return new LinkedHashMap<>();
    }
    throw new IllegalArgumentException(
        source + ": SETITEM on a non-dict, " + PythonObjects.describe(o));
  }

  private Object memoGet(int key) {
    if (!memo.containsKey(key)) {
      throw new IllegalArgumentException(
          source + ": pickle refers to memo entry " + key + " that was never stored");
    }
    return memo.get(key);
  }

  private Object pop() {
    return stack.remove(stack.size() - 1);
  }

  private Object peek() {
    return stack.get(stack.size() - 1);
  }

  private List<Object> popToMark() {
    int i = stack.size() - 1;
    while (i >= 0 && stack.get(i) != STACK_MARK) {
      i--;
    }
    if (i < 0) {
      throw new IllegalArgumentException(
          source + ": pickle pops to a mark at byte " + in.position() + " with no mark set");
    }
    List<Object> items = new ArrayList<>(stack.subList(i + 1, stack.size()));
    stack.subList(i, stack.size()).clear();
    return items;
  }

  private byte[] bytes(int n) {
    if (n < 0 || n > in.remaining()) {
      throw new IllegalArgumentException(
          source
              + ": pickle claims "
              + n
              + " bytes at byte "
              + in.position()
              + " but "
              + in.remaining()
              + " remain; the file is truncated or corrupt");
    }
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }

  private String utf8(int n) {
    return new String(bytes(n), StandardCharsets.UTF_8);
  }

  private Object readLong(int n) {
    byte[] le = bytes(n);
    if (n == 0) {
      return 0L;
    }
    byte[] be = new byte[n];
    for (int i = 0; i < n; i++) {
      be[i] = le[n - 1 - i];
    }
    BigInteger v = new BigInteger(be);
    return v.bitLength() < 64 ? (Object) v.longValue() : v;
  }

  private String line() {
    StringBuilder s = new StringBuilder();
    for (byte b = in.get(); b != '\n'; b = in.get()) {
      s.append((char) (b & 0xFF));
    }
    return s.toString();
  }

  private static Object parseIntLine(String s) {
    if (s.equals("00")) {
      return Boolean.FALSE;
    }
    if (s.equals("01")) {
      return Boolean.TRUE;
    }
    return Long.parseLong(s.trim());
  }

  private static String stripQuotes(String s) {
    return s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"')
        ? s.substring(1, s.length() - 1)
        : s;
  }
}
