package org.cemiface.jobs.runs;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cemiface.config.ConfigLoader;
import org.cemiface.config.LoadedConfig;
import org.cemiface.config.RunSettings;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.HadoopPaths;
import org.cemiface.jobs.GenerationFingerprint;
import org.cemiface.jobs.generate.GenerateJob;
import org.cemiface.jobs.plan.PlanJob;
import org.cemiface.jobs.stats.StatsJob;
import org.cemiface.plan.Inquiry;
import org.cemiface.plan.InquiryList;
import org.cemiface.plan.PlanSettings;
import org.cemiface.random.Seeds;
import org.cemiface.runs.FamilyLock;
import org.cemiface.runs.Fingerprint;
import org.cemiface.runs.RunId;
import org.cemiface.volume.VolumeSettings;

/**
 * One scheduled firing of a dataset family: under the family's lease, plan → generate → stats into
 * {@code <family>/runs/<run-id>/}, the run's subjects and inquiries the next range no earlier run
 * of the family used, its seed derived from the family seed and that range. A completed run fired
 * again does nothing; an interrupted one resumes block by block; one fired with a different
 * fingerprint is refused with the keys that differ. Each outcome becomes a catalog row.
 */
public final class FamilyRun {
  private static final long STREAM_RUN = 0x52;

  private FamilyRun() {}

  /** How a firing ended when it did not fail. */
  public enum Outcome {
    /** The run was made (or finished after an interruption). */
    DONE,
    /** The run had completed before: nothing was done. */
    NOTHING_TO_DO
  }

  /** A firing's outcome and the run's directory. */
  public record Result(Outcome outcome, String runId, String runDir) {}

  /**
   * Fires run {@code explicitId} (or the id of {@code scheduled}) of {@code family}; throws {@link
   * FamilyLock.Locked} when another firing holds the family.
   */
  public static Result fire(
      SparkSession spark,
      LoadedConfig loaded,
      String family,
      String explicitId,
      Instant scheduled,
      Instant now,
      PrintStream log) {
    RunSettings run = RunSettings.from(loaded.reader());
    FamilySettings settings = FamilySettings.from(loaded.reader());
    String id = RunId.of(explicitId, scheduled, settings.idGranularity());
    Path familyDir =
        HadoopFiles.qualified(new Path(new Path(run.resolve(settings.root())), family));
    Path runDir = new Path(new Path(familyDir, "runs"), id);
    RunCatalog catalog = new RunCatalog(familyDir);
    try (FamilyLock lock =
        FamilyLock.acquire(
            new Path(familyDir, "_lock"), id, Duration.ofHours(settings.leaseHours()), now)) {
      Fingerprint fingerprint = GenerationFingerprint.of(loaded);
      Path runFile = new Path(runDir, "run.json");
      JsonObject record;
      if (HadoopFiles.exists(runFile)) {
        record = read(runFile);
        List<String> changed =
            Fingerprint.fromJson(record.getAsJsonObject("fingerprint")).differences(fingerprint);
        if (!changed.isEmpty()) {
          throw new IllegalArgumentException(
              "run "
                  + id
                  + " of family "
                  + family
                  + " was fired with other settings; these differ: "
                  + String.join(", ", changed)
                  + ". Fire it with its own settings, or give the new settings a new --run-id");
        }
        if (catalog.complete(spark, id)) {
          log.printf("[run] %s of %s is complete: nothing to do%n", id, family);
          return new Result(Outcome.NOTHING_TO_DO, id, runDir.toString());
        }
        log.printf("[run] resuming %s of %s%n", id, family);
      } else {
        VolumeSettings volume = VolumeSettings.from(loaded.reader());
        long first = nextFreeSubject(familyDir);
        record = new JsonObject();
        record.addProperty("run_id", id);
        record.addProperty("family", family);
        record.addProperty("scheduled", scheduled.toString());
        record.addProperty("first_subject", first);
        record.addProperty("subjects", volume.subjects());
        record.addProperty("seed", Seeds.derive(run.seed(), STREAM_RUN, first, 0));
        record.add("fingerprint", fingerprint.toJson());
        HadoopFiles.writeAtomically(runFile, pretty(record));
        log.printf(
            "[run] %s of %s: subjects %d..%d%n", id, family, first, first + volume.subjects() - 1);
      }
      return new Result(
          execute(spark, loaded, record, runDir, catalog, fingerprint, now, log),
          id,
          runDir.toString());
    }
  }

  private static Outcome execute(
      SparkSession spark,
      LoadedConfig loaded,
      JsonObject record,
      Path runDir,
      RunCatalog catalog,
      Fingerprint fingerprint,
      Instant started,
      PrintStream log) {
    long first = record.get("first_subject").getAsLong();
    long subjects = record.get("subjects").getAsLong();
    long seed = record.get("seed").getAsLong();
    List<String> overrides = new ArrayList<>(loaded.overrides());
    overrides.addAll(
        List.of(
            "seed=" + seed,
            "plan.output=" + new Path(runDir, "plan.parquet"),
            "generate.plan=" + new Path(runDir, "plan.parquet"),
            "generate.output=" + new Path(runDir, "dataset"),
            "stats.dataset=" + new Path(runDir, "dataset"),
            "stats.output=" + new Path(runDir, "dataset/stats")));
    LoadedConfig c = ConfigLoader.load(loaded.files(), overrides);
    RunSettings run = RunSettings.from(c.reader());
    Row row;
    catalog.append(
        spark, row(record, c.render(), fingerprint, started, "running", 0, spark, null, null));
    try {
      PlanSettings plan = PlanSettings.from(c.reader());
      List<Inquiry> kept = InquiryList.read(run.resolve(plan.inquiries()));
      if (kept.size() < first + subjects) {
        throw new IllegalArgumentException(
            "the family has used "
                + first
                + " of the "
                + kept.size()
                + " kept inquiries in "
                + plan.inquiries()
                + "; this run needs "
                + subjects
                + " more. Filter more candidates first");
      }
      VolumeSettings volume = VolumeSettings.from(c.reader());
      PlanJob.run(
          spark,
          kept.subList((int) first, (int) (first + subjects)),
          volume,
          plan.m(),
          seed,
          plan.partitions(),
          run.resolve(plan.output()));
      GenerateJob.Summary generated = GenerateJob.run(spark, c, log);
      StatsJob.run(spark, c, log);
      JsonObject summary = read(new Path(new Path(runDir, "dataset/stats"), "summary.json"));
      row =
          row(
              record,
              c.render(),
              fingerprint,
              started,
              "complete",
              generated.generated() + generated.copies(),
              spark,
              summary,
              null);
    } catch (Exception e) {
      // Spark rethrows task failures as its own checked exception.
      catalog.append(
          spark,
          row(
              record,
              c.render(),
              fingerprint,
              started,
              "failed",
              0,
              spark,
              null,
              String.valueOf(e.getMessage())));
      throw e;
    }
    catalog.append(spark, row);
    HadoopFiles.writeAtomically(new Path(runDir, "metrics.prom"), Metrics.prometheus(row));
    HadoopFiles.writeAtomically(new Path(runDir, "summary.json"), Metrics.json(row));
    int keep = FamilySettings.from(loaded.reader()).keepRuns();
    if (keep > 0) {
      retain(spark, catalog, runDir.getParent(), keep, log);
    }
    return Outcome.DONE;
  }

  private static Row row(
      JsonObject record,
      String resolved,
      Fingerprint fingerprint,
      Instant started,
      String status,
      long images,
      SparkSession spark,
      JsonObject summary,
      String error) {
    return RunCatalog.row(
        record.get("run_id").getAsString(),
        record.get("family").getAsString(),
        record.get("scheduled").getAsString(),
        started.toString(),
        Instant.now().toString(),
        status,
        record.get("first_subject").getAsLong(),
        record.get("subjects").getAsLong(),
        images,
        0L,
        record.get("seed").getAsLong(),
        sha256(fingerprint.toJson().toString()),
        resolved,
        fingerprint.values().get("model_checksum"),
        fingerprint.values().get("encoder_checksum"),
        fingerprint.values().get("code_version"),
        spark.sparkContext().applicationId(),
        summary == null ? null : summary.get("mean_similarity_to_inquiry").getAsDouble(),
        summary == null ? null : summary.get("mean_abs_error").getAsDouble(),
        summary == null ? null : summary.get("overlapping_subjects").getAsLong(),
        error);
  }

  /**
   * Removes the image shards of every completed run but the newest {@code keep}; samples, stats,
   * run.json and the catalog stay, so the runs remain queryable.
   */
  static void retain(SparkSession spark, RunCatalog catalog, Path runs, int keep, PrintStream log) {
    List<String> complete =
        catalog.rows(spark).stream()
            .filter(r -> "complete".equals(r.getAs("status")))
            .sorted((a, b) -> b.<String>getAs("ended").compareTo(a.getAs("ended")))
            .map(r -> r.<String>getAs("run_id"))
            .distinct()
            .toList();
    for (String id : complete.subList(Math.min(keep, complete.size()), complete.size())) {
      Path dataset = new Path(new Path(runs, id), "dataset");
      if (HadoopFiles.exists(new Path(dataset, "images"))) {
        HadoopFiles.deleteRecursively(new Path(dataset, "images"));
        HadoopFiles.deleteRecursively(new Path(dataset, "recordio"));
        log.printf("[run] retention (family.keep-runs = %d): removed the images of %s%n", keep, id);
      }
    }
  }

  /** The first subject no run of the family has been given (runs record theirs before starting). */
  static long nextFreeSubject(Path familyDir) {
    // run.json files only: a recursive listing would walk every run's images.
    Path glob = new Path(familyDir, "runs/*/run.json");
    long next = 0;
    try {
      FileStatus[] records = HadoopPaths.fileSystem(glob).globStatus(glob);
      for (FileStatus f : records == null ? new FileStatus[0] : records) {
        JsonObject r = read(f.getPath());
        next = Math.max(next, r.get("first_subject").getAsLong() + r.get("subjects").getAsLong());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + glob + ": " + e.getMessage(), e);
    }
    return next;
  }

  private static JsonObject read(Path file) {
    return JsonParser.parseString(
            new String(HadoopFiles.readAllBytes(file), StandardCharsets.UTF_8))
        .getAsJsonObject();
  }

  private static byte[] pretty(JsonObject j) {
    return new GsonBuilder()
        .setPrettyPrinting()
        .create()
        .toJson(j)
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
