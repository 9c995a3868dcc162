package org.cemiface.generate;

import java.util.List;
import org.cemiface.image.RgbImage;

/**
 * What a generation task needs from its models: conditions from inquiry images, images from
 * conditions, and embeddings of the images it stored. One instance per task, on the task's device.
 */
public interface SampleModels extends AutoCloseable {
  /**
   * The condition of each inquiry: its embedding and, when the model uses them, its spatial tokens.
   */
  record Conditions(float[][] embeddings, float[][] spatial) {}

  /** Conditions for {@code inquiries}. */
  Conditions condition(List<RgbImage> inquiries);

  /**
   * Conditions for inquiries given as L2-normalised embeddings, with no image (refused by a model
   * that also needs the encoder's spatial tokens, or when their dimension is not the encoder's).
   */
  Conditions conditionFromEmbeddings(List<float[]> embeddings);

  /** One image per (embedding, spatial, m, seed). {@code spatial} may be null. */
  List<RgbImage> generate(float[][] embeddings, float[][] spatial, float[] m, long[] seeds);

  /** L2-normalised embeddings of {@code images}. */
  float[][] embed(List<RgbImage> images);

  /** Side of the generated (square) images. */
  int imageSize();

  /** One line naming the models, for logs and the job summary. */
  String description();

  /** Releases native memory. */
  @Override
  void close();
}
