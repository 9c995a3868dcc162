package org.cemiface.jobs.runs;

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
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cemiface.config.LoadedConfig;
import org.cemiface.config.RunSettings;
import org.cemiface.generate.DatasetLayout;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.HadoopPaths;
import scala.Tuple2;

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
    for (Row r : new RunCatalog(familyDir).rows(spark)) {
      String id = r.getString(0);
      if ("complete".equals(r.getString(5)) && (runs.isEmpty() || runs.contains(id))) {
        firstSubject.put(id, r.getLong(6));
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
    List<Tuple2<String, String>> copies = new ArrayList<>();
    long subjects = 0;
    for (Map.Entry<String, Long> e : firstSubject.entrySet()) {
      Path dataset = new Path(new Path(new Path(familyDir, "runs"), e.getKey()), "dataset");
      if (!HadoopFiles.exists(new Path(dataset, "images"))) {
        throw new IllegalArgumentException(
            "run " + e.getKey() + " of " + family + " has no images left (retention removed them)");
      }
      long maxSubject = -1;
      for (Row s :
          spark
              .read()
              .parquet(new Path(dataset, "samples.parquet").toString())
              .select("subject", "index", "path")
              .collectAsList()) {
        long global = e.getValue() + s.getLong(0);
        String path = s.getString(2);
        String extension = path.substring(path.lastIndexOf('.'));
        copies.add(
            new Tuple2<>(
                new Path(dataset, path).toString(),
                DatasetLayout.subjectName(global) + "/" + s.getInt(1) + extension));
        maxSubject = Math.max(maxSubject, s.getLong(0));
      }
      subjects += maxSubject + 1;
    }
    Path target = HadoopFiles.qualified(new Path(run.resolve(output)));
    Path staging = new Path(target.getParent(), "_staging-" + target.getName());
    HadoopFiles.deleteRecursively(staging);
    String stagingDir = staging.toString();
    log.printf(
        "[export] %d runs of %s: %,d images into %s%n",
        firstSubject.size(), family, copies.size(), target);
    JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(copies, Math.max(1, copies.size() / 2000))
        .foreach(
            c ->
                HadoopFiles.writeAtomically(
                    new Path(stagingDir, c._2()), HadoopFiles.readAllBytes(new Path(c._1()))));
    JsonObject info = new JsonObject();
    info.addProperty("family", family);
    JsonArray included = new JsonArray();
    firstSubject.keySet().forEach(included::add);
    info.add("runs", included);
    info.addProperty("images", copies.size());
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
    return new Summary(
        target.toString(), new ArrayList<>(firstSubject.keySet()), subjects, copies.size());
  }
}
