package org.cemiface.jobs;

import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.Map;
import java.util.TreeMap;
import org.cemiface.config.ConfigReader;
import org.cemiface.config.LoadedConfig;

/** The {@code spark} section: master, application name and pass-through Spark properties. */
public record SparkSettings(String master, String appName, Map<String, String> conf) {
  /** Copies the map. */
  public SparkSettings {
    conf = Map.copyOf(conf);
  }

  /** Reads the {@code spark} section. */
  public static SparkSettings from(LoadedConfig loaded) {
    ConfigReader r = loaded.reader().section("spark");
    Map<String, String> conf = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : loaded.config().getConfig("spark.conf").entrySet()) {
      conf.put(
          String.join(".", ConfigUtil.splitPath(e.getKey())),
          String.valueOf(e.getValue().unwrapped()));
    }
    return new SparkSettings(r.text("master").trim(), r.string("app-name"), conf);
  }
}
