package org.cemiface.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.hadoop.fs.Path;
import org.cemiface.generate.BlockGenerator;
import org.cemiface.generate.DatasetLayout;
import org.cemiface.generate.FileCommitter;
import org.cemiface.generate.PlumbingSampleModels;
import org.cemiface.generate.SampleModels;
import org.cemiface.image.ImageSettings;
import org.cemiface.image.RgbImage;
import org.cemiface.io.HadoopFiles;
import org.cemiface.plan.PlanRow;

/**
 * {@code bench-writer}: whether a generate task's CPU side keeps up with a fast sampler. A stand-in
 * sampler delivers images at a set rate (what a GPU would), and one block runs through the real
 * task code (encoding, per-file commit, the similarity column, RecordIO, the samples table) with
 * the writer stage off and on.
 */
public final class BenchWriterCommand implements Command {
  @Override
  public String name() {
    return "bench-writer";
  }

  @Override
  public String summary() {
    return "a generate task's CPU side against a sampler at a set rate (a GPU's): images/s, sampler waiting";
  }

  @Override
  public String help() {
    return "Runs one generate block of --images (default 2048) images at --size px (default 112; 32 per subject plus\n"
        + "one inquiry copy) in a scratch directory with a stand-in sampler that delivers --rate images/s (default\n"
        + "300; the plumbing model, slowed to that rate), batches of generate.batch-size, image.format, RecordIO on,\n"
        + "once per write-ahead of --write-ahead (default 0,2; 0 = the sampling thread writes). Prints a\n"
        + "docs/benchmarks.md row per write-ahead: achieved images/s and the fraction of the time the sampler\n"
        + "waited on the writer.";
  }

  @Override
  public Set<String> options() {
    return Set.of("--images", "--size", "--rate", "--write-ahead");
  }

  @Override
  public int run(Invocation inv) throws IOException {
    int images = inv.wholeNumber("--images", "2048", 1);
    int size = inv.wholeNumber("--size", "112", 1);
    double rate = inv.wholeNumber("--rate", "300", 1);
    int[] aheads = inv.wholeNumbers("--write-ahead", "0,2", 0);
    ImageSettings format = ImageSettings.from(inv.config().reader());
    int batch = inv.config().reader().intIn("generate.batch-size", 1, 65536);
    java.nio.file.Path scratch = Files.createTempDirectory("cemiface-bench-writer");
    try {
      Path inquiry = new Path(scratch.toString(), "inquiry.png");
      HadoopFiles.writeAtomically(inquiry, format.encode(noise(size, 1)));
      List<PlanRow> rows = plan(images, inquiry.toString());
      inv.out()
          .printf(
              Locale.ROOT,
              "| write-ahead | images | size | format | sampler rate | achieved images/s | sampler waiting |%n"
                  + "|---|---|---|---|---|---|---|%n");
      for (int ahead : aheads) {
        String root = scratch.resolve("out-" + ahead).toString();
        DatasetLayout layout = new DatasetLayout(root, format.format());
        BlockGenerator generator =
            new BlockGenerator(
                layout,
                format,
                batch,
                true,
                ahead,
                new PrintStream(PrintStream.nullOutputStream()));
        long start = System.nanoTime();
        generator.run(
            0,
            rows,
            1,
            () -> new RateLimited(new PlumbingSampleModels(size), rate),
            new FileCommitter(FileCommitter.Mode.RENAME, new Path(layout.temporary(), "attempt")),
            0,
            org.cemiface.generate.GenerateSettings.FailureInjection.OFF);
        double seconds = (System.nanoTime() - start) / 1e9;
        inv.out()
            .printf(
                Locale.ROOT,
                "| %d | %d | %d px | %s | %.0f/s | %.1f | %.0f %% |%n",
                ahead,
                rows.size(),
                size,
                format.format(),
                rate,
                rows.size() / seconds,
                100 * generator.writerWaitNanos() / 1e9 / seconds);
      }
    } finally {
      HadoopFiles.deleteRecursively(new Path(scratch.toString()));
    }
    return 0;
  }

  /** Subjects of 32 sampled images and one inquiry copy each, until {@code images} rows. */
  private static List<PlanRow> plan(int images, String inquiry) {
    List<PlanRow> rows = new ArrayList<>();
    for (long subject = 0; rows.size() < images; subject++) {
      for (int i = 0; i < 33 && rows.size() < images; i++) {
        rows.add(
            new PlanRow(
                subject,
                i,
                0f,
                subject * 1000 + i,
                "inquiry",
                inquiry,
                0,
                i < 32 ? PlanRow.Kind.GENERATED : PlanRow.Kind.INQUIRY_COPY));
      }
    }
    return rows;
  }

  private static RgbImage noise(int size, long seed) {
    byte[] rgb = new byte[size * size * 3];
    new SplittableRandom(seed).nextBytes(rgb);
    return new RgbImage(size, size, rgb);
  }

  /** A sampler that delivers its images no faster than {@code rate} per second, as a GPU would. */
  private static final class RateLimited implements SampleModels {
    private final SampleModels inner;
    private final double rate;

    RateLimited(SampleModels inner, double rate) {
      this.inner = inner;
      this.rate = rate;
    }

    @Override
    public List<RgbImage> generate(
        float[][] embeddings, float[][] spatial, float[] m, long[] seeds) {
      long due = System.nanoTime() + (long) (seeds.length / rate * 1e9);
      List<RgbImage> out = inner.generate(embeddings, spatial, m, seeds);
      long left = due - System.nanoTime();
      if (left > 0) {
        try {
          Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
      return out;
    }

    @Override
    public Conditions condition(List<RgbImage> inquiries) {
      return inner.condition(inquiries);
    }

    @Override
    public Conditions conditionFromEmbeddings(List<float[]> embeddings) {
      return inner.conditionFromEmbeddings(embeddings);
    }

    @Override
    public float[][] embed(List<RgbImage> images) {
      return inner.embed(images);
    }

    @Override
    public int imageSize() {
      return inner.imageSize();
    }

    @Override
    public String description() {
      return inner.description() + ", at most " + rate + " images/s";
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
