package org.cemiface.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Inert Java stand-ins for Python values that a checkpoint may contain but this project never
 * needs.
 */
public final class PythonObjects {
  private PythonObjects() {}

  /**
   * A short description for error messages: containers by kind and size, never by content, which
   * may be cyclic (a pickle can put a dict inside itself) or huge.
   */
  public static String describe(Object o) {
    if (o instanceof Map<?, ?> m) {
      return "a dict of " + m.size() + " items";
    }
    if (o instanceof List<?> l) {
      return "a list of " + l.size() + " items";
    }
    if (o instanceof Tuple t) {
      return "a tuple of " + t.size() + " items";
    }
    if (o instanceof String s) {
      return s.length() > 40 ? "'" + s.substring(0, 40) + "…'" : "'" + s + "'";
    }
    return o == null ? "None" : o instanceof byte[] b ? b.length + " bytes" : String.valueOf(o);
  }

  /**
   * Whether Python could use {@code o} as a dict key: not a list or dict, and a tuple only of such
   * values. Java would hash a cyclic container forever.
   */
  static boolean hashable(Object o) {
    if (o instanceof Map<?, ?> || o instanceof List<?>) {
      return false;
    }
    return !(o instanceof Tuple t) || t.items().stream().allMatch(PythonObjects::hashable);
  }

  /**
   * A reference to a Python global (module.name), produced by GLOBAL / STACK_GLOBAL; never
   * resolved.
   */
  public record Global(String module, String name) {
    @Override
    public String toString() {
      return module + "." + name;
    }
  }

  /**
   * An object of a class we do not model (argparse.Namespace, numpy scalars …): its class,
   * arguments, state.
   */
  public static final class Placeholder {
    private final Global type;
    private final List<Object> args;
    private Object state;

    Placeholder(Global type, List<Object> args) {
      this.type = type;
      this.args = new ArrayList<>(args);
    }

    /** The Python class or constructor. */
    public Global type() {
      return type;
    }

    /** Constructor arguments as unpickled. */
    public List<Object> args() {
      return args;
    }

    /** State set by BUILD (usually a dict), or null. */
    public Object state() {
      return state;
    }

    void setState(Object state) {
      this.state = state;
    }

    @Override
    public String toString() {
      return "<" + type + " placeholder>";
    }
  }

  /** A pickled tuple (kept distinct from lists so tensor metadata can be recognised). */
  public record Tuple(List<Object> items) {
    /** Item i. */
    public Object get(int i) {
      return items.get(i);
    }

    /** Number of items. */
    public int size() {
      return items.size();
    }
  }
}
