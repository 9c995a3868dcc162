package org.cemiface.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Typed, validated access to configuration values. Every error names the key, where its value came
 * from, and what is allowed.
 */
public final class ConfigReader {
  private final Config config;
  private final String prefix;

  /** A reader over a resolved tree. */
  public ConfigReader(Config config) {
    this(config, "");
  }

  private ConfigReader(Config config, String prefix) {
    this.config = config;
    this.prefix = prefix;
  }

  /** A reader for one section; error messages still show full key paths. */
  public ConfigReader section(String path) {
    return new ConfigReader(config.getConfig(path), prefix + path + ".");
  }

  /** An integer in [min, max]. */
  public int intIn(String path, int min, int max) {
    int v = typed(path, "an integer", config::getInt);
    if (v < min || v > max) {
      throw outOfRange(path, v, "an integer in [" + min + ", " + max + "]");
    }
    return v;
  }

  /** A long in [min, max]. */
  public long longIn(String path, long min, long max) {
    long v = typed(path, "an integer", config::getLong);
    if (v < min || v > max) {
      throw outOfRange(path, v, "an integer in [" + min + ", " + max + "]");
    }
    return v;
  }

  /** Any long. */
  public long anyLong(String path) {
    return typed(path, "an integer", config::getLong);
  }

  /** A number in [min, max]. */
  public double doubleIn(String path, double min, double max) {
    double v = typed(path, "a number", config::getDouble);
    if (!(v >= min && v <= max)) {
      throw outOfRange(path, v, "a number in [" + min + ", " + max + "]");
    }
    return v;
  }

  /** A boolean. */
  public boolean bool(String path) {
    return typed(path, "true or false", config::getBoolean);
  }

  /** A string that may be empty (for optional settings such as a path that is not set). */
  public String text(String path) {
    return typed(path, "a string", config::getString);
  }

  /** A non-empty string. */
  public String string(String path) {
    String v = typed(path, "a string", config::getString);
    if (v.isBlank()) {
      throw outOfRange(path, "\"\"", "a non-empty string");
    }
    return v;
  }

  /** One of the constants of {@code type}, matched case-insensitively and with '-' read as '_'. */
  public <E extends Enum<E>> E oneOf(String path, Class<E> type) {
    String v = typed(path, "a string", config::getString);
    String wanted = v.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(wanted)) {
        return constant;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      allowed.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    throw outOfRange(path, "\"" + v + "\"", "one of " + allowed);
  }

  /**
   * A list of exactly {@code size} numbers, each in [min, max] (size &lt; 0: any non-empty length).
   */
  public double[] doubles(String path, int size, double min, double max) {
    List<Double> list = typed(path, "a list of numbers", config::getDoubleList);
    if (size >= 0 ? list.size() != size : list.isEmpty()) {
      throw outOfRange(
          path, list, size >= 0 ? "a list of " + size + " numbers" : "a non-empty list of numbers");
    }
    double[] out = new double[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
      if (!(out[i] >= min && out[i] <= max)) {
        throw outOfRange(path, list, "numbers in [" + min + ", " + max + "]");
      }
    }
    return out;
  }

  /** One number or a non-empty list of numbers, each in [min, max]. */
  public double[] numberOrList(String path, double min, double max) {
    if (config.hasPath(path) && config.getValue(path).valueType() != ConfigValueType.LIST) {
      return new double[] {doubleIn(path, min, max)};
    }
    return doubles(path, -1, min, max);
  }

  /** A list of strings (may be empty). */
  public List<String> strings(String path) {
    return List.copyOf(typed(path, "a list of strings", config::getStringList));
  }

  /** A list of objects, each read by {@code element} through a reader rooted at that object. */
  public <T> List<T> objects(String path, Function<ConfigReader, T> element) {
    List<? extends Config> list = typed(path, "a list of objects", config::getConfigList);
    if (list.isEmpty()) {
      throw outOfRange(path, "[]", "a non-empty list");
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      out.add(element.apply(new ConfigReader(list.get(i), prefix + path + "[" + i + "].")));
    }
    return out;
  }

  /** Fails when this object has keys other than {@code allowed} (for objects inside lists). */
  public void onlyKeys(String... allowed) {
    List<String> allowedList = List.of(allowed);
    for (var e : config.entrySet()) {
      if (!allowedList.contains(e.getKey())) {
        String full = prefix + e.getKey();
        StringBuilder msg =
            new StringBuilder("Unknown configuration key '")
                .append(full)
                .append("' (")
                .append(Origins.describe(e.getValue().origin()))
                .append(").");
        KeySuggestions.nearest(e.getKey(), allowedList)
            .ifPresent(s -> msg.append(" Did you mean '").append(prefix).append(s).append("'?"));
        msg.append(" Allowed here: ").append(allowedList);
        throw new ConfigError(msg.toString());
      }
    }
  }

  private <T> T typed(String path, String expected, Function<String, T> getter) {
    try {
      return getter.apply(path);
    } catch (ConfigException.Missing e) {
      throw new ConfigError(
          "Missing configuration key '"
              + prefix
              + path
              + "': expected "
              + expected
              + ". Set it in a --config file or with --set "
              + prefix
              + path
              + "=...");
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      ConfigValue value = config.getValue(path);
      throw new ConfigError(
          "Configuration key '"
              + prefix
              + path
              + "' ("
              + Origins.describe(value.origin())
              + ") must be "
              + expected
              + ", got "
              + value.valueType().name().toLowerCase(Locale.ROOT)
              + " "
              + value.render()
              + ".");
    }
  }

  /** An error for {@code path}'s value, naming where it was set: it must be {@code allowed}. */
  public ConfigError invalid(String path, String allowed) {
    return outOfRange(path, config.getValue(path).unwrapped(), allowed);
  }

  private ConfigError outOfRange(String path, Object got, String allowed) {
    return new ConfigError(
        "Configuration key '"
            + prefix
            + path
            + "' ("
            + Origins.describe(config.getValue(path).origin())
            + ") must be "
            + allowed
            + ", got "
            + got
            + ".");
  }
}
