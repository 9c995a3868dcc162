package org.cemiface.training.cemiface;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.cemiface.encoder.DifferentiableEncoder;
import org.cemiface.image.ImageEncoder;
import org.cemiface.image.ImageGrid;
import org.cemiface.image.RgbImage;
import org.cemiface.io.HadoopFiles;
import org.cemiface.model.cemiface.CemiFaceGenerator;
import org.cemiface.random.Seeds;

/**
 * The picture written at each checkpoint: one row per inquiry image, then samples at m = 1, 0.5, 0,
 * −0.5, and the mean achieved similarity to the inquiry per m (the number the sheet exists to
 * show).
 */
public final class SampleSheet {
  private static final long STREAM = 0x5E;

  private SampleSheet() {}

  /**
   * Renders and writes the sheet to {@code file}; returns the mean achieved similarity per m of
   * {@link MSweep#DEFAULT_M}.
   */
  public static double[] write(
      Path file,
      List<RgbImage> inquiries,
      DifferentiableEncoder encoder,
      CemiFaceGenerator generator,
      NDManager manager,
      long seed) {
    MSweep.Result sweep =
        MSweep.run(
            inquiries,
            encoder,
            generator,
            manager,
            MSweep.DEFAULT_M,
            1,
            (i, j, k) -> Seeds.derive(seed, STREAM, i, j),
            done -> {});
    List<String> rowLabels = new ArrayList<>();
    for (int i = 0; i < inquiries.size(); i++) {
      rowLabels.add("#" + i);
    }
    List<String> columns = new ArrayList<>(List.of("inquiry"));
    for (int j = 0; j < sweep.m().length; j++) {
      columns.add(String.format(Locale.ROOT, "m=%.1f s=%.2f", sweep.m()[j], sweep.mean()[j]));
    }
    // Wide enough for a column title such as "m=-0.5 s=-0.10".
    int cell = Math.max(128, inquiries.get(0).width() * 2);
    HadoopFiles.writeAtomically(
        file, ImageEncoder.png(ImageGrid.render(sweep.rows(), rowLabels, columns, cell)));
    return sweep.mean();
  }
}
