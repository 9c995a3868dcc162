package org.cemiface.training.cemiface;

import org.cemiface.config.ConfigReader;
import org.cemiface.model.cemiface.SimilarityGrid;

/** The {@code train} section. */
public record TrainSettings(String data, String output, int batchSize, int steps, double lr, double beta1, double beta2,
    double adamEps, double weightDecay, double lambda, SimilarityGrid grid, double emaMaxDecay, double gradClip,
    int maxNonFinite, int checkpointEvery, int logEvery, int sheetInquiries, int threads, java.util.List<String> devices,
    boolean straightThroughClip, PrecisionSettings precision, TrainRecipe recipe) {

  /** Reads the {@code train} section. */
  public static TrainSettings from(ConfigReader root) {
    ConfigReader r = root.section("train");
    return new TrainSettings(r.string("data"), r.string("output"), r.intIn("batch-size", 1, 65536),
        r.intIn("steps", 1, Integer.MAX_VALUE), r.doubleIn("lr", 0, 10), r.doubleIn("beta1", 0, 0.999999),
        r.doubleIn("beta2", 0, 0.999999), r.doubleIn("adam-eps", 0, 1), r.doubleIn("weight-decay", 0, 10),
        r.doubleIn("lambda", 0, 1000), SimilarityGrid.from(r.section("m-grid")), r.doubleIn("ema-max-decay", 0, 1),
        r.doubleIn("grad-clip", 0, 1e6), r.intIn("max-non-finite", 1, 1_000_000),
        r.intIn("checkpoint-every", 1, Integer.MAX_VALUE), r.intIn("log-every", 1, Integer.MAX_VALUE),
        r.intIn("sheet-inquiries", 0, 64), r.intIn("threads", 1, 256),
        r.strings("devices"), r.bool("straight-through-clip"), PrecisionSettings.from(r), TrainRecipe.from(r));
  }
}
