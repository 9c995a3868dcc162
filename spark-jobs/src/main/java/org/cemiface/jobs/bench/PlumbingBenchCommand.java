package org.cemiface.jobs.bench;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.cemiface.cli.Command;
import org.cemiface.cli.Invocation;
import org.cemiface.config.ConfigLoader;
import org.cemiface.config.LoadedConfig;
import org.cemiface.config.RunSettings;
import org.cemiface.io.HadoopFiles;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;
import org.cemiface.jobs.generate.GenerateJob;
import org.cemiface.jobs.plan.PlanJob;
import org.cemiface.plan.Inquiry;
import org.cemiface.plan.InquiryList;
import org.cemiface.plan.PlanSettings;
import org.cemiface.volume.VolumeSettings;

/**
 * {@code bench-plumbing}: plan + generate of the configured volume (scaled by --fraction) with the
 * PLUMBING MODEL in place of the UNet and encoder, to measure the job's own cost per image:
 * planning, partitioning, writing, committing, the samples table and the RecordIO merge.
 */
public final class PlumbingBenchCommand implements Command {
  @Override
  public String name() {
    return "bench-plumbing";
  }

  @Override
  public String summary() {
    return "benchmark: the generate job's own overhead per image at volume scale, with a trivially cheap model";
  }

  @Override
  public String help() {
    return "Plans volume.* with every cohort's subjects multiplied by --fraction (default 1), using the first image\n"
        + "of each class of --images (default: identities under work-dir) as inquiry images in rotation, then runs\n"
        + "generate with generate.plumbing = true (seeded noise images, no diffusion, no encoder) and RecordIO into\n"
        + "a scratch directory (removed afterwards unless --keep). Prints seconds and microseconds per image.";
  }

  @Override
  public Set<String> options() {
    return Set.of("--fraction", "--images");
  }

  @Override
  public Set<String> flags() {
    return Set.of("--keep");
  }

  @Override
  public int run(Invocation inv) throws Exception {
    double fraction = Double.parseDouble(inv.option("--fraction").orElse("1"));
    RunSettings run = RunSettings.from(inv.config().reader());
    VolumeSettings full = VolumeSettings.from(inv.config().reader());
    List<VolumeSettings.Cohort> cohorts = new ArrayList<>();
    for (VolumeSettings.Cohort c : full.cohorts()) {
      cohorts.add(
          new VolumeSettings.Cohort(
              Math.max(1, (int) Math.round(c.subjects() * fraction)), c.images()));
    }
    VolumeSettings volume =
        new VolumeSettings(full.name() + " x" + fraction, cohorts, full.oversampling());
    List<Inquiry> images =
        InquiryList.read(run.resolve(inv.option("--images").orElse("identities")));
    List<Inquiry> inquiries = new ArrayList<>();
    for (long s = 0; s < volume.subjects(); s++) {
      inquiries.add(new Inquiry("plumbing-" + s, images.get((int) (s % images.size())).source()));
    }
    // A local scratch directory under work-dir (this benchmark measures the local disk, not a
    // cluster store).
    java.nio.file.Path base =
        Files.createDirectories(java.nio.file.Path.of(run.workDir()).toAbsolutePath());
    java.nio.file.Path scratch = Files.createTempDirectory(base, "_plumbing-");
    List<String> overrides = new ArrayList<>(inv.config().overrides());
    overrides.addAll(
        List.of(
            "generate.plumbing=true",
            "generate.recordio=true",
            "generate.plan=" + scratch.resolve("plan.parquet"),
            "generate.output=" + scratch.resolve("dataset")));
    LoadedConfig config = ConfigLoader.load(inv.config().files(), overrides);
    SparkSession spark = SparkSessions.start(SparkSettings.from(config));
    try {
      long start = System.nanoTime();
      PlanJob.Summary plan =
          PlanJob.run(
              spark,
              inquiries,
              volume,
              PlanSettings.from(config.reader()).m(),
              run.seed(),
              0,
              scratch.resolve("plan.parquet").toString());
      double planSeconds = (System.nanoTime() - start) / 1e9;
      start = System.nanoTime();
      GenerateJob.Summary gen = GenerateJob.run(spark, config, inv.err());
      double genSeconds = (System.nanoTime() - start) / 1e9;
      inv.out()
          .println("PLUMBING MODEL (seeded noise images, no diffusion, no encoder): overhead only");
      inv.out()
          .printf(
              Locale.ROOT,
              "| %s | %d | %d | %.1f s | %.1f s | %.0f | %.0f |%n",
              volume.name(),
              volume.subjects(),
              plan.rows(),
              planSeconds,
              genSeconds,
              1e6 * planSeconds / plan.rows(),
              1e6 * genSeconds / gen.images());
      if (gen.images() != plan.rows() || gen.recordIoImages() != plan.rows()) {
        throw new IllegalStateException(
            "generated "
                + gen.images()
                + " images ("
                + gen.recordIoImages()
                + " in RecordIO) for "
                + plan.rows()
                + " planned");
      }
    } finally {
      spark.stop();
      if (!inv.has("--keep")) {
        HadoopFiles.deleteRecursively(new Path(scratch.toString()));
      }
    }
    return 0;
  }
}
