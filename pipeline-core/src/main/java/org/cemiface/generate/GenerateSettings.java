package org.cemiface.generate;

import java.io.Serializable;
import org.cemiface.config.ConfigReader;
import org.cemiface.nn.Precision;

/** The {@code generate} section. */
public record GenerateSettings(String plan, String output, String model, String weights, int subjectsPerPartition,
    int batchSize, Precision precision, int torchThreads, boolean recordIo, FileCommitter.Mode commit, boolean plumbing, FailureInjection injectFailure)
    implements Serializable {

  /** Test switch: attempt 0 of {@code block} fails after committing {@code afterSubjects} subjects. */
  public record FailureInjection(int block, int afterSubjects) implements Serializable {
    /** Whether attempt {@code attempt} of {@code block} should fail now, having committed {@code committed}. */
    public boolean fires(int forBlock, int attempt, int committed) {
      return block == forBlock && attempt == 0 && committed == afterSubjects;
    }
  }

  /** Reads the {@code generate} section. */
  public static GenerateSettings from(ConfigReader root) {
    ConfigReader r = root.section("generate");
    ConfigReader f = r.section("inject-failure");
    return new GenerateSettings(r.string("plan"), r.string("output"), r.string("model"), r.string("weights"),
        r.intIn("subjects-per-partition", 1, 1_000_000), r.intIn("batch-size", 1, 65536),
        Precision.parse(r.string("precision"), "generate.precision"), r.intIn("torch-threads", 0, 1024), r.bool("recordio"),
        r.oneOf("commit", FileCommitter.Mode.class), r.bool("plumbing"),
        new FailureInjection(f.intIn("block", -1, Integer.MAX_VALUE), f.intIn("after-subjects", 0, 1_000_000)));
  }
}
