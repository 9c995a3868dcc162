package org.cemiface.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.cemiface.config.ConfigReader;
import org.cemiface.config.RunSettings;
import org.cemiface.data.ImageBytes;
import org.cemiface.data.ImageEntry;
import org.cemiface.data.TrainingImages;
import org.cemiface.io.HadoopFiles;
import org.cemiface.verification.BenchmarkBin;
import org.cemiface.verification.BenchmarkPairs;

/**
 * {@code make-benchmark}: an insightface-format verification benchmark ({@code .bin}) from labelled
 * images, so verification runs offline on identities no model has seen.
 */
public final class MakeBenchmarkCommand implements Command {
  @Override
  public String name() {
    return "make-benchmark";
  }

  @Override
  public String summary() {
    return "write an insightface-format verification .bin from labelled images (seeded, balanced pairs)";
  }

  @Override
  public String help() {
    return "Draws --pairs pairs from --images in 10 folds of equal size, each half genuine pairs (two images of one\n"
        + "identity) and half impostor pairs (two identities), from the configured seed, and writes them as\n"
        + "insightface's verification files are: a pickle of (encoded images, is-same flags), images 2i and 2i+1\n"
        + "forming pair i. The images keep their stored encoding.\n"
        + "  --images SET   an ImageFolder, insightface RecordIO directory or Parquet image table (relative to work-dir)\n"
        + "  --output FILE  the .bin to write (relative to work-dir); its name without .bin names the benchmark\n"
        + "  --pairs N      number of pairs, a multiple of 20 (default 6000, as LFW)\n"
        + "Keys: seed, work-dir.";
  }

  @Override
  public Set<String> options() {
    return Set.of("--images", "--output", "--pairs");
  }

  @Override
  public int run(Invocation inv) {
    ConfigReader r = inv.config().reader();
    RunSettings run = RunSettings.from(r);
    String images = run.resolve(inv.required("--images"));
    Path output = new Path(run.resolve(inv.required("--output")));
    int pairs = pairCount(inv.option("--pairs").orElse("6000"));
    List<ImageEntry> entries = TrainingImages.list(images);
    int[] labels = entries.stream().mapToInt(ImageEntry::label).toArray();
    List<BenchmarkPairs.Pair> drawn;
    try {
      drawn = BenchmarkPairs.draw(labels, pairs, run.seed());
    } catch (IllegalArgumentException e) {
      throw new UsageError(images + ": " + e.getMessage());
    }
    Map<Integer, byte[]> bytes = new HashMap<>();
    List<byte[]> encoded = new ArrayList<>(2 * pairs);
    boolean[] same = new boolean[pairs];
    for (int i = 0; i < pairs; i++) {
      BenchmarkPairs.Pair p = drawn.get(i);
      encoded.add(bytes.computeIfAbsent(p.first(), k -> ImageBytes.read(entries.get(k))));
      encoded.add(bytes.computeIfAbsent(p.second(), k -> ImageBytes.read(entries.get(k))));
      same[i] = p.same();
    }
    BenchmarkBin bin = new BenchmarkBin(BenchmarkBin.benchmarkName(output), encoded, same);
    HadoopFiles.writeAtomically(output, bin.toPickle());
    inv.out()
        .printf(
            Locale.ROOT,
            "%s: %,d pairs (%,d genuine) over %,d distinct images of %s, seed %d%n",
            output,
            pairs,
            pairs / 2,
            bytes.size(),
            images,
            run.seed());
    return 0;
  }

  private static int pairCount(String value) {
    try {
      int n = Integer.parseInt(value);
      if (n > 0 && n % 20 == 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageError("--pairs takes a positive multiple of 20, got '" + value + "'");
  }
}
