package org.cemiface.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rejects keys that no module declares, so a typo fails loudly instead of being silently ignored.
 */
final class ConfigValidator {
  /**
   * Top-level sections owned by modules that a jar may leave out (the Spark jar ships no trainer
   * and no demo): one configuration file serves every job, so where the owner's reference.conf is
   * absent its keys pass unchecked here and are checked by the jar that reads them.
   */
  static final Set<String> SECTIONS_OF_OPTIONAL_MODULES =
      Set.of("train", "train-encoder", "train-fr", "demo");

  private ConfigValidator() {}

  static void rejectUnknownKeys(Config user, Config reference) {
    Set<String> known = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
      known.add(e.getKey());
    }
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
      String key = e.getKey();
      if (known.contains(key)
          || underFreeFormSection(key, reference)
          || ownedByAbsentModule(key, reference)) {
        continue;
      }
      StringBuilder msg =
          new StringBuilder("Unknown configuration key '")
              .append(key)
              .append("' (")
              .append(Origins.describe(e.getValue().origin()))
              .append(").");
      KeySuggestions.nearest(key, known)
          .ifPresent(s -> msg.append(" Did you mean '").append(s).append("'?"));
      if (reference.hasPath(key) && reference.getValue(key).valueType() == ConfigValueType.OBJECT) {
        msg.append(" '").append(key).append("' is a section; set one of its keys instead.");
      }
      problems.add(msg.toString());
    }
    if (!problems.isEmpty()) {
      throw new ConfigError(
          String.join("\n", problems)
              + "\nRun 'bin/cemiface config' to list every valid key with its default.");
    }
  }

  private static boolean ownedByAbsentModule(String key, Config reference) {
    String section = ConfigUtil.splitPath(key).get(0);
    return SECTIONS_OF_OPTIONAL_MODULES.contains(section)
        && !reference.hasPath(ConfigUtil.joinPath(section));
  }

  /**
   * A key below an empty object in reference.conf belongs to a free-form map (e.g. extra Spark
   * settings).
   */
  private static boolean underFreeFormSection(String key, Config reference) {
    List<String> elements = ConfigUtil.splitPath(key);
    for (int n = elements.size() - 1; n > 0; n--) {
      String prefix = ConfigUtil.joinPath(elements.subList(0, n));
      if (reference.hasPath(prefix)) {
        ConfigValue v = reference.getValue(prefix);
        return v.valueType() == ConfigValueType.OBJECT
            && reference.getConfig(prefix).root().isEmpty();
      }
    }
    return false;
  }
}
