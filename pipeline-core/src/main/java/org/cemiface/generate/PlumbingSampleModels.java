package org.cemiface.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cemiface.image.RgbImage;

/**
 * A trivially cheap stand-in for the UNet and the encoder, for measuring the job's own overhead
 * (planning, partitioning, writing, committing): images are seeded noise around a colour derived
 * from the inquiry, and the "embedding" is the image's mean colour per quadrant. Every output made
 * with it says so.
 */
public final class PlumbingSampleModels implements SampleModels {
  private static final int GRID = 2;
  private final int size;

  /** Images of side {@code size}. */
  public PlumbingSampleModels(int size) {
    this.size = size;
  }

  @Override
  public Conditions condition(List<RgbImage> inquiries) {
    return new Conditions(embed(inquiries), null);
  }

  @Override
  public Conditions conditionFromEmbeddings(List<float[]> embeddings) {
    return new Conditions(embeddings.toArray(new float[0][]), null);
  }

  @Override
  public List<RgbImage> generate(float[][] embeddings, float[][] spatial, float[] m, long[] seeds) {
    List<RgbImage> out = new ArrayList<>(seeds.length);
    for (int i = 0; i < seeds.length; i++) {
      SplittableRandom r = new SplittableRandom(seeds[i]);
      byte[] rgb = new byte[size * size * 3];
      for (int p = 0; p < rgb.length; p++) {
        float base = 128 + 100 * embeddings[i][p % embeddings[i].length];
        rgb[p] =
            (byte)
                Math.max(
                    0, Math.min(255, Math.round(base + (r.nextDouble() - 0.5) * 64 * (1 - m[i]))));
      }
      out.add(new RgbImage(size, size, rgb));
    }
    return out;
  }

  @Override
  public float[][] embed(List<RgbImage> images) {
    float[][] out = new float[images.size()][];
    for (int i = 0; i < out.length; i++) {
      RgbImage image = images.get(i);
      double[] v = new double[GRID * GRID * 3];
      for (int y = 0; y < image.height(); y++) {
        for (int x = 0; x < image.width(); x++) {
          int cell = (y * GRID / image.height()) * GRID + x * GRID / image.width();
          for (int c = 0; c < 3; c++) {
            v[cell * 3 + c] += image.channel(x, y, c) / 255.0 - 0.5;
          }
        }
      }
      double norm = 1e-12;
      for (double d : v) {
        norm += d * d;
      }
      out[i] = new float[v.length];
      for (int k = 0; k < v.length; k++) {
        out[i][k] = (float) (v[k] / Math.sqrt(norm));
      }
    }
    return out;
  }

  @Override
  public int imageSize() {
    return size;
  }

  @Override
  public String description() {
    return "PLUMBING MODEL (seeded noise images, no diffusion, no encoder): measures the job's own overhead only";
  }

  @Override
  public void close() {
    // Nothing native.
  }
}
