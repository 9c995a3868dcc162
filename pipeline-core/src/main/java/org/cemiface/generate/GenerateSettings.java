package org.cemiface.generate;

import java.io.Serializable;
import org.cemiface.checkpoint.TrainingRunLayout;
import org.cemiface.config.ConfigReader;
import org.cemiface.nn.Precision;

/** The {@code generate} section. */
public record GenerateSettings(
    String plan,
    String output,
    String model,
    String weights,
    int subjectsPerPartition,
    int batchSize,
    Precision precision,
    int torchThreads,
    boolean recordIo,
    FileCommitter.Mode commit,
    int writeAhead,
    boolean plumbing,
    FailureInjection injectFailure)
    implements Serializable {

  /**
   * Test switch, not a setting: attempt 0 of {@code block} fails after committing {@code
   * afterSubjects} subjects, or, with {@code stallMillis} &gt; 0, stalls there that long (a slow
   * task for speculative execution to copy). Set by the JVM system property {@value #PROPERTY} =
   * {@code <block>:<after-subjects>[:<stall-millis>]} where tasks read their settings: the driver's
   * JVM in local mode, the executors' ({@code spark.executor.extraJavaOptions}) on a cluster;
   * absent: off.
   */
  public record FailureInjection(int block, int afterSubjects, long stallMillis)
      implements Serializable {
    /** The system property that turns the switch on. */
    public static final String PROPERTY = "cemiface.test.generate-failure";

    /** Never fires. */
    public static final FailureInjection OFF = new FailureInjection(-1, 0, 0);

    /** A failure (not a stall) of attempt 0 of {@code block} after {@code afterSubjects}. */
    public FailureInjection(int block, int afterSubjects) {
      this(block, afterSubjects, 0);
    }

    /** The switch as the system property sets it. */
    static FailureInjection fromSystemProperty() {
      String value = System.getProperty(PROPERTY);
      if (value == null || value.isBlank()) {
        return OFF;
      }
      String[] parts = value.split(":");
      try {
        return new FailureInjection(
            Integer.parseInt(parts[0].trim()),
            Integer.parseInt(parts[1].trim()),
            parts.length > 2 ? Long.parseLong(parts[2].trim()) : 0);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "-D" + PROPERTY + "=" + value + ": expected <block>:<after-subjects>[:<stall-millis>]",
            e);
      }
    }

    /**
     * Whether attempt {@code attempt} of {@code block} should fail now, having committed {@code
     * committed}.
     */
    public boolean fires(int forBlock, int attempt, int committed) {
      return block == forBlock && attempt == 0 && committed == afterSubjects;
    }
  }

  private static String weights(ConfigReader r) {
    return TrainingRunLayout.network(r.string("weights"), "generate.weights");
  }

  /** Reads the {@code generate} section. */
  public static GenerateSettings from(ConfigReader root) {
    ConfigReader r = root.section("generate");
    return new GenerateSettings(
        r.string("plan"),
        r.string("output"),
        r.string("model"),
        weights(r),
        r.intIn("subjects-per-partition", 1, 1_000_000),
        r.intIn("batch-size", 1, 65536),
        Precision.parse(r.string("precision"), "generate.precision"),
        r.intIn("torch-threads", 0, 1024),
        r.bool("recordio"),
        r.oneOf("commit", FileCommitter.Mode.class),
        r.intIn("write-ahead", 0, 64),
        r.bool("plumbing"),
        FailureInjection.fromSystemProperty());
  }
}
