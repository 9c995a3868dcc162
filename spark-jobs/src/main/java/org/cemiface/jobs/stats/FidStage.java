package org.cemiface.jobs.stats;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cemiface.config.RunSettings;
import org.cemiface.config.ShippedConfig;
import org.cemiface.encoder.EncoderSettings;
import org.cemiface.encoder.IdentityEncoder;
import org.cemiface.fid.FeatureMoments;
import org.cemiface.fid.FeatureSource;
import org.cemiface.fid.FidFeatures;
import org.cemiface.fid.FrechetDistance;
import org.cemiface.io.HadoopFiles;
import org.cemiface.jobs.TaskDevices;
import org.cemiface.stats.StatsSettings;

/**
 * FID of a generated dataset to a reference set: the generated side's moments come from the stats
 * tasks' block files, the reference is embedded in Spark tasks of {@link #SLICE} images each, then
 * fid.parquet is written on the driver.
 */
final class FidStage {
  /** Reference images per task. */
  static final int SLICE = 2048;

  /** fid.parquet. */
  static final StructType SCHEMA =
      new StructType()
          .add("reference", DataTypes.StringType, false)
          .add("reference_images", DataTypes.LongType, false)
          .add("generated_images", DataTypes.LongType, false)
          .add("dimension", DataTypes.IntegerType, false)
          .add("features", DataTypes.StringType, false)
          .add("encoder", DataTypes.StringType, false)
          .add("fid", DataTypes.DoubleType, false);

  /** The figures of fid.parquet. */
  record Result(
      String reference,
      long referenceImages,
      long generatedImages,
      int dimension,
      String features,
      String encoder,
      double fid) {
    String line() {
      return String.format(
          Locale.ROOT,
          "FID to %s: %.4f (%d generated vs %d reference images, %d-d %s encoder features)",
          reference,
          fid,
          generatedImages,
          referenceImages,
          dimension,
          features);
    }
  }

  private FidStage() {}

  /** The moments file of stats block {@code block}. */
  static Path blockFile(String dir, int block) {
    return new Path(dir, String.format(Locale.ROOT, "moments-%06d.bin", block));
  }

  /** Computes the FID and writes fid.parquet into {@code output}. */
  static Result run(
      SparkSession spark,
      ShippedConfig config,
      StatsSettings settings,
      String momentsDir,
      int blocks,
      String output,
      PrintStream log) {
    RunSettings run = RunSettings.from(config.reader());
    FeatureMoments generated = null;
    for (int b = 0; b < blocks; b++) {
      Path file = blockFile(momentsDir, b);
      if (HadoopFiles.exists(file)) {
        FeatureMoments m =
            FeatureMoments.fromBytes(HadoopFiles.readAllBytes(file), file.toString());
        generated = generated == null ? m : generated.merge(m);
      }
    }
    if (generated == null || generated.count() < 2) {
      throw new IllegalStateException(
          "FID needs at least 2 generated images in "
              + settings.dataset()
              + "; found "
              + (generated == null ? 0 : generated.count()));
    }
    String spec = settings.fidReference();
    FeatureSource reference = FeatureSource.parse(spec, run, settings.fidMaxImages());
    log.printf(
        "FID: embedding %d reference images of %s%n", reference.size(), reference.describe());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<FeatureSource> shared = jsc.broadcast(reference);
    List<Integer> starts = new ArrayList<>();
    for (int from = 0; from < reference.size(); from += SLICE) {
      starts.add(from);
    }
    int total = reference.size();
    int batchSize = settings.batchSize();
    FidFeatures features = settings.fidFeatures();
    FeatureMoments referenceMoments =
        jsc.parallelize(starts, starts.size())
            .map(
                from ->
                    sliceMoments(
                        config,
                        shared.value(),
                        features,
                        from,
                        Math.min(total, from + SLICE),
                        batchSize))
            .map(bytes -> FeatureMoments.fromBytes(bytes, "reference slice"))
            .reduce(FeatureMoments::merge);
    shared.destroy();
    if (referenceMoments.count() < 2) {
      throw new IllegalArgumentException(
          "stats.fid.reference " + spec + ": fewer than 2 readable images");
    }
    EncoderSettings encoder = EncoderSettings.from(config.reader());
    Result result =
        new Result(
            spec,
            referenceMoments.count(),
            generated.count(),
            generated.dimension(),
            features.key(),
            encoder.source(),
            FrechetDistance.between(generated, referenceMoments));
    spark
        .createDataFrame(
            List.of(
                RowFactory.create(
                    result.reference(),
                    result.referenceImages(),
                    result.generatedImages(),
                    result.dimension(),
                    result.features(),
                    result.encoder(),
                    result.fid())),
            SCHEMA)
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(StatsJob.table(output, "fid"));
    return result;
  }

  private static byte[] sliceMoments(
      ShippedConfig config,
      FeatureSource source,
      FidFeatures features,
      int from,
      int to,
      int batchSize) {
    try (IdentityEncoder encoder = TaskDevices.encoder(config)) {
      return source
          .moments(
              from,
              to,
              encoder,
              features,
              batchSize,
              why -> System.err.println("FID reference: unreadable image left out: " + why))
          .toBytes();
    }
  }
}
