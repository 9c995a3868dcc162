package org.cemiface.jobs.stats;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cemiface.data.ImageBytes;
import org.cemiface.data.ImageEntry;
import org.cemiface.image.ImageDecoder;
import org.cemiface.image.ImageEncoder;
import org.cemiface.image.ImageGrid;
import org.cemiface.image.RgbImage;
import org.cemiface.io.HadoopFiles;
import org.cemiface.report.Charts;
import org.cemiface.stats.StatsSettings;

/**
 * {@code report.md} next to the stats tables: the key figures, the similarity distribution and the control table,
 * with PNG plots (histogram, requested m vs achieved similarity, inquiries with their samples).
 */
final class StatsReport {
  private StatsReport() {}

  /** The figures the demo prints and compares between runs. */
  record KeyFigures(long images, long subjects, double meanSimInquiry, double meanSimCenter, double meanAbsError,
      long overlapping, double overlapThreshold) {
    List<String> lines() {
      return List.of(
          String.format(Locale.ROOT, "generated images: %d in %d subjects", images, subjects),
          String.format(Locale.ROOT, "mean similarity to the inquiry: %.4f", meanSimInquiry),
          String.format(Locale.ROOT, "mean similarity to the subject centre: %.4f", meanSimCenter),
          String.format(Locale.ROOT, "mean |achieved - requested m|: %.4f", meanAbsError),
          String.format(Locale.ROOT, "subjects whose nearest other subject is above %.2f: %d", overlapThreshold,
              overlapping));
    }
  }

  static KeyFigures write(SparkSession spark, String output, String dataset, StatsSettings settings, PrintStream log) {
    spark.read().parquet(StatsJob.table(output, "per_subject")).createOrReplaceTempView("per_subject");
    Row k = spark.sql("SELECT count(*), count(DISTINCT subject), avg(sim_inquiry), avg(sim_center), avg(abs_error)"
        + " FROM per_image WHERE kind = 'generated'").first();
    long overlapping = spark.sql("SELECT count(*) FROM per_subject WHERE nearest_similarity > "
        + settings.overlapThreshold()).first().getLong(0);
    KeyFigures figures = new KeyFigures(k.getLong(0), k.getLong(1), k.isNullAt(2) ? Double.NaN : k.getDouble(2),
        k.isNullAt(3) ? Double.NaN : k.getDouble(3), k.isNullAt(4) ? Double.NaN : k.getDouble(4), overlapping,
        settings.overlapThreshold());

    List<Row> bins = spark.read().parquet(StatsJob.table(output, "histogram")).orderBy("bin").collectAsList();
    List<Row> control = spark.read().parquet(StatsJob.table(output, "control")).orderBy("m").collectAsList();
    double[] lower = new double[bins.size()];
    long[] counts = new long[bins.size()];
    StringBuilder md = new StringBuilder("# Dataset statistics\n\n");
    md.append("Dataset: `").append(dataset).append("`  \nTables: `").append(output).append("`\n\n## Key figures\n\n");
    for (String line : figures.lines()) {
      md.append("- ").append(line).append('\n');
    }
    md.append("\n## Similarity to the inquiry (generated images)\n\n![histogram](histogram.png)\n\n")
        .append("| bin | images | share |\n|---|---|---|\n");
    for (int i = 0; i < bins.size(); i++) {
      Row b = bins.get(i);
      lower[i] = b.getDouble(1);
      counts[i] = b.getLong(3);
      md.append(String.format(Locale.ROOT, "| [%.1f, %.1f) | %d | %.1f%% |%n", b.getDouble(1), b.getDouble(2),
          counts[i], figures.images() > 0 ? 100.0 * counts[i] / figures.images() : 0));
    }
    md.append("\n## Control: requested m vs achieved similarity\n\n![control](control.png)\n\n")
        .append("| requested m | images | mean achieved | std | mean abs error |\n|---|---|---|---|---|\n");
    List<Charts.Point> points = new ArrayList<>();
    for (Row c : control) {
      points.add(new Charts.Point(c.getFloat(0), c.getDouble(2), c.getDouble(3)));
      md.append(String.format(Locale.ROOT, "| %.2f | %d | %.4f | %.4f | %.4f |%n", c.getFloat(0), c.getLong(1),
          c.getDouble(2), c.getDouble(3), c.getDouble(4)));
    }
    md.append("\n## Overlap: most similar pairs of subject centres\n\n| subject | nearest subject | similarity |\n"
        + "|---|---|---|\n");
    for (Row r : spark.sql("SELECT subject, nearest_subject, nearest_similarity FROM per_subject"
        + " WHERE nearest_subject IS NOT NULL ORDER BY nearest_similarity DESC, subject LIMIT 5").collectAsList()) {
      md.append(String.format(Locale.ROOT, "| %d | %d | %.4f |%n", r.getLong(0), r.getLong(1), r.getFloat(2)));
    }
    md.append("\n## Inquiries and samples\n\n![grid](grid.png)\n");

    HadoopFiles.writeAtomically(new Path(output, "histogram.png"), ImageEncoder.png(Charts.histogram(
        "Similarity of generated images to their inquiry", "cosine similarity", lower, 0.1, counts)));
    HadoopFiles.writeAtomically(new Path(output, "control.png"),
        ImageEncoder.png(Charts.control("Requested m vs achieved similarity (mean +- std)", points)));
    HadoopFiles.writeAtomically(new Path(output, "grid.png"), ImageEncoder.png(grid(spark, dataset, settings)));
    HadoopFiles.writeAtomically(new Path(output, "report.md"), md.toString().getBytes(StandardCharsets.UTF_8));
    return figures;
  }

  private static RgbImage grid(SparkSession spark, String dataset, StatsSettings settings) {
    List<Row> rows = spark.read().parquet(new Path(dataset, "samples.parquet").toString())
        .where("kind = 'generated' AND subject < " + settings.gridSubjects() + " AND index < " + settings.gridSamples())
        .orderBy("subject", "index").collectAsList();
    List<List<RgbImage>> grid = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    long subject = -1;
    for (Row r : rows) {
      if (r.getLong(r.fieldIndex("subject")) != subject) {
        subject = r.getLong(r.fieldIndex("subject"));
        String source = r.getString(r.fieldIndex("inquiry_source"));
        grid.add(new ArrayList<>(List.of(ImageDecoder.decode(ImageBytes.read(new ImageEntry(source, 0, source)), source))));
        labels.add("#" + subject);
      }
      Path file = new Path(dataset, r.getString(r.fieldIndex("path")));
      grid.get(grid.size() - 1).add(ImageDecoder.decode(HadoopFiles.readAllBytes(file), file.toString()));
    }
    List<String> columns = new ArrayList<>(List.of("inquiry"));
    for (int i = 0; i < settings.gridSamples(); i++) {
      columns.add("sample " + (i + 1));
    }
    return ImageGrid.render(grid, labels, columns, 64);
  }
}
