package org.cemiface.jobs.generate;

import org.apache.spark.sql.SparkSession;
import org.cemiface.cli.Command;
import org.cemiface.cli.Invocation;
import org.cemiface.generate.DatasetLayout;
import org.cemiface.image.ImageSettings;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;

/** {@code generate}: the synthetic dataset from a plan, one block of subjects per Spark task. */
public final class GenerateCommand implements Command {
  @Override
  public String name() {
    return "generate";
  }

  @Override
  public String summary() {
    return "generate the planned images on Spark: ImageFolder, samples.parquet, RecordIO";
  }

  @Override
  public String help() {
    return "Reads generate.plan and writes below generate.output: images/<subject>/<index>.png (or .jpg),\n"
        + "samples.parquet (per image: what was asked for and the achieved similarity to the inquiry),\n"
        + "recordio/train.rec, train.idx, property (insightface format) and generate.json. Each Spark task takes\n"
        + "generate.subjects-per-partition whole subjects, loads the model's EMA weights and the encoder once on\n"
        + "the GPU Spark assigned to it (CPU when none) and runs batched DDIM (sampling.steps, sampling.eta, sampling.guidance).\n"
        + "Files are committed atomically; a rerun skips completed blocks and subjects (docs/operations.md).\n"
        + "Keys: work-dir, generate.*, sampling.*, encoder.*, image.*, spark.*.";
  }

  @Override
  public int run(Invocation inv) {
    SparkSession spark = SparkSessions.start(SparkSettings.from(inv.config()));
    try {
      GenerateJob.Summary s = GenerateJob.run(spark, inv.config(), inv.err());
      inv.out()
          .printf(
              "Generated %d subjects: %d images (%d sampled, %d inquiry copies) in %.1f s; %d of %d blocks"
                  + " run, %d subjects reused from an earlier run%n",
              s.subjects(),
              s.images(),
              s.generated(),
              s.copies(),
              s.seconds(),
              s.blocksRun(),
              s.blocks(),
              s.subjectsReused());
      inv.out().println("Models:   " + s.models());
      DatasetLayout layout =
          new DatasetLayout(s.output(), ImageSettings.from(inv.config().reader()).format());
      inv.out().println("Images:   " + layout.images());
      inv.out().println("Samples:  " + layout.samples());
      if (s.recordIoImages() > 0) {
        inv.out()
            .println("RecordIO: " + layout.recordIo() + " (" + s.recordIoImages() + " images)");
      }
      inv.out().println("Summary:  " + layout.summary());
      return 0;
    } finally {
      spark.stop();
    }
  }
}
