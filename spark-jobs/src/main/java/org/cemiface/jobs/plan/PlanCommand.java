package org.cemiface.jobs.plan;

import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.cemiface.cli.Command;
import org.cemiface.cli.Invocation;
import org.cemiface.config.ConfigReader;
import org.cemiface.config.RunSettings;
import org.cemiface.io.HadoopFiles;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;
import org.cemiface.plan.Inquiry;
import org.cemiface.plan.InquiryList;
import org.cemiface.plan.PlanSettings;
import org.cemiface.volume.VolumeSettings;

/** {@code plan}: every image of the dataset as a row of plan.parquet. */
public final class PlanCommand implements Command {
  @Override
  public String name() {
    return "plan";
  }

  @Override
  public String summary() {
    return "assign kept inquiries to subjects and list every image to generate (plan.parquet, Spark)";
  }

  @Override
  public String help() {
    return "Reads the kept inquiries (plan.inquiries: the filter's inquiries.parquet or an ImageFolder), gives\n"
        + "subject k the k-th kept inquiry for the volume's cohorts, and writes plan.output (Parquet): per image\n"
        + "subject, index, m, seed, inquiry_id, inquiry_source, cohort, kind (generated | inquiry_copy). m comes\n"
        + "from plan.m (one value or a list) or plan.m-range; seeds from (seed, subject, index). Fewer kept\n"
        + "inquiries than subjects is an error saying how many are missing. A rerun overwrites the plan whole.\n"
        + "Keys: seed, work-dir, volume.*, plan.*, spark.*.";
  }

  @Override
  public int run(Invocation inv) {
    ConfigReader r = inv.config().reader();
    RunSettings run = RunSettings.from(r);
    PlanSettings settings = PlanSettings.from(r);
    VolumeSettings volume = VolumeSettings.from(r);
    List<Inquiry> kept = InquiryList.read(run.resolve(settings.inquiries()));
    String output = HadoopFiles.qualified(new Path(run.resolve(settings.output()))).toString();
    inv.err()
        .printf(
            "[plan] volume %s: %d subjects from %d kept inquiries, m %s%n",
            volume.name(), volume.subjects(), kept.size(), settings.m());
    SparkSession spark = SparkSessions.start(SparkSettings.from(inv.config()));
    try {
      PlanJob.Summary s =
          PlanJob.run(spark, kept, volume, settings.m(), run.seed(), settings.partitions(), output);
      inv.out()
          .printf(
              "Planned %d subjects: %d generated images + %d inquiry copies = %d rows (%d partitions)%n",
              s.subjects(), s.generated(), s.copies(), s.rows(), s.partitions());
      inv.out().println("Plan: " + output);
      return 0;
    } finally {
      spark.stop();
    }
  }
}
