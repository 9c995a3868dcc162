package org.cemiface.jobs.runs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cemiface.io.HadoopFiles;
import org.cemiface.io.HadoopPaths;

/**
 * A family's run catalog: Parquet, one file per state a run reached (running when it starts, then
 * complete or failed) under {@code catalog/}, each written to a staging name and renamed, so the
 * catalog only grows and never holds half a row; a run's newest row is its state.
 */
final class RunCatalog {
  static final StructType SCHEMA =
      new StructType()
          .add("run_id", DataTypes.StringType, false)
          .add("family", DataTypes.StringType, false)
          .add("scheduled", DataTypes.StringType, false)
          .add("started", DataTypes.StringType, false)
          .add("ended", DataTypes.StringType, false)
          .add("status", DataTypes.StringType, false)
          .add("first_subject", DataTypes.LongType, false)
          .add("subjects", DataTypes.LongType, false)
          .add("images", DataTypes.LongType, false)
          .add("rejects", DataTypes.LongType, false)
          .add("seed", DataTypes.LongType, false)
          .add("config_hash", DataTypes.StringType, false)
          .add("config", DataTypes.StringType, false)
          .add("model_checksum", DataTypes.StringType, false)
          .add("encoder_checksum", DataTypes.StringType, false)
          .add("code_version", DataTypes.StringType, false)
          .add("spark_application_id", DataTypes.StringType, false)
          .add("mean_similarity", DataTypes.DoubleType, true)
          .add("control_error", DataTypes.DoubleType, true)
          .add("overlapping_subjects", DataTypes.LongType, true)
          .add("error", DataTypes.StringType, true);

  private final Path dir;

  /** A catalog row with its schema, so readers take its fields by name. */
  static Row row(Object... values) {
    return new GenericRowWithSchema(values, SCHEMA);
  }

  RunCatalog(Path familyDir) {
    this.dir = new Path(familyDir, "catalog");
  }

  Path dir() {
    return dir;
  }

  /** Every recorded outcome (empty when the family has none yet). */
  List<Row> rows(SparkSession spark) {
    if (!HadoopFiles.exists(dir)
        || HadoopFiles.listFiles(dir).stream().noneMatch(p -> p.getName().endsWith(".parquet"))) {
      return List.of();
    }
    return spark.read().schema(SCHEMA).parquet(dir.toString()).collectAsList();
  }

  /** Whether run {@code id} has completed. */
  boolean complete(SparkSession spark, String id) {
    return rows(spark).stream()
        .anyMatch(r -> id.equals(r.getAs("run_id")) && "complete".equals(r.getAs("status")));
  }

  /** Appends one outcome row, atomically. */
  void append(SparkSession spark, Row row) {
    String name =
        row.getAs("run_id")
            + "-"
            + row.getAs("status")
            + "-"
            + row.<String>getAs("ended").replace(":", "");
    Path staging = new Path(dir, "_staging-" + name);
    Dataset<Row> one = spark.createDataFrame(List.of(row), SCHEMA);
    one.coalesce(1).write().mode(SaveMode.Overwrite).parquet(staging.toString());
    try {
      List<Path> parts = new ArrayList<>();
      for (Path p : HadoopFiles.listFiles(staging)) {
        if (p.getName().endsWith(".parquet")) {
          parts.add(p);
        }
      }
      HadoopFiles.commit(
          HadoopPaths.fileSystem(dir), parts.get(0), new Path(dir, name + ".parquet"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + dir + ": " + e.getMessage(), e);
    } finally {
      HadoopFiles.deleteRecursively(staging);
    }
  }
}
