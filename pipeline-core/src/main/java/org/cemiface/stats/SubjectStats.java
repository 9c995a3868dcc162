package org.cemiface.stats;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.cemiface.encoder.Embeddings;
import org.cemiface.plan.PlanRow;

/**
 * Statistics of one subject's stored images under an encoder: each image's similarity to the
 * inquiry (the identity the subject was generated from) and to the subject's centre (the normalised
 * mean embedding of its generated images), and the subject's summary over its generated images.
 * Inquiry copies get per-image rows but stay out of the centre and the summary, which describe what
 * the model generated.
 */
public final class SubjectStats {
  private SubjectStats() {}

  /** One stored image: what was planned for it. */
  public record Image(int index, String kind, float m) implements Serializable {
    /** Whether the model generated it (not an inquiry copy). */
    public boolean generated() {
      return PlanRow.Kind.GENERATED.label().equals(kind);
    }
  }

  /**
   * Per-image figures; {@code absError} = |similarity to inquiry − m| for generated images, NaN for
   * copies.
   */
  public record ImageStat(
      long subject,
      int index,
      String kind,
      float m,
      float simInquiry,
      float simCenter,
      float absError)
      implements Serializable {}

  /** Per-subject summary over generated images (population standard deviation) and the centre. */
  public record SubjectStat(
      long subject,
      int count,
      double mean,
      double std,
      double min,
      double max,
      double meanSimCenter,
      float[] center)
      implements Serializable {}

  /** Both kinds of rows for one subject. */
  public record Result(List<ImageStat> images, SubjectStat subject) implements Serializable {}

  /**
   * Computes the rows of {@code subject} from the inquiry's and the images' normalised embeddings.
   */
  public static Result compute(
      long subject, float[] inquiry, List<Image> images, float[][] embeddings) {
    int d = inquiry.length;
    double[] sum = new double[d];
    int generated = 0;
    for (int i = 0; i < images.size(); i++) {
      if (images.get(i).generated()) {
        generated++;
        for (int k = 0; k < d; k++) {
          sum[k] += embeddings[i][k];
        }
      }
    }
    float[] center = new float[d];
    double norm = 0;
    for (double v : sum) {
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (int k = 0; k < d; k++) {
      center[k] = norm > 0 ? (float) (sum[k] / norm) : 0f;
    }
    List<ImageStat> rows = new ArrayList<>(images.size());
    double total = 0;
    double squares = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double centerTotal = 0;
    for (int i = 0; i < images.size(); i++) {
      Image image = images.get(i);
      float simInquiry = (float) Embeddings.cosine(inquiry, embeddings[i]);
      float simCenter =
          generated > 0 ? (float) Embeddings.cosine(center, embeddings[i]) : Float.NaN;
      float error = image.generated() ? Math.abs(simInquiry - image.m()) : Float.NaN;
      rows.add(
          new ImageStat(
              subject, image.index(), image.kind(), image.m(), simInquiry, simCenter, error));
      if (image.generated()) {
        total += simInquiry;
        squares += (double) simInquiry * simInquiry;
        min = Math.min(min, simInquiry);
        max = Math.max(max, simInquiry);
        centerTotal += simCenter;
      }
    }
    double mean = generated > 0 ? total / generated : Double.NaN;
    double std =
        generated > 0 ? Math.sqrt(Math.max(0, squares / generated - mean * mean)) : Double.NaN;
    return new Result(
        rows,
        new SubjectStat(
            subject,
            generated,
            mean,
            std,
            generated > 0 ? min : Double.NaN,
            generated > 0 ? max : Double.NaN,
            generated > 0 ? centerTotal / generated : Double.NaN,
            center));
  }
}
