package org.cemiface.jobs.runs;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.spark.sql.Row;

/**
 * A finished run's figures for monitoring: Prometheus text format (for node_exporter's textfile
 * collector or a push) and JSON, from its catalog row.
 */
final class Metrics {
  private Metrics() {}

  /** The run's gauges, labelled by family and run. */
  static byte[] prometheus(Row row) {
    String labels =
        String.format(
            Locale.ROOT, "{family=\"%s\",run=\"%s\"}", row.getAs("family"), row.getAs("run_id"));
    StringBuilder out = new StringBuilder();
    gauge(out, "cemiface_run_complete", "1 when the run completed", labels, 1);
    gauge(out, "cemiface_run_images", "images the run stored", labels, row.<Long>getAs("images"));
    gauge(out, "cemiface_run_subjects", "subjects of the run", labels, row.<Long>getAs("subjects"));
    if (row.getAs("mean_similarity") != null) {
      gauge(
          out,
          "cemiface_run_mean_similarity",
          "mean similarity of generated images to their inquiry",
          labels,
          row.<Double>getAs("mean_similarity"));
      gauge(
          out,
          "cemiface_run_control_error",
          "mean |achieved - m|",
          labels,
          row.<Double>getAs("control_error"));
      gauge(
          out,
          "cemiface_run_overlapping_subjects",
          "subjects whose nearest other subject is above the overlap threshold",
          labels,
          row.<Long>getAs("overlapping_subjects"));
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void gauge(StringBuilder out, String name, String help, String labels, double v) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" gauge\n");
    out.append(name)
        .append(labels)
        .append(' ')
        .append(String.format(Locale.ROOT, "%.6f", v))
        .append('\n');
  }

  /** The catalog row as JSON. */
  static byte[] json(Row row) {
    JsonObject j = new JsonObject();
    for (String name : row.schema().fieldNames()) {
      Object v = row.getAs(name);
      if (v instanceof Number n) {
        j.addProperty(name, n);
      } else if (v != null) {
        j.addProperty(name, v.toString());
      }
    }
    return new GsonBuilder()
        .setPrettyPrinting()
        .create()
        .toJson(j)
        .getBytes(StandardCharsets.UTF_8);
  }
}
