package org.cemiface.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.io.Serializable;

/**
 * A resolved configuration that travels to Spark executors as HOCON text. The work directory is
 * made absolute and qualified on the driver first, so relative paths resolve to the same files on
 * every node.
 */
public final class ShippedConfig implements Serializable {
  private final String hocon;
  private transient Config config;

  private ShippedConfig(String hocon) {
    this.hocon = hocon;
  }

  /** Ships {@code config} with {@code work-dir} replaced by {@code qualifiedWorkDir}. */
  public static ShippedConfig of(Config config, String qualifiedWorkDir) {
    Config fixed = config.withValue("work-dir", ConfigValueFactory.fromAnyRef(qualifiedWorkDir));
    return new ShippedConfig(fixed.root().render(ConfigRenderOptions.concise()));
  }

  /** A reader over the shipped tree. */
  public ConfigReader reader() {
    if (config == null) {
      config = ConfigFactory.parseString(hocon).resolve();
    }
    return new ConfigReader(config);
  }
}
