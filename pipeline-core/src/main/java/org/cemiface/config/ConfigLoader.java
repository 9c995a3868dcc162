package org.cemiface.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValueFactory;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Builds the effective configuration: command-line overrides win over files (later files over
 * earlier ones), files over every module's {@code reference.conf}.
 *
 * <p>Module {@code reference.conf} files keep their keys under {@value #ROOT} so they cannot clash
 * with other libraries; user files and {@code --set} overrides are written without that prefix.
 */
public final class ConfigLoader {
  /** The namespace of this project's keys inside reference.conf. */
  public static final String ROOT = "cemiface";

  private ConfigLoader() {}

  /**
   * Loads, layers, resolves and validates; throws {@link ConfigError} describing every problem
   * found.
   */
  public static LoadedConfig load(List<String> files, List<String> overrides) {
    Config reference = reference();
    Config user = ConfigFactory.empty();
    for (String file : files) {
      user = parseFile(file).withFallback(user);
    }
    for (String override : overrides) {
      user = parseOverride(override).withFallback(user);
    }
    ConfigValidator.rejectUnknownKeys(user, reference);
    Config merged;
    try {
      merged =
          user.withFallback(reference)
              .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(true));
    } catch (ConfigException e) {
      throw new ConfigError("Configuration cannot be resolved: " + e.getMessage());
    }
    return new LoadedConfig(merged, files, overrides);
  }

  /** The merged defaults of every module on the classpath, without the namespace prefix. */
  static Config reference() {
    // spark-submit loads the application jar in a child class loader and sets it as the context
    // loader; the
    // reference.conf of every module is visible there, not necessarily from this class's own
    // loader.
    ClassLoader loader =
        Thread.currentThread().getContextClassLoader() != null
            ? Thread.currentThread().getContextClassLoader()
            : ConfigLoader.class.getClassLoader();
    Config all = ConfigFactory.parseResourcesAnySyntax(loader, "reference.conf");
    if (!all.hasPath(ROOT)) {
      throw new ConfigError(
          "No reference.conf with a '"
              + ROOT
              + "' section on the classpath: the jars are incomplete.");
    }
    return all.getConfig(ROOT);
  }

  private static Config parseFile(String file) {
    try {
      URI uri = new URI(file);
      if (uri.getScheme() == null || "file".equals(uri.getScheme())) {
        File local = uri.getScheme() == null ? new File(file) : new File(uri);
        if (!local.isFile()) {
          throw new ConfigError(
              "Config file not found: " + file + " (pass an existing HOCON file to --config)");
        }
        return ConfigFactory.parseFile(local, ConfigParseOptions.defaults().setAllowMissing(false));
      }
      Path path = new Path(uri);
      FileSystem fs = path.getFileSystem(new Configuration());
      try (Reader reader = new InputStreamReader(fs.open(path), StandardCharsets.UTF_8)) {
        return ConfigFactory.parseReader(
            reader,
            ConfigParseOptions.defaults().setOriginDescription(file).setSyntax(ConfigSyntax.CONF));
      }
    } catch (ConfigException e) {
      throw new ConfigError("Config file " + file + " is not valid HOCON: " + e.getMessage());
    } catch (IOException | URISyntaxException e) {
      throw new ConfigError("Config file " + file + " cannot be read: " + e.getMessage());
    }
  }

  /**
   * Numbers and booleans keep their type (so `config` shows them as such); everything else is a
   * string.
   */
  private static Object scalar(String value) {
    if (value.equals("true") || value.equals("false")) {
      return Boolean.valueOf(value);
    }
    if (value.matches("-?\\d{1,18}")) {
      return Long.valueOf(value);
    }
    if (value.matches("-?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d+)?")) {
      return Double.valueOf(value);
    }
    return value;
  }

  /**
   * Parses {@code key=value}. Lists and objects are parsed as HOCON; anything else stays a string,
   * so paths such as {@code file:///x} survive (HOCON would read {@code //} as a comment). Typed
   * getters convert numeric and boolean strings.
   */
  static Config parseOverride(String override) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new ConfigError("--set expects key=value, got '" + override + "'");
    }
    String key = override.substring(0, eq).trim();
    String value = override.substring(eq + 1).trim();
    String origin = "--set " + override;
    try {
      if (value.startsWith("[") || value.startsWith("{")) {
        return ConfigFactory.parseString(
            key + " = " + value, ConfigParseOptions.defaults().setOriginDescription(origin));
      }
      return ConfigFactory.empty(origin)
          .withValue(key, ConfigValueFactory.fromAnyRef(scalar(value), origin));
    } catch (ConfigException e) {
      throw new ConfigError("Cannot parse " + origin + ": " + e.getMessage());
    }
  }
}
