package org.cemiface.jobs.inquiries;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.cemiface.config.LoadedConfig;
import org.cemiface.config.RunSettings;
import org.cemiface.inquiry.OneShotDraw;
import org.cemiface.inquiry.OneShotPick;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.HadoopPaths;
import org.cemiface.jobs.TaskProgressListener;
import org.cemiface.progress.Progress;

/**
 * The 1-shot inquiry sample (the paper's "1-shot WebFace4M"): one seeded image per identity of a
 * real labelled dataset, optionally a seeded subset of at most N identities, written as an
 * ImageFolder of inquiry candidates for {@code filter} plus a table with every source identity and
 * what became of it. The images are staged and the folder replaced in one rename, so a killed run
 * leaves the previous output or none, never part of one.
 */
public final class PrepareInquiriesJob {
  private PrepareInquiriesJob() {}

  /** Identities by status, and where the sample went. */
  public record Summary(
      String output, String table, long identities, Map<String, Long> byStatus, double seconds) {}

  /** Runs the job for the resolved configuration {@code loaded}. */
  public static Summary run(SparkSession spark, LoadedConfig loaded, PrintStream log) {
    long start = System.nanoTime();
    RunSettings run = RunSettings.from(loaded.reader());
    PrepareInquiriesSettings settings = PrepareInquiriesSettings.from(loaded.reader());
    if (settings.source().isEmpty()) {
      throw new IllegalArgumentException(
          "prepare-inquiries.source is empty: set it to a labelled ImageFolder or RecordIO directory");
    }
    IdentitySource source = IdentitySource.open(run.resolve(settings.source()));
    Path output = HadoopFiles.qualified(new Path(run.resolve(settings.output())));
    Path table = HadoopFiles.qualified(new Path(run.resolve(settings.table())));
    Path staging = new Path(output.getParent(), "_staging-" + output.getName());
    HadoopFiles.deleteRecursively(staging);

    List<String> identities = source.identities();
    Set<String> sampled = OneShotDraw.sample(identities, settings.maxIdentities(), run.seed());
    List<String> todo = identities.stream().filter(sampled::contains).toList();
    int tasks =
        Math.max(
            1, (todo.size() + settings.identitiesPerTask() - 1) / settings.identitiesPerTask());
    log.printf(
        "[prepare-inquiries] %,d identities in %s; sampling %,d in %d tasks%n",
        identities.size(), settings.source(), todo.size(), tasks);

    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    TaskProgressListener listener =
        new TaskProgressListener(new Progress("prepare-inquiries", "tasks", tasks, log));
    spark.sparkContext().addSparkListener(listener);
    long seed = run.seed();
    String stagingDir = staging.toString();
    List<Row> rows;
    try {
      rows =
          new ArrayList<>(
              jsc.parallelize(todo, tasks)
                  .mapPartitions(ids -> pickAll(ids, source, seed, stagingDir))
                  .collect());
    } finally {
      spark.sparkContext().removeSparkListener(listener);
    }
    for (String id : identities) {
      if (!sampled.contains(id)) {
        rows.add(OneShotTable.notSampled(id));
      }
    }
    rows.sort((a, b) -> a.getString(0).compareTo(b.getString(0)));

    Map<String, Long> byStatus = new LinkedHashMap<>();
    for (OneShotPick.Status s : OneShotPick.Status.values()) {
      byStatus.put(s.label(), 0L);
    }
    rows.forEach(r -> byStatus.merge(r.getString(1), 1L, Long::sum));
    long total = byStatus.values().stream().mapToLong(Long::longValue).sum();
    if (total != identities.size()) {
      throw new IllegalStateException(
          total + " table rows for " + identities.size() + " identities; rerun prepare-inquiries");
    }
    long kept = byStatus.get(OneShotPick.Status.KEPT.label());
    if (kept == 0) {
      HadoopFiles.deleteRecursively(staging);
      throw new IllegalStateException(
          "prepare-inquiries: no identity of " + settings.source() + " has a readable image");
    }
    Path tableStaging = new Path(table.getParent(), "_staging-" + table.getName());
    spark
        .createDataFrame(rows, OneShotTable.SCHEMA)
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(tableStaging.toString());
    try {
      HadoopFiles.commit(HadoopPaths.fileSystem(output), staging, output);
      HadoopFiles.commit(HadoopPaths.fileSystem(table), tableStaging, table);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish " + output + ": " + e.getMessage(), e);
    }
    return new Summary(
        output.toString(),
        table.toString(),
        identities.size(),
        byStatus,
        (System.nanoTime() - start) / 1e9);
  }

  /** One task: picks an image for each of its identities and stages it under its identity. */
  private static Iterator<Row> pickAll(
      Iterator<String> ids, IdentitySource source, long seed, String stagingDir) {
    List<Row> out = new ArrayList<>();
    try (IdentitySource.Reader reader = source.reader()) {
      while (ids.hasNext()) {
        String id = ids.next();
        OneShotPick.Selection s =
            OneShotPick.pick(id, reader.images(id), image -> reader.read(id, image), seed);
        if (s.status() != OneShotPick.Status.KEPT) {
          out.add(OneShotTable.row(s, null, null));
          continue;
        }
        String file = outputName(s.chosen(), s.bytes());
        // A retried task writes the same bytes to the same name.
        HadoopFiles.writeAtomically(new Path(new Path(stagingDir, id), file), s.bytes());
        out.add(OneShotTable.row(s, reader.relative(id, s.chosen()), id + "/" + file));
      }
    }
    return out.iterator();
  }

  /**
   * The image's file name in the output: its own, or for RecordIO its key with the format's suffix.
   */
  static String outputName(String chosen, byte[] bytes) {
    if (chosen.contains(".")) {
      return chosen;
    }
    boolean png =
        bytes.length > 3 && (bytes[0] & 0xFF) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N';
    return chosen + (png ? ".png" : ".jpg");
  }
}
