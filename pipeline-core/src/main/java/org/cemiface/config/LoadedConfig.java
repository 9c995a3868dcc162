package org.cemiface.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The resolved configuration of one run, with the files and overrides it was built from. */
public final class LoadedConfig {
  private final Config config;
  private final List<String> files;
  private final List<String> overrides;

  LoadedConfig(Config config, List<String> files, List<String> overrides) {
    this.config = config;
    this.files = List.copyOf(files);
    this.overrides = List.copyOf(overrides);
  }

  /** The resolved tree (keys without the namespace prefix). */
  public Config config() {
    return config;
  }

  /** A typed reader over the resolved tree. */
  public ConfigReader reader() {
    return new ConfigReader(config);
  }

  /** Config files in the order given; later ones win. */
  public List<String> files() {
    return files;
  }

  /** {@code key=value} overrides in the order given; they win over files. */
  public List<String> overrides() {
    return overrides;
  }

  /** One line per key: {@code key = value # origin}, sorted by key. */
  public String describeWithOrigins() {
    Map<String, ConfigValue> sorted = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
      sorted.put(e.getKey(), e.getValue());
    }
    int width = sorted.keySet().stream().mapToInt(String::length).max().orElse(0);
    StringBuilder out = new StringBuilder();
    ConfigRenderOptions concise = ConfigRenderOptions.concise();
    for (Map.Entry<String, ConfigValue> e : sorted.entrySet()) {
      String value = e.getValue().render(concise);
      out.append(String.format("%-" + width + "s = %s", e.getKey(), value));
      out.append("   # ").append(Origins.describe(e.getValue().origin())).append('\n');
    }
    return out.toString();
  }

  /** The resolved tree as HOCON, for writing next to outputs so a run can be reproduced. */
  public String render() {
    return config
        .root()
        .render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
  }
}
