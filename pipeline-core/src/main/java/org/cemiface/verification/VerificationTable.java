package org.cemiface.verification;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.cemiface.io.ParquetTableWriter;

/**
 * Verification results laid out as the paper's Table 6: one row per model (the training set it
 * learnt from), one column per benchmark, then AVG (mean accuracy over the row's benchmarks) and
 * GtR (gap to real: the reference AVG minus this AVG, when a reference is given). Benchmarks with
 * insightface's file names get the paper's column names, in the paper's order.
 */
public final class VerificationTable {
  /** Parquet columns of the per-(model, benchmark) table; see docs/evaluation.md. */
  public static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message verification {\n"
              + "  required binary model (STRING);\n"
              + "  required binary benchmark (STRING);\n"
              + "  required int32 pairs;\n"
              + "  required double accuracy;\n"
              + "  required double accuracy_std;\n"
              + "  required double far_target;\n"
              + "  required double tar;\n"
              + "  required double tar_std;\n"
              + "  required double far;\n"
              + "}");

  private static final Map<String, String> PAPER_COLUMNS = new LinkedHashMap<>();

  static {
    PAPER_COLUMNS.put("lfw", "LFW");
    PAPER_COLUMNS.put("cfp_fp", "CFP-FP");
    PAPER_COLUMNS.put("agedb_30", "AgeDB-30");
    PAPER_COLUMNS.put("calfw", "CALFW");
    PAPER_COLUMNS.put("cplfw", "CPLFW");
  }

  private final List<BenchmarkResult> results;
  private final List<String> models = new ArrayList<>();
  private final List<String> benchmarks = new ArrayList<>();
  private final OptionalDouble realAverage;

  /**
   * The table of {@code results}; {@code realAverage} is the reference AVG for GtR, as a fraction
   * (empty: no GtR column values).
   */
  public VerificationTable(List<BenchmarkResult> results, OptionalDouble realAverage) {
    this.results = List.copyOf(results);
    this.realAverage = realAverage;
    LinkedHashSet<String> m = new LinkedHashSet<>();
    LinkedHashSet<String> b = new LinkedHashSet<>();
    for (String known : PAPER_COLUMNS.keySet()) {
      if (results.stream().anyMatch(r -> r.benchmark().equals(known))) {
        b.add(known);
      }
    }
    for (BenchmarkResult r : results) {
      m.add(r.model());
      b.add(r.benchmark());
    }
    models.addAll(m);
    benchmarks.addAll(b);
  }

  /** The reference AVG taken from the row of {@code model} (for GtR against a listed model). */
  public static OptionalDouble averageOf(List<BenchmarkResult> results, String model) {
    List<BenchmarkResult> own = results.stream().filter(r -> r.model().equals(model)).toList();
    if (own.isEmpty()) {
      throw new IllegalArgumentException(
          "the reference model '" + model + "' has no results; verified: " + modelsOf(results));
    }
    return OptionalDouble.of(
        own.stream().mapToDouble(BenchmarkResult::accuracy).average().orElse(0));
  }

  private static List<String> modelsOf(List<BenchmarkResult> results) {
    return results.stream().map(BenchmarkResult::model).distinct().toList();
  }

  /** AVG of {@code model}'s accuracies; empty when it misses a benchmark of the table. */
  public OptionalDouble average(String model) {
    double sum = 0;
    for (String b : benchmarks) {
      BenchmarkResult r = find(model, b);
      if (r == null) {
        return OptionalDouble.empty();
      }
      sum += r.accuracy();
    }
    return OptionalDouble.of(sum / benchmarks.size());
  }

  /** GtR of {@code model} (reference AVG minus its AVG); empty without a reference or an AVG. */
  public OptionalDouble gapToReal(String model) {
    OptionalDouble avg = average(model);
    if (realAverage.isEmpty() || avg.isEmpty()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(realAverage.getAsDouble() - avg.getAsDouble());
  }

  /** The accuracy table (percent, two decimals, ± std) and the TAR@FAR table, in Markdown. */
  public String markdown() {
    StringBuilder s = new StringBuilder();
    header(s, " AVG | GtR |", 2);
    for (String model : models) {
      cells(s, model, r -> pct(r.accuracy()) + " ± " + pct(r.accuracyStd()));
      s.append(' ').append(format(average(model))).append(" |");
      s.append(' ').append(format(gapToReal(model))).append(" |\n");
    }
    if (!results.isEmpty()) {
      s.append("\nTAR at FAR = ")
          .append(String.format(Locale.ROOT, "%.0e", results.get(0).farTarget()))
          .append(" (percent, mean ± std over the 10 folds):\n\n");
      header(s, "", 0);
      for (String model : models) {
        cells(s, model, r -> pct(r.tar()) + " ± " + pct(r.tarStd()));
        s.append('\n');
      }
    }
    return s.toString();
  }

  private void header(StringBuilder s, String extraColumns, int extraCount) {
    s.append("| Training set |");
    for (String b : benchmarks) {
      s.append(' ').append(PAPER_COLUMNS.getOrDefault(b, b)).append(" |");
    }
    s.append(extraColumns).append("\n|---|");
    s.append("---|".repeat(benchmarks.size() + extraCount)).append('\n');
  }

  private void cells(StringBuilder s, String model, Function<BenchmarkResult, String> cell) {
    s.append("| ").append(model).append(" |");
    for (String b : benchmarks) {
      BenchmarkResult r = find(model, b);
      s.append(' ').append(r == null ? "–" : cell.apply(r)).append(" |");
    }
  }

  /** Every result plus each model's AVG and GtR, as pretty-printed JSON. */
  public String json() {
    JsonObject root = new JsonObject();
    JsonArray rows = new JsonArray();
    for (BenchmarkResult r : results) {
      JsonObject o = new JsonObject();
      o.addProperty("model", r.model());
      o.addProperty("benchmark", r.benchmark());
      o.addProperty("pairs", r.pairs());
      o.addProperty("accuracy", r.accuracy());
      o.addProperty("accuracy_std", r.accuracyStd());
      o.addProperty("far_target", r.farTarget());
      o.addProperty("tar", r.tar());
      o.addProperty("tar_std", r.tarStd());
      o.addProperty("far", r.far());
      rows.add(o);
    }
    root.add("results", rows);
    JsonArray summary = new JsonArray();
    for (String model : models) {
      JsonObject o = new JsonObject();
      o.addProperty("model", model);
      average(model).ifPresent(v -> o.addProperty("avg", v));
      gapToReal(model).ifPresent(v -> o.addProperty("gtr", v));
      summary.add(o);
    }
    root.add("models", summary);
    realAverage.ifPresent(v -> root.addProperty("real_avg", v));
    return new GsonBuilder().setPrettyPrinting().create().toJson(root);
  }

  /** Writes one row per (model, benchmark) to {@code target} atomically. */
  public void writeParquet(Path target) {
    try (ParquetTableWriter writer = new ParquetTableWriter(target, SCHEMA)) {
      for (BenchmarkResult r : results) {
        Group g = writer.newRow();
        g.add("model", r.model());
        g.add("benchmark", r.benchmark());
        g.add("pairs", r.pairs());
        g.add("accuracy", r.accuracy());
        g.add("accuracy_std", r.accuracyStd());
        g.add("far_target", r.farTarget());
        g.add("tar", r.tar());
        g.add("tar_std", r.tarStd());
        g.add("far", r.far());
        writer.write(g);
      }
      writer.commit();
    }
  }

  private BenchmarkResult find(String model, String benchmark) {
    for (BenchmarkResult r : results) {
      if (r.model().equals(model) && r.benchmark().equals(benchmark)) {
        return r;
      }
    }
    return null;
  }

  private static String format(OptionalDouble v) {
    return v.isPresent() ? pct(v.getAsDouble()) : "–";
  }

  private static String pct(double fraction) {
    return String.format(Locale.ROOT, "%.2f", 100 * fraction);
  }
}
