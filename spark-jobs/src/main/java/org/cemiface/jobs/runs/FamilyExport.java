package org.cemiface.jobs.runs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cemiface.config.LoadedConfig;
import org.cemiface.config.RunSettings;
import org.cemiface.generate.DatasetLayout;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.HadoopPaths;

/**
 * The union of a family's completed runs (or a selection) as one ImageFolder: each run's subjects
 * renumbered by its first subject in the family, so no two runs share a class folder, every image
 * copied byte for byte, the folder staged and renamed into place with an {@code export.json} naming
 * the runs it holds.
 */
public final class FamilyExport {
  private FamilyExport() {}

  /** What was exported. */
  public record Summary(String output, List<String> runs, long subjects, long images) {}

  /** Exports {@code runs} (all completed ones when empty) of {@code family} to {@code output}. */
  public static Summary run(
      SparkSession spark,
      LoadedConfig loaded,
      String family,
      Set<String> runs,
      String output,
      PrintStream log) {
    RunSettings run = RunSettings.from(loaded.reader());
    FamilySettings settings = FamilySettings.from(loaded.reader());
    Path familyDir =
        HadoopFiles.qualified(new Path(new Path(run.resolve(settings.root())), family));
    Map<String, Long> firstSubject = new LinkedHashMap<>();
    long subjects = 0;
    for (Row r : new RunCatalog(familyDir).rows(spark)) {
      String id = r.getAs("run_id");
      if ("complete".equals(r.getAs("status"))
          && (runs.isEmpty() || runs.contains(id))
          && !firstSubject.containsKey(id)) {
        firstSubject.put(id, r.<Long>getAs("first_subject"));
        subjects += r.<Long>getAs("subjects");
      }
    }
    for (String wanted : runs) {
      if (!firstSubject.containsKey(wanted)) {
        throw new IllegalArgumentException(
            "--runs: " + wanted + " is not a completed run of family " + family);
      }
    }
    if (firstSubject.isEmpty()) {
      throw new IllegalArgumentException("family " + family + " has no completed run to export");
    }
    // Each run's samples table, with where its images are and its subject offset: the copies run on
    // the executors, block by block, and nothing but the count comes back.
    Dataset<Row> all = null;
    for (Map.Entry<String, Long> e : firstSubject.entrySet()) {
      Path dataset = new Path(new Path(new Path(familyDir, "runs"), e.getKey()), "dataset");
      if (!HadoopFiles.exists(new Path(dataset, "images"))) {
        throw new IllegalArgumentException(
            "run " + e.getKey() + " of " + family + " has no images left (retention removed them)");
      }
      Dataset<Row> samples =
          spark
              .read()
              .parquet(new Path(dataset, "samples.parquet").toString())
              .select(
                  col("subject"),
                  col("index"),
                  col("path"),
                  lit(dataset.toString()).as("dataset"),
                  lit(e.getValue()).as("first_subject"));
      all = all == null ? samples : all.union(samples);
    }
    Path target = HadoopFiles.qualified(new Path(run.resolve(output)));
    Path staging = new Path(target.getParent(), "_staging-" + target.getName());
    HadoopFiles.deleteRecursively(staging);
    String stagingDir = staging.toString();
    long images = all.count();
    log.printf(
        "[export] %d runs of %s: %,d images into %s%n",
        firstSubject.size(), family, images, target);
    all.javaRDD().foreach(r -> copy(r, stagingDir));
    JsonObject info = new JsonObject();
    info.addProperty("family", family);
    JsonArray included = new JsonArray();
    firstSubject.keySet().forEach(included::add);
    info.add("runs", included);
    info.addProperty("images", images);
    HadoopFiles.writeAtomically(
        new Path(staging, "export.json"),
        new GsonBuilder()
            .setPrettyPrinting()
            .create()
            .toJson(info)
            .getBytes(StandardCharsets.UTF_8));
    try {
      HadoopFiles.commit(HadoopPaths.fileSystem(target), staging, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish " + target + ": " + e.getMessage(), e);
    }
    return new Summary(target.toString(), new ArrayList<>(firstSubject.keySet()), subjects, images);
  }

  /** Copies one image to its class folder: the run's subject offset by the run's first subject. */
  private static void copy(Row r, String stagingDir) {
    String path = r.getString(2);
    long global = r.getLong(4) + r.getLong(0);
    String name =
        DatasetLayout.subjectName(global)
            + "/"
            + r.getInt(1)
            + path.substring(path.lastIndexOf('.'));
    HadoopFiles.writeAtomically(
        new Path(stagingDir, name), HadoopFiles.readAllBytes(new Path(r.getString(3), path)));
  }
}
