package org.cemiface.jobs.bench;

import ai.djl.Device;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.cemiface.checkpoint.ModelWeights;
import org.cemiface.cli.Command;
import org.cemiface.cli.Invocation;
import org.cemiface.config.ConfigLoader;
import org.cemiface.config.ConfigReader;
import org.cemiface.config.LoadedConfig;
import org.cemiface.config.RunSettings;
import org.cemiface.diffusion.DdimSampler;
import org.cemiface.diffusion.NoiseSchedule;
import org.cemiface.diffusion.SamplingSettings;
import org.cemiface.encoder.EncoderSettings;
import org.cemiface.generate.CemiFaceSampleModels;
import org.cemiface.generate.GenerateSettings;
import org.cemiface.generate.SampleModels;
import org.cemiface.image.ImageDecoder;
import org.cemiface.image.RgbImage;
import org.cemiface.io.HadoopFiles;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;
import org.cemiface.jobs.generate.GenerateJob;
import org.cemiface.jobs.plan.PlanJob;
import org.cemiface.nn.TorchThreads;
import org.cemiface.plan.Inquiry;
import org.cemiface.plan.InquiryList;
import org.cemiface.plan.MChoice;
import org.cemiface.plan.PlanRow;
import org.cemiface.plan.PlanSettings;
import org.cemiface.plan.VolumePlanner;
import org.cemiface.volume.VolumeSettings;

/**
 * {@code bench-generate}: the same DDIM sampling (model, batch, images) timed in this process alone
 * and through the generate job on Spark; prints both rates and their ratio as a docs/benchmarks.md
 * row.
 */
public final class GenerateBenchCommand implements Command {
  @Override
  public String name() {
    return "bench-generate";
  }

  @Override
  public String summary() {
    return "benchmark: images/s of DDIM sampling in one process vs. through the Spark generate job";
  }

  @Override
  public String help() {
    return "Plans --subjects (default 8) x --images (default 8) images from plan.inquiries, then\n"
        + "  1. samples them in this process with the model of generate.model (sampling only, batches of\n"
        + "     generate.batch-size, PyTorch's default threads; model loading not timed);\n"
        + "  2. runs plan + generate on Spark (spark.master, default local[2]) into a scratch directory, two\n"
        + "     subjects-per-partition blocks per core, generate.torch-threads per task (default here: 1),\n"
        + "     timing the generate job from submission to its summary (loading, sampling, encoding, writing,\n"
        + "     similarity, committing, RecordIO merge).\n"
        + "Prints images/s of both and the ratio Spark / single process.";
  }

  @Override
  public Set<String> options() {
    return Set.of("--subjects", "--images");
  }

  @Override
  public int run(Invocation inv) throws Exception {
    int subjects = Integer.parseInt(inv.option("--subjects").orElse("8"));
    int images = Integer.parseInt(inv.option("--images").orElse("8"));
    ConfigReader r = inv.config().reader();
    RunSettings run = RunSettings.from(r);
    GenerateSettings settings = GenerateSettings.from(r);
    List<Inquiry> inquiries = InquiryList.read(run.resolve(PlanSettings.from(r).inquiries()));
    VolumeSettings volume =
        new VolumeSettings("bench", List.of(new VolumeSettings.Cohort(subjects, images)), 0);
    List<PlanRow> rows =
        VolumePlanner.planAll(inquiries, volume, new MChoice(new float[] {0f}), run.seed());
    ModelWeights weights =
        ModelWeights.locate(new Path(run.resolve(settings.model())), settings.weights());
    inv.err().println("Model: " + weights.describe());

    double single = singleProcess(r, run, settings, weights, inquiries.subList(0, subjects), rows);
    inv.err().printf(Locale.ROOT, "[bench] single process: %.2f images/s%n", single);

    java.nio.file.Path scratch = Files.createTempDirectory("cemiface-bench");
    int cores = Runtime.getRuntime().availableProcessors();
    List<String> overrides = new ArrayList<>(inv.config().overrides());
    overrides.addAll(
        List.of(
            "generate.output=" + scratch.resolve("dataset"),
            "generate.plan=" + scratch.resolve("plan"),
            "generate.subjects-per-partition=" + Math.max(1, subjects / (2 * cores)),
            "generate.recordio=true"));
    if (!overrides.stream().anyMatch(o -> o.startsWith("generate.torch-threads"))) {
      overrides.add("generate.torch-threads=1");
    }
    LoadedConfig sparkConfig = ConfigLoader.load(inv.config().files(), overrides);
    SparkSession spark = SparkSessions.start(SparkSettings.from(sparkConfig));
    double viaSpark;
    try {
      PlanJob.run(
          spark,
          inquiries,
          volume,
          new MChoice(new float[] {0f}),
          run.seed(),
          1,
          scratch.resolve("plan").toString());
      long start = System.nanoTime();
      GenerateJob.Summary s = GenerateJob.run(spark, sparkConfig, inv.err());
      viaSpark = s.generated() / ((System.nanoTime() - start) / 1e9);
    } finally {
      spark.stop();
      HadoopFiles.deleteRecursively(new Path(scratch.toString()));
    }
    String master = SparkSettings.from(sparkConfig).master();
    inv.out()
        .printf(
            Locale.ROOT,
            "| %d x %d images, batch %d, %d DDIM steps | %.2f | %.2f (%s) | %.3f |%n",
            subjects,
            images,
            settings.batchSize(),
            SamplingSettings.from(r, NoiseSchedule.from(r.section("diffusion"))).steps(),
            single,
            viaSpark,
            master,
            viaSpark / single);
    return 0;
  }

  private static double singleProcess(
      ConfigReader r,
      RunSettings run,
      GenerateSettings settings,
      ModelWeights weights,
      List<Inquiry> inquiries,
      List<PlanRow> rows) {
    NoiseSchedule schedule = NoiseSchedule.from(r.section("diffusion"));
    SamplingSettings sampling = SamplingSettings.from(r, schedule);
    DdimSampler sampler = sampling.sampler(schedule);
    EncoderSettings encoder = EncoderSettings.from(r).resolvedAgainst(run);
    List<RgbImage> inquiryImages = new ArrayList<>();
    for (Inquiry q : inquiries) {
      inquiryImages.add(
          ImageDecoder.decode(HadoopFiles.readAllBytes(new Path(q.source())), q.source()));
    }
    TorchThreads.set(Runtime.getRuntime().availableProcessors());
    try (SampleModels models =
        CemiFaceSampleModels.load(
            weights.dir(),
            weights.name(),
            encoder,
            sampler,
            Device.cpu(),
            settings.precision(),
            sampling.guidance())) {
      SampleModels.Conditions c = models.condition(inquiryImages);
      long start = System.nanoTime();
      for (int from = 0; from < rows.size(); from += settings.batchSize()) {
        int n = Math.min(settings.batchSize(), rows.size() - from);
        float[][] ids = new float[n][];
        float[] m = new float[n];
        long[] seeds = new long[n];
        for (int k = 0; k < n; k++) {
          PlanRow row = rows.get(from + k);
          ids[k] = c.embeddings()[(int) row.subject()];
          m[k] = row.m();
          seeds[k] = row.seed();
        }
        models.generate(ids, null, m, seeds);
      }
      return rows.size() / ((System.nanoTime() - start) / 1e9);
    }
  }
}
