package org.cemiface.training.cemiface;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.cemiface.data.ImageBytes;
import org.cemiface.data.ImageEntry;
import org.cemiface.encoder.Embeddings;
import org.cemiface.encoder.IdentityEncoder;
import org.cemiface.image.ImageDecoder;
import org.cemiface.image.RgbImage;
import org.cemiface.model.cemiface.CemiFaceGenerator;

/**
 * The m-sweep experiment behind the trainer's sample sheets and {@code bin/cemiface m-sweep}: every
 * inquiry repeated over a list of m, samples generated, embedded, and their cosine to the inquiry
 * averaged per m.
 */
public final class MSweep {
  /** The m values both the sample sheet and the m-sweep command show. */
  public static final float[] DEFAULT_M = {1f, 0.5f, 0f, -0.5f};

  /** The seed of sample {@code sample} of inquiry {@code inquiry} at m index {@code mIndex}. */
  @FunctionalInterface
  public interface Seeding {
    /** The sample's seed. */
    long seed(int inquiry, int mIndex, int sample);
  }

  /**
   * Per m: mean and standard deviation of the achieved similarity over {@code samplesPerM} samples;
   * per inquiry a grid row (the inquiry, then the first sample of each m).
   */
  public record Result(
      float[] m, double[] mean, double[] std, int samplesPerM, List<List<RgbImage>> rows) {}

  private MSweep() {}

  /**
   * Runs the sweep: {@code samples} images per inquiry and m, one generator batch per inquiry;
   * {@code progress} gets the number of inquiries done.
   */
  public static Result run(
      List<RgbImage> inquiries,
      IdentityEncoder encoder,
      CemiFaceGenerator generator,
      NDManager manager,
      float[] m,
      int samples,
      Seeding seeding,
      Consumer<Integer> progress) {
    float[][] ids = encoder.embed(inquiries);
    double[] sum = new double[m.length];
    double[] sq = new double[m.length];
    List<List<RgbImage>> rows = new ArrayList<>();
    for (int i = 0; i < inquiries.size(); i++) {
      int b = m.length * samples;
      float[][] idRep = new float[b][];
      float[] ms = new float[b];
      long[] seeds = new long[b];
      for (int j = 0; j < m.length; j++) {
        for (int k = 0; k < samples; k++) {
          int n = j * samples + k;
          idRep[n] = ids[i];
          ms[n] = m[j];
          seeds[n] = seeding.seed(i, j, k);
        }
      }
      List<RgbImage> images = generator.generate(manager, idRep, null, ms, seeds);
      float[][] achieved = encoder.embed(images);
      List<RgbImage> row = new ArrayList<>(List.of(inquiries.get(i)));
      for (int n = 0; n < b; n++) {
        double c = Embeddings.cosine(ids[i], achieved[n]);
        sum[n / samples] += c;
        sq[n / samples] += c * c;
        if (n % samples == 0) {
          row.add(images.get(n));
        }
      }
      rows.add(row);
      progress.accept(i + 1);
    }
    int per = inquiries.size() * samples;
    double[] mean = new double[m.length];
    double[] std = new double[m.length];
    for (int j = 0; j < m.length; j++) {
      mean[j] = sum[j] / per;
      std[j] = Math.sqrt(Math.max(0, sq[j] / per - mean[j] * mean[j]));
    }
    return new Result(m.clone(), mean, std, per, rows);
  }

  /**
   * The first image of each of the first {@code count} identities of {@code entries} (in their
   * order); an image that cannot be read is reported to {@code skipped} and the identity's next
   * image is tried.
   */
  public static List<RgbImage> firstImages(
      List<ImageEntry> entries, int count, Consumer<String> skipped) {
    List<RgbImage> out = new ArrayList<>();
    int done = Integer.MIN_VALUE;
    for (ImageEntry e : entries) {
      if (out.size() >= count) {
        break;
      }
      if (e.label() != done) {
        try {
          out.add(ImageDecoder.decode(ImageBytes.read(e), e.relativePath()));
          done = e.label();
        } catch (RuntimeException ex) {
          skipped.accept(e.relativePath() + ": " + ex.getMessage());
        }
      }
    }
    return out;
  }
}
