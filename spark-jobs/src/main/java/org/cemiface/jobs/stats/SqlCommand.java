package org.cemiface.jobs.stats;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cemiface.cli.Command;
import org.cemiface.cli.Invocation;
import org.cemiface.cli.UsageError;
import org.cemiface.config.ConfigReader;
import org.cemiface.config.RunSettings;
import org.cemiface.filter.FilterSettings;
import org.cemiface.generate.GenerateSettings;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.HadoopPaths;
import org.cemiface.jobs.SparkSessions;
import org.cemiface.jobs.SparkSettings;
import org.cemiface.stats.StatsSettings;

/** {@code sql}: the pipeline's tables as Spark SQL views, and queries over them. */
public final class SqlCommand implements Command {
  @Override
  public String name() {
    return "sql";
  }

  @Override
  public String summary() {
    return "run Spark SQL over the pipeline's tables (per_image, per_subject, histogram, control, fid, samples, plan, inquiries, verification)";
  }

  @Override
  public String help() {
    return "Registers as temporary views every table that exists under the configured paths: per_image,\n"
        + "per_subject, histogram, control, fid (stats.output), samples (generate.output), plan (generate.plan),\n"
        + "inquiries (filter.output), verification (verify.output) and runs (every family's catalog under\n"
        + "family.root); then runs --query \"SQL\", or the\n"
        + "';'-separated statements read from stdin,\n"
        + "printing each result as a table (at most --limit rows, default 100). Examples: docs/querying.md.";
  }

  @Override
  public Set<String> options() {
    return Set.of("--query", "--limit");
  }

  @Override
  public int run(Invocation inv) throws Exception {
    int limit = Integer.parseInt(inv.option("--limit").orElse("100"));
    List<String> statements = new ArrayList<>();
    if (inv.option("--query").isPresent()) {
      statements.add(inv.option("--query").get());
    } else {
      String all =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
              .lines()
              .collect(Collectors.joining("\n"));
      for (String s : all.split(";")) {
        if (!s.isBlank()) {
          statements.add(s.trim());
        }
      }
    }
    SparkSession spark = SparkSessions.start(SparkSettings.from(inv.config()));
    try {
      Map<String, String> views = register(spark, inv.config().reader());
      inv.err().println("Views: " + views);
      for (String sql : statements) {
        try {
          print(spark.sql(sql), limit, inv);
        } catch (Exception e) {
          // The query is part of the command line: a statement Spark cannot parse or resolve is the
          // user's to fix, not a failed run.
          if (e instanceof org.apache.spark.sql.AnalysisException) {
            throw new UsageError("the query cannot run: " + e.getMessage().strip());
          }
          throw e;
        }
      }
      return 0;
    } finally {
      spark.stop();
    }
  }

  /** Registers the existing tables; returns view name → location. */
  public static Map<String, String> register(SparkSession spark, ConfigReader r) {
    RunSettings run = RunSettings.from(r);
    String stats = run.resolve(StatsSettings.from(r).output());
    Map<String, String> candidates = new LinkedHashMap<>();
    for (String t : List.of("per_image", "per_subject", "histogram", "control", "fid")) {
      candidates.put(t, StatsJob.table(stats, t));
    }
    GenerateSettings generate = GenerateSettings.from(r);
    candidates.put(
        "samples", new Path(run.resolve(generate.output()), "samples.parquet").toString());
    candidates.put("plan", run.resolve(generate.plan()));
    candidates.put("inquiries", run.resolve(FilterSettings.from(r).output()));
    candidates.put(
        "verification",
        new Path(run.resolve(r.string("verify.output")), "verification.parquet").toString());
    Map<String, String> registered = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : candidates.entrySet()) {
      if (HadoopFiles.exists(new Path(e.getValue()))) {
        spark.read().parquet(e.getValue()).createOrReplaceTempView(e.getKey());
        registered.put(e.getKey(), e.getValue());
      }
    }
    // Every family's run catalog under family.root, as one view.
    Path glob = new Path(new Path(run.resolve(r.string("family.root"))), "*/catalog/*.parquet");
    FileStatus[] catalogs;
    try {
      catalogs = HadoopPaths.fileSystem(glob).globStatus(glob);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot list " + glob + ": " + e.getMessage(), e);
    }
    if (catalogs != null && catalogs.length > 0) {
      spark.read().parquet(glob.toString()).createOrReplaceTempView("runs");
      registered.put("runs", glob.toString());
    }
    return registered;
  }

  private static void print(Dataset<Row> result, int limit, Invocation inv) {
    String[] columns = result.columns();
    List<Row> rows = result.limit(limit).collectAsList();
    List<String[]> cells = new ArrayList<>();
    int[] width = new int[columns.length];
    for (int c = 0; c < columns.length; c++) {
      width[c] = columns[c].length();
    }
    for (Row row : rows) {
      String[] line = new String[columns.length];
      for (int c = 0; c < columns.length; c++) {
        line[c] = row.isNullAt(c) ? "NULL" : String.valueOf(row.get(c));
        width[c] = Math.max(width[c], line[c].length());
      }
      cells.add(line);
    }
    StringBuilder out = new StringBuilder();
    appendLine(out, columns, width);
    for (int c = 0; c < columns.length; c++) {
      out.append(c == 0 ? "" : "-+-").append("-".repeat(width[c]));
    }
    out.append('\n');
    for (String[] line : cells) {
      appendLine(out, line, width);
    }
    out.append('(').append(rows.size()).append(rows.size() == 1 ? " row" : " rows").append(")\n");
    inv.out().print(out);
  }

  private static void appendLine(StringBuilder out, String[] values, int[] width) {
    for (int c = 0; c < values.length; c++) {
      out.append(c == 0 ? "" : " | ").append(String.format("%-" + width[c] + "s", values[c]));
    }
    out.append('\n');
  }
}
