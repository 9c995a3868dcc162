package org.cemiface.jobs.stats;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cemiface.data.ImageBytes;
import org.cemiface.data.ImageEntry;
import org.cemiface.image.ImageDecoder;
import org.cemiface.image.ImageEncoder;
import org.cemiface.image.ImageGrid;
import org.cemiface.image.RgbImage;
import org.cemiface.io.HadoopFiles;
import org.cemiface.plan.EmbeddingInquiries;
import org.cemiface.report.Charts;
import org.cemiface.stats.StatsSettings;

/**
 * {@code report.md} next to the stats tables: the key figures, the similarity distribution and the
 * control table, with PNG plots (histogram, requested m vs achieved similarity, inquiries with
 * their samples).
 */
final class StatsReport {
  private StatsReport() {}

  /** The figures the demo prints and compares between runs. */
  record KeyFigures(
      long images,
      long subjects,
      double meanSimInquiry,
      double meanSimCenter,
      double meanAbsError,
      long overlapping,
      double overlapThreshold,
      List<String> control,
      FidStage.Result fid,
      boolean generated) {
    List<String> lines() {
      List<String> lines = new ArrayList<>();
      if (generated) {
        lines.add(
            String.format(Locale.ROOT, "generated images: %d in %d subjects", images, subjects));
        lines.add(
            String.format(Locale.ROOT, "mean similarity to the inquiry: %.4f", meanSimInquiry));
        lines.add(
            String.format(
                Locale.ROOT, "mean similarity to the subject centre: %.4f", meanSimCenter));
        lines.add(String.format(Locale.ROOT, "mean |achieved - requested m|: %.4f", meanAbsError));
      } else {
        lines.add(String.format(Locale.ROOT, "images: %d in %d identities", images, subjects));
        lines.add(
            String.format(
                Locale.ROOT, "mean similarity to the identity centre: %.4f", meanSimCenter));
      }
      lines.add(
          String.format(
              Locale.ROOT,
              "%s whose nearest other %s is above %.2f: %d",
              generated ? "subjects" : "identities",
              generated ? "subject" : "identity",
              overlapThreshold,
              overlapping));
      if (control.size() > 1) {
        lines.addAll(control);
      }
      if (fid != null) {
        lines.add(fid.line());
      }
      return lines;
    }
  }

  static KeyFigures write(
      SparkSession spark,
      String output,
      String dataset,
      boolean generated,
      StatsSettings settings,
      FidStage.Result fid,
      PrintStream log) {
    spark
        .read()
        .parquet(StatsJob.table(output, "per_subject"))
        .createOrReplaceTempView("per_subject");
    Row k =
        spark
            .sql(
                "SELECT count(*), count(DISTINCT subject), avg(sim_inquiry), avg(sim_center), avg(abs_error)"
                    + " FROM per_image WHERE kind = 'generated'")
            .first();
    long overlapping =
        spark
            .sql(
                "SELECT count(*) FROM per_subject WHERE nearest_similarity > "
                    + settings.overlapThreshold())
            .first()
            .getLong(0);
    List<Row> control =
        spark
            .read()
            .parquet(StatsJob.table(output, "control"))
            .orderBy(functions.desc("m"))
            .collectAsList();
    List<String> controlLines = new ArrayList<>();
    for (Row c : control) {
      controlLines.add(
          String.format(
              Locale.ROOT,
              "m = %5.2f: mean achieved similarity %.4f (std %.4f), "
                  + "mean |achieved - m| %.4f, %d images",
              c.getFloat(0),
              c.getDouble(2),
              c.getDouble(3),
              c.getDouble(4),
              c.getLong(1)));
    }
    KeyFigures figures =
        new KeyFigures(
            k.getLong(0),
            k.getLong(1),
            k.isNullAt(2) ? Double.NaN : k.getDouble(2),
            k.isNullAt(3) ? Double.NaN : k.getDouble(3),
            k.isNullAt(4) ? Double.NaN : k.getDouble(4),
            overlapping,
            settings.overlapThreshold(),
            controlLines,
            fid,
            generated);

    List<Row> bins =
        spark.read().parquet(StatsJob.table(output, "histogram")).orderBy("bin").collectAsList();
    double[] lower = new double[bins.size()];
    long[] counts = new long[bins.size()];
    StringBuilder md = new StringBuilder("# Dataset statistics\n\n");
    md.append("Dataset: `")
        .append(dataset)
        .append("`  \nTables: `")
        .append(output)
        .append("`\n\n## Key figures\n\n");
    for (String line : figures.lines()) {
      md.append("- ").append(line).append('\n');
    }
    String reference = generated ? "the inquiry (generated images)" : "the identity centre";
    md.append("\n## Similarity to ")
        .append(reference)
        .append("\n\n![histogram](histogram.png)\n\n")
        .append("| bin | images | share |\n|---|---|---|\n");
    for (int i = 0; i < bins.size(); i++) {
      Row b = bins.get(i);
      lower[i] = b.getDouble(1);
      counts[i] = b.getLong(3);
      md.append(
          String.format(
              Locale.ROOT,
              "| [%.1f, %.1f) | %d | %.1f%% |%n",
              b.getDouble(1),
              b.getDouble(2),
              counts[i],
              figures.images() > 0 ? 100.0 * counts[i] / figures.images() : 0));
    }
    if (generated) {
      md.append("\n## Control: requested m vs achieved similarity\n\n![control](control.png)\n\n")
          .append(
              "| requested m | images | mean achieved | std | mean abs error |\n|---|---|---|---|---|\n");
    }
    List<Charts.Point> points = new ArrayList<>();
    for (Row c : control) {
      points.add(new Charts.Point(c.getFloat(0), c.getDouble(2), c.getDouble(3)));
      md.append(
          String.format(
              Locale.ROOT,
              "| %.2f | %d | %.4f | %.4f | %.4f |%n",
              c.getFloat(0),
              c.getLong(1),
              c.getDouble(2),
              c.getDouble(3),
              c.getDouble(4)));
    }
    if (fid != null) {
      md.append("\n## FID\n\n")
          .append(fid.line())
          .append(" (table `fid`; encoder `")
          .append(fid.encoder())
          .append(
              "`). The Fréchet distance between Gaussian fits of the encoder's normalised embeddings: 0 for ")
          .append(
              "identical distributions; compare it with the same reference's FID of real images and of noise ")
          .append("(docs/querying.md, \"FID\").\n");
    }
    md.append(
        "\n## Overlap: most similar pairs of subject centres\n\n| subject | nearest subject | similarity |\n"
            + "|---|---|---|\n");
    for (Row r :
        spark
            .sql(
                "SELECT subject, nearest_subject, nearest_similarity FROM per_subject"
                    + " WHERE nearest_subject IS NOT NULL ORDER BY nearest_similarity DESC, subject LIMIT 5")
            .collectAsList()) {
      md.append(
          String.format(
              Locale.ROOT, "| %d | %d | %.4f |%n", r.getLong(0), r.getLong(1), r.getFloat(2)));
    }
    if (generated) {
      md.append("\n## Inquiries and samples\n\n![grid](grid.png)\n");
    }

    HadoopFiles.writeAtomically(
        new Path(output, "histogram.png"),
        ImageEncoder.png(
            Charts.histogram(
                generated
                    ? "Similarity of generated images to their inquiry"
                    : "Similarity of images to their identity centre",
                "cosine similarity",
                lower,
                0.1,
                counts)));
    if (generated) {
      points.sort(Comparator.comparingDouble(Charts.Point::requested));
      HadoopFiles.writeAtomically(
          new Path(output, "control.png"),
          ImageEncoder.png(
              Charts.control("Requested m vs achieved similarity (mean +- std)", points)));
      HadoopFiles.writeAtomically(
          new Path(output, "grid.png"), ImageEncoder.png(grid(spark, dataset, settings)));
    } else {
      HadoopFiles.deleteRecursively(new Path(output, "control.png"));
      HadoopFiles.deleteRecursively(new Path(output, "grid.png"));
    }
    HadoopFiles.writeAtomically(
        new Path(output, "report.md"), md.toString().getBytes(StandardCharsets.UTF_8));
    HadoopFiles.writeAtomically(
        new Path(output, "summary.json"),
        summary(figures, control, fid).toString().getBytes(StandardCharsets.UTF_8));
    return figures;
  }

  /**
   * Inquiries with their samples. With one m, the first grid-samples samples of each subject; with
   * several (an m sweep), the columns are the m values in descending order with the same number of
   * samples each, so similarity falling with m reads left to right.
   */
  private static RgbImage grid(SparkSession spark, String dataset, StatsSettings settings) {
    List<Row> rows =
        spark
            .read()
            .parquet(new Path(dataset, "samples.parquet").toString())
            .where("kind = 'generated' AND subject < " + settings.gridSubjects())
            .orderBy("subject", "index")
            .collectAsList();
    List<Float> ms =
        rows.stream()
            .map(r -> r.getFloat(r.fieldIndex("m")))
            .distinct()
            .sorted(Comparator.reverseOrder())
            .toList();
    int perM =
        ms.size() > 1 ? Math.max(1, settings.gridSamples() / ms.size()) : settings.gridSamples();
    List<List<RgbImage>> grid = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (int from = 0; from < rows.size(); ) {
      long subject = rows.get(from).getLong(rows.get(from).fieldIndex("subject"));
      int to = from;
      while (to < rows.size()
          && rows.get(to).getLong(rows.get(to).fieldIndex("subject")) == subject) {
        to++;
      }
      String source = rows.get(from).getString(rows.get(from).fieldIndex("inquiry_source"));
      List<RgbImage> line = new ArrayList<>();
      if (EmbeddingInquiries.isReference(source)) {
        // An inquiry given as an embedding has no picture: a white cell of the samples' size.
        Path first = new Path(dataset, rows.get(from).getString(rows.get(from).fieldIndex("path")));
        line.add(blank(ImageDecoder.decode(HadoopFiles.readAllBytes(first), first.toString())));
      } else {
        line.add(ImageDecoder.decode(ImageBytes.read(new ImageEntry(source, 0, source)), source));
      }
      for (float m : ms) {
        int taken = 0;
        for (Row r : rows.subList(from, to)) {
          if (taken < perM && r.getFloat(r.fieldIndex("m")) == m) {
            Path file = new Path(dataset, r.getString(r.fieldIndex("path")));
            line.add(ImageDecoder.decode(HadoopFiles.readAllBytes(file), file.toString()));
            taken++;
          }
        }
        for (; taken < perM; taken++) {
          line.add(blank(line.get(0)));
        }
      }
      grid.add(line);
      labels.add("#" + subject);
      from = to;
    }
    List<String> columns = new ArrayList<>(List.of("inquiry"));
    for (float m : ms) {
      for (int i = 0; i < perM; i++) {
        columns.add(ms.size() > 1 ? String.format(Locale.ROOT, "m=%.1f", m) : "sample " + (i + 1));
      }
    }
    return ImageGrid.render(grid, labels, columns, 64);
  }

  /**
   * The key figures, the control table and the FID as JSON, for schedulers and the demo's goal
   * check.
   */
  private static JsonObject summary(KeyFigures f, List<Row> control, FidStage.Result fid) {
    JsonObject json = new JsonObject();
    json.addProperty("reference", f.generated() ? "inquiry" : "identity_centre");
    json.addProperty("images", f.images());
    json.addProperty("subjects", f.subjects());
    json.addProperty("mean_similarity_to_inquiry", f.meanSimInquiry());
    json.addProperty("mean_similarity_to_center", f.meanSimCenter());
    json.addProperty("mean_abs_error", f.meanAbsError());
    json.addProperty("overlapping_subjects", f.overlapping());
    JsonArray rows = new JsonArray();
    for (Row c : control) {
      JsonObject row = new JsonObject();
      row.addProperty("m", c.getFloat(0));
      row.addProperty("images", c.getLong(1));
      row.addProperty("mean_similarity", c.getDouble(2));
      row.addProperty("std_similarity", c.getDouble(3));
      row.addProperty("mean_abs_error", c.getDouble(4));
      rows.add(row);
    }
    json.add("control", rows);
    if (fid != null) {
      JsonObject j = new JsonObject();
      j.addProperty("reference", fid.reference());
      j.addProperty("reference_images", fid.referenceImages());
      j.addProperty("generated_images", fid.generatedImages());
      j.addProperty("fid", fid.fid());
      json.add("fid", j);
    }
    return json;
  }

  /** A white cell where a subject has fewer samples at some m than the grid shows. */
  private static RgbImage blank(RgbImage like) {
    byte[] white = new byte[like.width() * like.height() * 3];
    Arrays.fill(white, (byte) 255);
    return new RgbImage(like.width(), like.height(), white);
  }
}
