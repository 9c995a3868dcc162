package org.cemiface.training.cemiface;

import ai.djl.ndarray.NDManager;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.cemiface.encoder.DifferentiableEncoder;
import org.cemiface.image.RgbImage;
import org.cemiface.model.cemiface.CemiFaceGenerator;

/**
 * Writes a {@link SampleSheet} from the EMA weights at every checkpoint ({@code
 * samples-step-NNNNNNN.png}).
 */
final class SampleSheetListener implements TrainingListener {
  private final Path output;
  private final List<RgbImage> inquiries;
  private final DifferentiableEncoder encoder;
  private final CemiFaceGenerator generator;
  private final NDManager manager;
  private final long seed;
  private final PrintStream log;
  private double[] last = new double[0];

  SampleSheetListener(
      Path output,
      List<RgbImage> inquiries,
      DifferentiableEncoder encoder,
      CemiFaceGenerator generator,
      NDManager manager,
      long seed,
      PrintStream log) {
    this.output = output;
    this.inquiries = inquiries;
    this.encoder = encoder;
    this.generator = generator;
    this.manager = manager;
    this.seed = seed;
    this.log = log;
  }

  /**
   * The mean achieved similarity per m of the last sheet (empty before one, or without inquiries).
   */
  double[] last() {
    return last;
  }

  @Override
  public void onCheckpoint(long step) {
    if (inquiries.isEmpty()) {
      return;
    }
    Path sheetFile = new Path(output, String.format(Locale.ROOT, "samples-step-%07d.png", step));
    last = SampleSheet.write(sheetFile, inquiries, encoder, generator, manager, seed);
    log.printf(
        "step %d: sample sheet %s; mean achieved similarity at m=1, 0.5, 0, -0.5: %s%n",
        step, sheetFile, format(last));
  }

  private static String format(double[] values) {
    StringBuilder s = new StringBuilder();
    for (double v : values) {
      s.append(s.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", v));
    }
    return s.toString();
  }
}
