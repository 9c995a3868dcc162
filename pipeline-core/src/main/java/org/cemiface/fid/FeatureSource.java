package org.cemiface.fid;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.cemiface.config.RunSettings;
import org.cemiface.data.ImageBytes;
import org.cemiface.data.ImageEntry;
import org.cemiface.data.Shuffle;
import org.cemiface.data.TrainingImages;
import org.cemiface.encoder.IdentityEncoder;
import org.cemiface.image.ImageDecodeException;
import org.cemiface.image.ImageDecoder;
import org.cemiface.image.RgbImage;
import org.cemiface.random.Gaussian;
import org.cemiface.random.Seeds;

/**
 * A set of images whose encoder features are fitted by a Gaussian: a dataset this project reads
 * (ImageFolder, insightface RecordIO, Parquet image table), or {@code noise:N}, N images of clipped
 * Gaussian pixel noise (what an untrained diffusion model draws; the ceiling of a FID scale).
 */
public sealed interface FeatureSource extends Serializable {
  /** Random stream of noise images. */
  long NOISE_STREAM = 0x4F1D;

  /**
   * Parses {@code spec}: {@code noise:N} or a dataset path, relative to the work directory unless
   * absolute.
   */
  static FeatureSource parse(String spec, RunSettings run, int maxImages) {
    long seed = run.seed();
    if (spec.startsWith("noise:")) {
      int n;
      try {
        n = Integer.parseInt(spec.substring("noise:".length()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "'" + spec + "': write noise:N with N a whole number of images");
      }
      if (n < 2) {
        throw new IllegalArgumentException(
            "'" + spec + "': a Gaussian fit needs at least 2 noise images");
      }
      return new Noise(n, seed);
    }
    String root = run.resolve(spec);
    List<ImageEntry> entries = TrainingImages.list(root);
    if (entries.size() < 2) {
      throw new IllegalArgumentException(
          root + " holds " + entries.size() + " images; a Gaussian fit needs at least 2");
    }
    if (maxImages > 0 && entries.size() > maxImages) {
      // A seeded subset, so the same reference gives the same statistics on every run.
      entries = new ArrayList<>(Shuffle.epochOrder(entries, seed, 0).subList(0, maxImages));
    }
    return new Dataset(root, List.copyOf(entries));
  }

  /** Number of images. */
  int size();

  /** Human-readable name for reports. */
  String describe();

  /**
   * Images [from, to) of this source; unreadable ones are reported to {@code onUnreadable} and left
   * out.
   */
  List<RgbImage> images(int from, int to, int size, Consumer<String> onUnreadable);

  /**
   * Moments of the {@code features} of images [from, to) under {@code encoder}, in batches of
   * {@code batchSize}.
   */
  default FeatureMoments moments(
      int from,
      int to,
      IdentityEncoder encoder,
      FidFeatures features,
      int batchSize,
      Consumer<String> onUnreadable) {
    FeatureMoments moments = new FeatureMoments(encoder.dimension());
    int size = encoder.layout().size();
    for (int start = from; start < to; start += batchSize) {
      List<RgbImage> batch = images(start, Math.min(to, start + batchSize), size, onUnreadable);
      if (!batch.isEmpty()) {
        moments.add(features.of(encoder, batch));
      }
    }
    return moments;
  }

  /** Stored images of a dataset. */
  record Dataset(String root, List<ImageEntry> entries) implements FeatureSource {
    @Override
    public int size() {
      return entries.size();
    }

    @Override
    public String describe() {
      return root;
    }

    @Override
    public List<RgbImage> images(int from, int to, int size, Consumer<String> onUnreadable) {
      List<RgbImage> out = new ArrayList<>(to - from);
      for (ImageEntry e : entries.subList(from, to)) {
        try {
          out.add(ImageDecoder.decode(ImageBytes.read(e), e.path()));
        } catch (ImageDecodeException ex) {
          onUnreadable.accept(ex.getMessage());
        }
      }
      return out;
    }
  }

  /**
   * Seeded Gaussian pixel noise, N(0, 1) in the model's [−1, 1] scale, clipped; image i depends on
   * (seed, i) only.
   */
  record Noise(int count, long seed) implements FeatureSource {
    @Override
    public int size() {
      return count;
    }

    @Override
    public String describe() {
      return "noise:" + count;
    }

    @Override
    public List<RgbImage> images(int from, int to, int size, Consumer<String> onUnreadable) {
      List<RgbImage> out = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        SplittableRandom r = Seeds.random(seed, NOISE_STREAM, 0, i);
        byte[] rgb = new byte[size * size * 3];
        for (int k = 0; k < rgb.length; k++) {
          double v = Math.max(-1, Math.min(1, Gaussian.next(r)));
          rgb[k] = (byte) Math.round(127.5 * (v + 1));
        }
        out.add(new RgbImage(size, size, rgb));
      }
      return out;
    }
  }
}
