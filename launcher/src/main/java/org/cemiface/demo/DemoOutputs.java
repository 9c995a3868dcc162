package org.cemiface.demo;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.cemiface.io.HadoopFiles;

/** Reads the figures the demo's goal is checked on from its stages' JSON outputs. */
final class DemoOutputs {
  private DemoOutputs() {}

  /** The control table of a stats summary.json. */
  static List<DemoGoal.ControlRow> control(Path summary) {
    List<DemoGoal.ControlRow> rows = new ArrayList<>();
    for (JsonElement e : read(summary).getAsJsonArray("control")) {
      JsonObject r = e.getAsJsonObject();
      rows.add(
          new DemoGoal.ControlRow(
              r.get("m").getAsDouble(),
              r.get("images").getAsLong(),
              r.get("mean_similarity").getAsDouble(),
              r.get("mean_abs_error").getAsDouble()));
    }
    return rows;
  }

  /**
   * The generated set's FID (from its stats summary) with the floor and ceiling written by the fid
   * command.
   */
  static DemoGoal.FidScale fidScale(Path summary, Path floor, Path ceiling) {
    JsonObject fid = read(summary).getAsJsonObject("fid");
    if (fid == null) {
      throw new IllegalStateException(
          summary + " has no FID: the stats stage needs stats.fid.reference");
    }
    return new DemoGoal.FidScale(
        fid.get("fid").getAsDouble(),
        read(floor).get("fid").getAsDouble(),
        read(ceiling).get("fid").getAsDouble());
  }

  private static JsonObject read(Path file) {
    return JsonParser.parseString(
            new String(HadoopFiles.readAllBytes(file), StandardCharsets.UTF_8))
        .getAsJsonObject();
  }
}
