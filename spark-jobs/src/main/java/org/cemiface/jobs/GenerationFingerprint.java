package org.cemiface.jobs;

import com.typesafe.config.ConfigRenderOptions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.cemiface.checkpoint.TrainingRunLayout;
import org.cemiface.config.LoadedConfig;
import org.cemiface.config.RunSettings;
import org.cemiface.generate.GenerateSettings;
import org.cemiface.io.HadoopFiles;
import org.cemiface.runs.Fingerprint;

/**
 * What decides the images a generation makes, key by key: the configuration keys that shape them
 * (not paths, not scheduling), the SHA-256 of the model's and the encoder's files, and the code
 * version. A scheduled run and a resumed generate output must keep it.
 */
public final class GenerationFingerprint {
  /**
   * Configuration keys that decide a generation's images: a name ending in "." is a section (every
   * key under it), any other name one key. Paths and scheduling keys are left out.
   */
  private static final List<String> FINGERPRINT_KEYS =
      List.of(
          "seed",
          "image.",
          "encoder.",
          "model.",
          "diffusion.",
          "sampling.",
          "volume.",
          "plan.m",
          "plan.m-range.",
          "generate.precision",
          "generate.weights",
          "generate.plumbing",
          "generate.recordio");

  private GenerationFingerprint() {}

  /** The fingerprint of the configured generation. */
  public static Fingerprint of(LoadedConfig loaded) {
    Map<String, String> values = new TreeMap<>();
    loaded
        .config()
        .entrySet()
        .forEach(
            e -> {
              String key = e.getKey();
              if (!key.equals("encoder.source") && decides(key)) {
                // Concise: a list's default rendering carries each element's origin, the path of
                // the jar or file it came from, which differs between installations and between
                // spark-submit stagings of the same jar.
                values.put(key, e.getValue().render(ConfigRenderOptions.concise()));
              }
            });
    RunSettings run = RunSettings.from(loaded.reader());
    GenerateSettings generate = GenerateSettings.from(loaded.reader());
    values.put(
        "model_checksum",
        generate.plumbing() ? "plumbing" : Checksums.of(modelDir(run.resolve(generate.model()))));
    String source = loaded.config().getString("encoder.source");
    int colon = source.indexOf(':');
    values.put(
        "encoder_checksum",
        generate.plumbing() || source.isEmpty()
            ? "plumbing"
            : Checksums.of(run.resolve(colon > 0 ? source.substring(colon + 1) : source)));
    String version = GenerationFingerprint.class.getPackage().getImplementationVersion();
    values.put("code_version", version == null ? "development build" : version);
    return new Fingerprint(values);
  }

  /** The checkpoint generate loads (a training output's latest), or the path when there is none. */
  private static String modelDir(String model) {
    Path path = new Path(model);
    return HadoopFiles.exists(path)
        ? HadoopFiles.qualified(TrainingRunLayout.checkpointDir(path)).toString()
        : model;
  }

  /** Whether {@code key} is one of, or under one of, {@link #FINGERPRINT_KEYS}. */
  static boolean decides(String key) {
    return FINGERPRINT_KEYS.stream()
        .anyMatch(k -> k.endsWith(".") ? key.startsWith(k) : key.equals(k));
  }
}
