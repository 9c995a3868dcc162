package org.cemiface.training.encoder;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.cemiface.io.HadoopFiles;

/**
 * The per-epoch metrics.jsonl of a face-recognition run: one JSON line per finished epoch, the file
 * rewritten whole (atomically) so a killed run never leaves half a line, and a resumed run drops
 * the lines of epochs it repeats.
 */
final class EpochMetrics {
  private final Path file;
  private final List<String> lines = new ArrayList<>();

  EpochMetrics(Path file) {
    this.file = file;
  }

  /** Keeps the lines an earlier run wrote for epochs before {@code epoch}, drops the rest. */
  void keepEpochsBefore(int epoch) {
    lines.clear();
    if (epoch == 0 || !HadoopFiles.exists(file)) {
      return;
    }
    for (String line :
        new String(HadoopFiles.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()
          && JsonParser.parseString(line).getAsJsonObject().get("epoch").getAsInt() < epoch) {
        lines.add(line);
      }
    }
  }

  /** Records a finished epoch. */
  void append(int epoch, long step, double lr, double loss, double accuracy, double seconds) {
    JsonObject o = new JsonObject();
    o.addProperty("epoch", epoch);
    o.addProperty("step", step);
    o.addProperty("lr", lr);
    o.addProperty("loss", loss);
    o.addProperty("train_accuracy", accuracy);
    o.addProperty("seconds", seconds);
    lines.add(o.toString());
    HadoopFiles.writeAtomically(
        file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
