package org.cemiface.cli;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.Path;
import org.cemiface.config.ConfigReader;
import org.cemiface.config.RunSettings;
import org.cemiface.encoder.EncoderSettings;
import org.cemiface.encoder.IdentityEncoder;
import org.cemiface.encoder.IdentityEncoders;
import org.cemiface.fid.FeatureMoments;
import org.cemiface.fid.FeatureSource;
import org.cemiface.fid.FidFeatures;
import org.cemiface.fid.FrechetDistance;
import org.cemiface.io.HadoopFiles;
import org.cemiface.progress.Progress;

/**
 * {@code fid}: the Fréchet distance between the encoder features of two image sets, in one process.
 */
public final class FidCommand implements Command {
  @Override
  public String name() {
    return "fid";
  }

  @Override
  public String summary() {
    return "FID between two image sets (datasets or noise) under the configured encoder";
  }

  @Override
  public String help() {
    return "Embeds both sets with encoder.source, fits a Gaussian to each set's encoder features and prints\n"
        + "the Fréchet distance |mu1 - mu2|^2 + Tr(S1 + S2 - 2 (S1 S2)^1/2) (docs/querying.md, \"FID\").\n"
        + "  --images SET      the set to score\n"
        + "  --reference SET   the set to compare with\n"
        + "  --max-images N    use a seeded subset of at most N images of each set (default 0: all)\n"
        + "  --features F      raw (the encoder's features before L2 normalisation; default) or normalized\n"
        + "  --output FILE     also write the result as JSON (fid, images, reference, counts, dimension, encoder)\n"
        + "A SET is an ImageFolder, an insightface RecordIO directory or a Parquet image table (relative to work-dir),\n"
        + "or noise:N, N images of Gaussian pixel noise. Unreadable images are listed and left out.\n"
        + "Keys: encoder.*, seed, work-dir.";
  }

  @Override
  public Set<String> options() {
    return Set.of("--images", "--reference", "--max-images", "--output", "--features");
  }

  @Override
  public int run(Invocation inv) throws Exception {
    int max = inv.wholeNumber("--max-images", "0", 0);
    ConfigReader r = inv.config().reader();
    RunSettings run = RunSettings.from(r);
    EncoderSettings encoderSettings = EncoderSettings.from(r).resolvedAgainst(run);
    if (encoderSettings.source().isEmpty()) {
      throw new UsageError(
          "no encoder: set encoder.source (e.g. --set encoder.source=djl:models/encoder)");
    }
    FidFeatures features = FidFeatures.parse(inv.option("--features").orElse("raw"), "--features");
    FeatureSource images = FeatureSource.parse(inv.required("--images"), run, max);
    FeatureSource reference = FeatureSource.parse(inv.required("--reference"), run, max);
    AtomicInteger unreadable = new AtomicInteger();
    try (IdentityEncoder encoder = IdentityEncoders.open(encoderSettings)) {
      FeatureMoments a =
          embed(images, encoder, features, encoderSettings.batchSize(), inv, unreadable);
      FeatureMoments b =
          embed(reference, encoder, features, encoderSettings.batchSize(), inv, unreadable);
      double fid = FrechetDistance.between(a, b);
      inv.out()
          .printf(
              Locale.ROOT,
              "FID %.4f: %s (%d images) vs %s (%d images), %d-d %s features of %s%s%n",
              fid,
              images.describe(),
              a.count(),
              reference.describe(),
              b.count(),
              encoder.dimension(),
              features.key(),
              encoderSettings.source(),
              unreadable.get() > 0
                  ? "; " + unreadable.get() + " unreadable images left out (listed above)"
                  : "");
      if (inv.option("--output").isPresent()) {
        JsonObject json = new JsonObject();
        json.addProperty("fid", fid);
        json.addProperty("images", images.describe());
        json.addProperty("image_count", a.count());
        json.addProperty("reference", reference.describe());
        json.addProperty("reference_count", b.count());
        json.addProperty("dimension", encoder.dimension());
        json.addProperty("features", features.key());
        json.addProperty("encoder", encoderSettings.source());
        HadoopFiles.writeAtomically(
            new Path(run.resolve(inv.option("--output").get())),
            json.toString().getBytes(StandardCharsets.UTF_8));
      }
    }
    return 0;
  }

  private static FeatureMoments embed(
      FeatureSource source,
      IdentityEncoder encoder,
      FidFeatures features,
      int batchSize,
      Invocation inv,
      AtomicInteger unreadable) {
    Progress progress =
        new Progress("fid " + source.describe(), "images", source.size(), inv.err());
    FeatureMoments total = new FeatureMoments(encoder.dimension());
    for (int from = 0; from < source.size(); from += batchSize) {
      int to = Math.min(source.size(), from + batchSize);
      total.merge(
          source.moments(
              from,
              to,
              encoder,
              features,
              batchSize,
              why -> {
                inv.err().println("unreadable: " + why);
                unreadable.incrementAndGet();
              }));
      progress.advance(to - from);
    }
    return total;
  }
}
