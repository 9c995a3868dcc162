package org.cemiface.training.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.cemiface.cli.Command;
import org.cemiface.cli.Invocation;
import org.cemiface.config.ConfigLoader;
import org.cemiface.config.LoadedConfig;
import org.cemiface.io.HadoopFiles;
import org.cemiface.nn.Precision;
import org.cemiface.stats.Median;

/**
 * {@code bench-train}: CemiFace training throughput at each precision, side by side in one process,
 * from the trainer's own per-step timing (forward, backward, update; data loading and checkpoints
 * excluded).
 */
public final class BenchTrainCommand implements Command {
  @Override
  public String name() {
    return "bench-train";
  }

  @Override
  public String summary() {
    return "benchmark: CemiFace training images/s at fp32 and fp16, side by side";
  }

  @Override
  public String help() {
    return "Trains the configured model (train.*, model.*, encoder.source) from scratch in a scratch directory for\n"
        + "2 x --steps steps (default 20) per precision in --precisions (default fp32,fp16), --repeats times\n"
        + "(default 2) in alternating order. The first --steps are warm-up; the rate is the trainer's own images/s\n"
        + "over the second --steps (forward, backward and update only). Prints one docs/benchmarks.md row per\n"
        + "precision: median images/s, the runs, and the ratio to the first precision.";
  }

  @Override
  public Set<String> options() {
    return Set.of("--steps", "--precisions", "--repeats");
  }

  @Override
  public int run(Invocation inv) throws Exception {
    int steps = inv.wholeNumber("--steps", "20", 1);
    int repeats = inv.wholeNumber("--repeats", "2", 1);
    List<Precision> precisions = new ArrayList<>();
    for (String p : inv.option("--precisions").orElse("fp32,fp16").split(",")) {
      precisions.add(Precision.parse(p, "--precisions"));
    }
    java.nio.file.Path scratch = Files.createTempDirectory("cemiface-bench-train");
    Map<Precision, List<Double>> rates = new LinkedHashMap<>();
    precisions.forEach(p -> rates.put(p, new ArrayList<>()));
    String devices = "";
    try {
      for (int r = 0; r < repeats; r++) {
        List<Precision> order = new ArrayList<>(precisions);
        if (r % 2 == 1) {
          Collections.reverse(order);
        }
        for (Precision p : order) {
          String name = p.key();
          List<String> overrides = new ArrayList<>(inv.config().overrides());
          overrides.addAll(
              List.of(
                  "train.precision=" + name,
                  "train.steps=" + 2 * steps,
                  "train.log-every=" + steps,
                  "train.checkpoint-every=" + 2 * steps,
                  "train.sheet-inquiries=0",
                  "train.output=" + scratch.resolve(name + "-" + r)));
          LoadedConfig config = ConfigLoader.load(inv.config().files(), overrides);
          TrainingRun.Result result = TrainingRun.run(config, false, inv.err(), inv.err());
          double rate = measuredRate(new Path(result.output(), "metrics.jsonl"));
          rates.get(p).add(rate);
          devices = result.devices().toString();
          inv.err()
              .printf(
                  Locale.ROOT,
                  "[bench] %s run %d: %.2f images/s (%d non-finite, %d overflow steps)%n",
                  name,
                  r + 1,
                  rate,
                  result.summary().nonFiniteSteps(),
                  result.summary().overflowSteps());
        }
      }
    } finally {
      HadoopFiles.deleteRecursively(new Path(scratch.toString()));
    }
    double base = median(rates.get(precisions.get(0)));
    int batch = inv.config().reader().intIn("train.batch-size", 1, 65536);
    for (Map.Entry<Precision, List<Double>> e : rates.entrySet()) {
      StringBuilder runs = new StringBuilder();
      e.getValue()
          .forEach(
              v ->
                  runs.append(runs.length() == 0 ? "" : ", ")
                      .append(String.format(Locale.ROOT, "%.2f", v)));
      inv.out()
          .printf(
              Locale.ROOT,
              "| %s | %s | batch %d, %d timed steps | %.2f (%s) | %.3f |%n",
              e.getKey().key(),
              devices,
              batch,
              steps,
              median(e.getValue()),
              runs,
              median(e.getValue()) / base);
    }
    return 0;
  }

  /** images/s of the second logged interval (the first is warm-up). */
  private static double measuredRate(Path metrics) {
    String[] lines =
        new String(HadoopFiles.readAllBytes(metrics), StandardCharsets.UTF_8).trim().split("\n");
    if (lines.length < 2) {
      throw new IllegalStateException(
          metrics
              + " has "
              + lines.length
              + " interval(s), expected 2: too many steps"
              + " were skipped (see the run's log)");
    }
    JsonObject second = JsonParser.parseString(lines[1]).getAsJsonObject();
    return second.get("images_per_s").getAsDouble();
  }

  private static double median(List<Double> rates) {
    return Median.of(rates.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
