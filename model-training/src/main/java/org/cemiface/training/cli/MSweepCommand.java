package org.cemiface.training.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.cemiface.checkpoint.ModelWeights;
import org.cemiface.checkpoint.TrainingRunLayout;
import org.cemiface.cli.Command;
import org.cemiface.cli.Invocation;
import org.cemiface.cli.UsageError;
import org.cemiface.config.ConfigReader;
import org.cemiface.config.RunSettings;
import org.cemiface.data.TrainingImages;
import org.cemiface.diffusion.DdimSampler;
import org.cemiface.diffusion.NoiseSchedule;
import org.cemiface.diffusion.SamplingSettings;
import org.cemiface.encoder.DifferentiableEncoder;
import org.cemiface.encoder.EncoderSettings;
import org.cemiface.encoder.IdentityEncoders;
import org.cemiface.image.ImageEncoder;
import org.cemiface.image.ImageGrid;
import org.cemiface.image.RgbImage;
import org.cemiface.io.HadoopFiles;
import org.cemiface.model.cemiface.CemiFaceGenerator;
import org.cemiface.model.cemiface.CemiFaceStore;
import org.cemiface.model.cemiface.CemiFaceUNet;
import org.cemiface.nn.Precision;
import org.cemiface.random.Seeds;
import org.cemiface.training.cemiface.MSweep;
import org.cemiface.training.cemiface.TrainSettings;

/**
 * {@code m-sweep}: does the achieved similarity follow the requested m? Table and picture from the
 * EMA model.
 */
public final class MSweepCommand implements Command {

  @Override
  public String name() {
    return "m-sweep";
  }

  @Override
  public String summary() {
    return "generate from the trained model at several m and report mean achieved similarity per m";
  }

  @Override
  public String help() {
    return "Loads the EMA weights of --model (default train.output: a training output, one checkpoint, or an\n"
        + "import-unet output, whose only network is used), takes the first image of --count\n"
        + "identities of --inquiries (an ImageFolder; default train.data) as inquiries, generates --samples images\n"
        + "per inquiry and m (m = 1, 0.5, 0, -0.5) with sampling.steps DDIM steps (guidance: sampling.guidance), embeds them with the encoder and\n"
        + "prints the table m -> mean achieved cosine similarity to the inquiry. Writes m-sweep.md and\n"
        + "m-sweep.png into the --model directory.";
  }

  @Override
  public Set<String> options() {
    return Set.of("--inquiries", "--count", "--samples", "--model");
  }

  @Override
  public int run(Invocation inv) {
    ConfigReader r = inv.config().reader();
    RunSettings run = RunSettings.from(r);
    TrainSettings train = TrainSettings.from(r);
    Path output = new Path(run.resolve(inv.option("--model").orElse(train.output())));
    if (!HadoopFiles.exists(output)) {
      throw new UsageError(
          "no model at " + output + ": run bin/cemiface train first, or pass --model");
    }
    ModelWeights weights = ModelWeights.locate(output, TrainingRunLayout.EMA);
    inv.err().println("Model: " + weights.describe());
    int count = inv.wholeNumber("--count", "16", 1);
    int samples = inv.wholeNumber("--samples", "2", 1);
    List<RgbImage> inquiries =
        MSweep.firstImages(
            TrainingImages.list(run.resolve(inv.option("--inquiries").orElse(train.data()))),
            count,
            bad -> inv.err().println("m-sweep: skipping " + bad));
    if (inquiries.isEmpty()) {
      throw new UsageError(
          "no readable inquiry image in "
              + inv.option("--inquiries").orElse(train.data())
              + ": pass --inquiries with an ImageFolder, RecordIO or Parquet image table of faces");
    }
    NoiseSchedule schedule = NoiseSchedule.from(r.section("diffusion"));
    SamplingSettings sampling = SamplingSettings.from(r, schedule);
    DdimSampler sampler = sampling.sampler(schedule);
    EncoderSettings encoderSettings = EncoderSettings.from(r).resolvedAgainst(run);
    try (DifferentiableEncoder encoder = IdentityEncoders.openDifferentiable(encoderSettings);
        NDManager manager = NDManager.newBaseManager()) {
      CemiFaceUNet ema = CemiFaceStore.load(weights.dir(), weights.name(), manager);
      CemiFaceGenerator generator =
          new CemiFaceGenerator(
              ema,
              sampler,
              new ParameterStore(manager, false),
              Precision.FP32,
              sampling.guidance());
      MSweep.Result sweep =
          MSweep.run(
              inquiries,
              encoder,
              generator,
              manager,
              MSweep.DEFAULT_M,
              samples,
              (i, j, k) -> Seeds.derive(run.seed(), 0x35, i, j * samples + k),
              done -> inv.err().printf("[m-sweep] inquiry %d/%d%n", done, inquiries.size()));
      StringBuilder table =
          new StringBuilder(
              "| requested m | mean achieved similarity | std | samples |\n|---|---|---|---|\n");
      List<String> columns = new ArrayList<>(List.of("inquiry"));
      for (int j = 0; j < sweep.m().length; j++) {
        table.append(
            String.format(
                Locale.ROOT,
                "| %.1f | %.3f | %.3f | %d |%n",
                sweep.m()[j],
                sweep.mean()[j],
                sweep.std()[j],
                sweep.samplesPerM()));
        columns.add(String.format(Locale.ROOT, "m=%.1f", sweep.m()[j]));
      }
      String md = "# m sweep of " + weights.params() + "\n\n" + table;
      HadoopFiles.writeAtomically(
          new Path(output, "m-sweep.md"), md.getBytes(StandardCharsets.UTF_8));
      HadoopFiles.writeAtomically(
          new Path(output, "m-sweep.png"),
          ImageEncoder.png(
              ImageGrid.render(
                  sweep.rows(), List.of(), columns, Math.max(64, inquiries.get(0).width() * 2))));
      inv.out().print(table);
      inv.out()
          .println(
              "Written: "
                  + new Path(output, "m-sweep.md")
                  + ", "
                  + new Path(output, "m-sweep.png"));
      return 0;
    }
  }
}
