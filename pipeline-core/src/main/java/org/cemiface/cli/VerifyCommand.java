package org.cemiface.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;
import org.cemiface.config.ConfigReader;
import org.cemiface.config.RunSettings;
import org.cemiface.encoder.EncoderSettings;
import org.cemiface.encoder.IdentityEncoder;
import org.cemiface.encoder.IdentityEncoders;
import org.cemiface.image.ImageEncoder;
import org.cemiface.io.HadoopFiles;
import org.cemiface.report.Charts;
import org.cemiface.verification.BenchmarkBin;
import org.cemiface.verification.BenchmarkResult;
import org.cemiface.verification.VerificationTable;
import org.cemiface.verification.Verifier;

/**
 * {@code verify}: face-verification accuracy of one or more encoders on insightface-format
 * benchmarks, as the paper's Table 6.
 */
public final class VerifyCommand implements Command {
  private static final Pattern NAMED_SOURCE = Pattern.compile("=(djl|adaface|torchscript|onnx):");

  @Override
  public String name() {
    return "verify";
  }

  @Override
  public String summary() {
    return "verification accuracy of encoders on insightface .bin benchmarks (the paper's Table 6)";
  }

  @Override
  public String help() {
    return "Embeds every image of each benchmark and its mirror image (raw features added, then L2-normalised),\n"
        + "and reports 10-fold accuracy (mean ± std), AVG over the benchmarks, GtR and TAR at --far, as insightface's\n"
        + "verification.py does (docs/evaluation.md).\n"
        + "  --encoder LIST    comma-separated [NAME=]SOURCE, e.g. casia=djl:models/fr-casia,onnx:/m/r50.onnx;\n"
        + "                    SOURCE as encoder.source (djl:DIR, adaface:FILE.ckpt, torchscript:FILE, onnx:FILE);\n"
        + "                    NAME (the table's row, the training set; no commas) defaults to the file or\n"
        + "                    folder name\n"
        + "  --benchmarks DIR  a folder of .bin files (lfw.bin, cfp_fp.bin, agedb_30.bin, calfw.bin, cplfw.bin, ...)\n"
        + "                    or a comma-separated list of .bin files\n"
        + "  --output DIR      verification.md, verification.json, verification.parquet, roc-BENCHMARK.png,\n"
        + "                    accuracy.png (each model's AVG, in the order of --encoder)\n"
        + "                    (default verify.output, relative to work-dir; sql's view \"verification\")\n"
        + "  --real NAME       GtR against the AVG of the row NAME (a model trained on real data)\n"
        + "  --real-avg PCT    GtR against this AVG in percent (e.g. a published result)\n"
        + "  --far F           the false-accept rate of the TAR column (default verify.far, 1e-3)\n"
        + "Keys: verify.*, encoder.* (input size, channel order, normalisation, batch size), work-dir.";
  }

  @Override
  public Set<String> options() {
    return Set.of("--encoder", "--benchmarks", "--output", "--real", "--real-avg", "--far");
  }

  @Override
  public int run(Invocation inv) throws Exception {
    ConfigReader r = inv.config().reader();
    RunSettings run = RunSettings.from(r);
    EncoderSettings base = EncoderSettings.from(r);
    Map<String, String> encoders = encoders(inv.required("--encoder"));
    List<Path> files = benchmarkFiles(inv.required("--benchmarks"), run);
    double far =
        inv.option("--far").isPresent()
            ? number(inv.option("--far").get(), "--far", 1e-6, 1)
            : r.doubleIn("verify.far", 1e-6, 1);
    Path output = new Path(run.resolve(inv.option("--output").orElse(r.string("verify.output"))));

    List<BenchmarkResult> results = new ArrayList<>();
    Map<String, List<Charts.Curve>> curves = new LinkedHashMap<>();
    List<BenchmarkBin> bins = new ArrayList<>();
    for (Path file : files) {
      BenchmarkBin bin = BenchmarkBin.read(file);
      inv.err().printf(Locale.ROOT, "%s: %,d pairs from %s%n", bin.name(), bin.pairs(), file);
      bins.add(bin);
    }
    for (Map.Entry<String, String> e : encoders.entrySet()) {
      EncoderSettings settings = base.withSource(e.getValue()).resolvedAgainst(run);
      try (IdentityEncoder encoder = IdentityEncoders.open(settings)) {
        Verifier verifier = new Verifier(encoder, far, inv.err());
        for (BenchmarkBin bin : bins) {
          long start = System.nanoTime();
          Verifier.Outcome o = verifier.verify(e.getKey(), bin);
          results.add(o.result());
          curves
              .computeIfAbsent(bin.name(), k -> new ArrayList<>())
              .add(new Charts.Curve(e.getKey(), o.roc().far(), o.roc().tar()));
          inv.err()
              .printf(
                  Locale.ROOT,
                  "%s on %s: accuracy %.2f %% ± %.2f, TAR %.2f %% at FAR %.0e (%.1f s)%n",
                  e.getKey(),
                  bin.name(),
                  100 * o.result().accuracy(),
                  100 * o.result().accuracyStd(),
                  100 * o.result().tar(),
                  far,
                  (System.nanoTime() - start) / 1e9);
        }
      }
    }
    OptionalDouble real = OptionalDouble.empty();
    if (inv.option("--real").isPresent()) {
      real = VerificationTable.averageOf(results, inv.option("--real").get());
    } else if (inv.option("--real-avg").isPresent()) {
      real = OptionalDouble.of(number(inv.option("--real-avg").get(), "--real-avg", 0, 100) / 100);
    }
    VerificationTable table = new VerificationTable(results, real);
    String markdown = table.markdown();
    HadoopFiles.writeAtomically(
        new Path(output, "verification.md"), markdown.getBytes(StandardCharsets.UTF_8));
    HadoopFiles.writeAtomically(
        new Path(output, "verification.json"), table.json().getBytes(StandardCharsets.UTF_8));
    table.writeParquet(new Path(output, "verification.parquet"));
    for (Map.Entry<String, List<Charts.Curve>> e : curves.entrySet()) {
      HadoopFiles.writeAtomically(
          new Path(output, "roc-" + fileSafe(e.getKey()) + ".png"),
          ImageEncoder.png(Charts.roc("ROC on " + e.getKey(), e.getValue())));
    }
    List<String> averaged = new ArrayList<>();
    List<Double> averages = new ArrayList<>();
    for (String model : encoders.keySet()) {
      table
          .average(model)
          .ifPresent(
              a -> {
                averaged.add(model);
                averages.add(100 * a);
              });
    }
    if (!averages.isEmpty()) {
      HadoopFiles.writeAtomically(
          new Path(output, "accuracy.png"),
          ImageEncoder.png(
              Charts.categories(
                  "Verification accuracy (AVG over " + bins.size() + " benchmarks)",
                  "accuracy (%)",
                  averaged,
                  averages.stream().mapToDouble(Double::doubleValue).toArray())));
    }
    inv.out().print(markdown);
    inv.out().println("Written to " + output);
    return 0;
  }

  /** NAME → SOURCE from "[NAME=]SOURCE,..." in the order given. */
  static Map<String, String> encoders(String list) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String item : list.split(",")) {
      String s = item.trim();
      if (s.isEmpty()) {
        continue;
      }
      // The name ends at the "=" before the source's kind, so names may hold "=" (m = 0).
      Matcher kind = NAMED_SOURCE.matcher(s);
      int eq = kind.find() ? kind.start() : -1;
      String source = eq > 0 ? s.substring(eq + 1) : s;
      String name = eq > 0 ? s.substring(0, eq).trim() : defaultName(source);
      if (!source.contains(":")) {
        throw new UsageError(
            "--encoder '"
                + s
                + "': SOURCE must be KIND:PATH (djl:, adaface:, torchscript:, onnx:)");
      }
      if (out.put(name, source) != null) {
        throw new UsageError("--encoder names '" + name + "' twice; give each NAME=SOURCE once");
      }
    }
    if (out.isEmpty()) {
      throw new UsageError("--encoder lists no encoder");
    }
    return out;
  }

  private static String defaultName(String source) {
    String path = source.substring(source.indexOf(':') + 1).replaceAll("/+$", "");
    String file = path.substring(path.lastIndexOf('/') + 1);
    int dot = file.lastIndexOf('.');
    return dot > 0 ? file.substring(0, dot) : file;
  }

  private static List<Path> benchmarkFiles(String value, RunSettings run) throws Exception {
    List<Path> files = new ArrayList<>();
    if (value.contains(",") || value.endsWith(".bin")) {
      for (String f : value.split(",")) {
        if (!f.isBlank()) {
          files.add(new Path(run.resolve(f.trim())));
        }
      }
    } else {
      Path dir = new Path(run.resolve(value));
      if (!HadoopFiles.exists(dir)) {
        throw new UsageError("--benchmarks " + dir + " does not exist");
      }
      for (Path p : HadoopFiles.listFiles(dir)) {
        if (p.getName().endsWith(".bin")) {
          files.add(p);
        }
      }
      files.sort((a, b) -> a.getName().compareTo(b.getName()));
    }
    if (files.isEmpty()) {
      throw new UsageError("--benchmarks " + value + ": no .bin file found");
    }
    for (Path p : files) {
      if (!HadoopFiles.exists(p)) {
        throw new UsageError("benchmark file " + p + " does not exist");
      }
    }
    return files;
  }

  private static double number(String value, String option, double min, double max) {
    try {
      double v = Double.parseDouble(value);
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageError(
        option + " takes a number in [" + min + ", " + max + "], got '" + value + "'");
  }

  private static String fileSafe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
