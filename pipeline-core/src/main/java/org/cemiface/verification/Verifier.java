package org.cemiface.verification;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.cemiface.encoder.IdentityEncoder;
import org.cemiface.image.ImageDecodeException;
import org.cemiface.image.ImageDecoder;
import org.cemiface.image.RgbImage;
import org.cemiface.progress.Progress;

/**
 * Verifies one encoder on one benchmark with the protocol papers report: flip test-time
 * augmentation, squared distances of normalised features, 10-fold accuracy and TAR at a FAR.
 */
public final class Verifier {
  /**
   * Images decoded and embedded at a time: a 12,000-image benchmark is not held decoded, and
   * progress moves often enough for a large encoder on a CPU.
   */
  static final int CHUNK = 128;

  private final IdentityEncoder encoder;
  private final double farTarget;
  private final PrintStream progressOut;

  /** A verifier of {@code encoder} reporting TAR at {@code farTarget}; progress goes to out. */
  public Verifier(IdentityEncoder encoder, double farTarget, PrintStream progressOut) {
    this.encoder = encoder;
    this.farTarget = farTarget;
    this.progressOut = progressOut;
  }

  /** The result of one benchmark, with its distances for the ROC curve. */
  public record Outcome(BenchmarkResult result, double[] distances, boolean[] same) {
    /** The benchmark's ROC curve. */
    public RocCurve roc() {
      return RocCurve.of(distances, same);
    }
  }

  /** Embeds every image of {@code bin} (and its mirror image) and scores the pairs. */
  public Outcome verify(String model, BenchmarkBin bin) {
    float[][] features = features(model, bin);
    float[][] first = new float[bin.pairs()][];
    float[][] second = new float[bin.pairs()][];
    for (int i = 0; i < bin.pairs(); i++) {
      first[i] = features[2 * i];
      second[i] = features[2 * i + 1];
    }
    double[] d = BenchmarkProtocol.squaredDistances(first, second);
    BenchmarkProtocol.Accuracy acc = BenchmarkProtocol.tenFold(d, bin.same());
    TarAtFar.Result val = TarAtFar.compute(d, bin.same(), farTarget);
    BenchmarkResult result =
        new BenchmarkResult(
            model,
            bin.name(),
            bin.pairs(),
            acc.mean(),
            acc.std(),
            farTarget,
            val.tar(),
            val.tarStd(),
            val.far());
    return new Outcome(result, d, bin.same());
  }

  private float[][] features(String model, BenchmarkBin bin) {
    List<byte[]> encoded = bin.images();
    float[][] out = new float[encoded.size()][];
    Progress progress =
        new Progress(
            "verify " + model + " on " + bin.name(), "images", encoded.size(), progressOut);
    for (int from = 0; from < encoded.size(); from += CHUNK) {
      int to = Math.min(encoded.size(), from + CHUNK);
      List<RgbImage> images = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        try {
          images.add(ImageDecoder.decode(encoded.get(i), bin.name() + " image " + i));
        } catch (ImageDecodeException e) {
          throw new IllegalArgumentException(
              bin.name()
                  + ": image "
                  + i
                  + " (pair "
                  + i / 2
                  + ") cannot be decoded: "
                  + e.getMessage()
                  + "; every pair must be scored, so the benchmark file must be repaired",
              e);
        }
      }
      float[][] chunk = FlipFeatures.of(encoder, images);
      System.arraycopy(chunk, 0, out, from, chunk.length);
      progress.advance(to - from);
    }
    return out;
  }
}
