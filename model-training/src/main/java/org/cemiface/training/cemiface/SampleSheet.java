package org.cemiface.training.cemiface;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.cemiface.encoder.DifferentiableEncoder;
import org.cemiface.encoder.Embeddings;
import org.cemiface.image.ImageEncoder;
import org.cemiface.image.ImageGrid;
import org.cemiface.image.RgbImage;
import org.cemiface.io.HadoopFiles;
import org.cemiface.model.cemiface.CemiFaceGenerator;
import org.cemiface.random.Seeds;

/**
 * The picture written at each checkpoint: one row per inquiry image, then samples at m = 1, 0.5, 0, −0.5, and
 * the mean achieved similarity to the inquiry per m (the number the sheet exists to show).
 */
public final class SampleSheet {
  /** The similarities shown. */
  public static final float[] SHEET_M = {1f, 0.5f, 0f, -0.5f};
  private static final long STREAM = 0x5E;

  private SampleSheet() {}

  /** Renders and writes the sheet to {@code file}; returns the mean achieved similarity per m of {@link #SHEET_M}. */
  public static double[] write(Path file, List<RgbImage> inquiries, DifferentiableEncoder encoder,
      CemiFaceGenerator generator, NDManager manager, long seed) {
    int n = inquiries.size();
    float[][] ids = encoder.embed(inquiries);
    int b = n * SHEET_M.length;
    float[][] idRep = new float[b][];
    float[] m = new float[b];
    long[] seeds = new long[b];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < SHEET_M.length; j++) {
        idRep[i * SHEET_M.length + j] = ids[i];
        m[i * SHEET_M.length + j] = SHEET_M[j];
        seeds[i * SHEET_M.length + j] = Seeds.derive(seed, STREAM, i, j);
      }
    }
    List<RgbImage> samples = generator.generate(manager, idRep, null, m, seeds);
    float[][] achieved = encoder.embed(samples);
    double[] mean = new double[SHEET_M.length];
    List<List<RgbImage>> rows = new ArrayList<>();
    List<String> rowLabels = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<RgbImage> row = new ArrayList<>();
      row.add(inquiries.get(i));
      for (int j = 0; j < SHEET_M.length; j++) {
        row.add(samples.get(i * SHEET_M.length + j));
        mean[j] += Embeddings.cosine(ids[i], achieved[i * SHEET_M.length + j]) / n;
      }
      rows.add(row);
      rowLabels.add("#" + i);
    }
    List<String> columns = new ArrayList<>(List.of("inquiry"));
    for (int j = 0; j < SHEET_M.length; j++) {
      columns.add(String.format(Locale.ROOT, "m=%.1f s=%.2f", SHEET_M[j], mean[j]));
    }
    // Wide enough for a column title such as "m=-0.5 s=-0.10".
    int cell = Math.max(128, inquiries.get(0).width() * 2);
    HadoopFiles.writeAtomically(file, ImageEncoder.png(ImageGrid.render(rows, rowLabels, columns, cell)));
    return mean;
  }
}
