package org.cemiface.jobs.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.Function2;
import org.cemiface.analysis.ClassCenters;
import org.cemiface.config.ShippedConfig;
import org.cemiface.data.ImageBytes;
import org.cemiface.data.ImageEntry;
import org.cemiface.encoder.IdentityEncoder;
import org.cemiface.fid.FeatureMoments;
import org.cemiface.fid.FidFeatures;
import org.cemiface.image.ImageDecoder;
import org.cemiface.image.RgbImage;
import org.cemiface.io.HadoopFiles;
import org.cemiface.jobs.TaskDevices;
import org.cemiface.jobs.similarity.BlockFiles;
import org.cemiface.plan.EmbeddingInquiries;
import org.cemiface.similarity.EmbeddingBlock;
import org.cemiface.stats.SubjectStats;
import scala.Tuple2;

/**
 * One stats task: a block of whole subjects embedded with one encoder (inquiries and stored images,
 * in batches); writes the block's subject centres for the nearest-subject search and returns each
 * subject's figures.
 */
final class StatsPartition
    implements Function2<
        Integer, Iterator<Tuple2<Long, SampleRef>>, Iterator<SubjectStats.Result>> {
  private final ShippedConfig config;
  private final String datasetRoot;
  private final String centerDir;
  private final int batchSize;
  private final String momentsDir;
  private final FidFeatures fidFeatures;

  /**
   * {@code momentsDir}: where the block's moments of the generated images' {@code fidFeatures} go
   * (FID), or null for none.
   */
  StatsPartition(
      ShippedConfig config,
      String datasetRoot,
      String centerDir,
      int batchSize,
      String momentsDir,
      FidFeatures fidFeatures) {
    this.config = config;
    this.datasetRoot = datasetRoot;
    this.centerDir = centerDir;
    this.batchSize = batchSize;
    this.momentsDir = momentsDir;
    this.fidFeatures = fidFeatures;
  }

  @Override
  public Iterator<SubjectStats.Result> call(Integer block, Iterator<Tuple2<Long, SampleRef>> rows) {
    List<SampleRef> refs = new ArrayList<>();
    rows.forEachRemaining(t -> refs.add(t._2()));
    List<SubjectStats.Result> out = new ArrayList<>();
    if (refs.isEmpty()) {
      return out.iterator();
    }
    refs.sort(Comparator.comparingLong(SampleRef::subject).thenComparingInt(SampleRef::index));
    FeatureMoments moments = null;
    try (IdentityEncoder encoder = TaskDevices.encoder(config)) {
      // Moments only when the FID asks for them: they hold d(d+1)/2 doubles.
      moments = momentsDir == null ? null : new FeatureMoments(encoder.dimension());
      int from = 0;
      while (from < refs.size()) {
        int to = from;
        while (to < refs.size() && refs.get(to).subject() == refs.get(from).subject()) {
          to++;
        }
        out.add(subject(refs.subList(from, to), encoder, moments));
        from = to;
      }
    }
    if (momentsDir != null) {
      HadoopFiles.writeAtomically(FidStage.blockFile(momentsDir, block), moments.toBytes());
    }
    long[] ids = new long[out.size()];
    float[][] centers = new float[out.size()][];
    for (int i = 0; i < out.size(); i++) {
      ids[i] = out.get(i).subject().subject();
      centers[i] = out.get(i).subject().center();
    }
    BlockFiles.write(centerDir, EmbeddingBlock.of(block, ids, centers));
    return out.iterator();
  }

  private SubjectStats.Result subject(
      List<SampleRef> refs, IdentityEncoder encoder, FeatureMoments moments) {
    SampleRef first = refs.get(0);
    // Without an inquiry (a labelled dataset stats did not generate) the identity centre is the
    // reference, computed once the images are embedded.
    float[] inquiryEmbedding = inquiryEmbedding(first.inquirySource(), encoder);
    float[][] embeddings = new float[refs.size()][];
    // The FID's features: the embeddings themselves, or the raw features when the FID asks for
    // those.
    boolean raw = moments != null && fidFeatures == FidFeatures.RAW;
    float[][] features = raw ? new float[refs.size()][] : embeddings;
    List<SubjectStats.Image> images = new ArrayList<>();
    for (int from = 0; from < refs.size(); from += batchSize) {
      List<RgbImage> batch = new ArrayList<>();
      for (int i = from; i < Math.min(refs.size(), from + batchSize); i++) {
        String file = location(refs.get(i).path());
        batch.add(ImageDecoder.decode(ImageBytes.read(new ImageEntry(file, 0, file)), file));
      }
      float[][] e;
      if (raw) {
        IdentityEncoder.Embedded embedded = encoder.embedWithNorms(batch);
        e = embedded.embeddings();
        System.arraycopy(FidFeatures.scale(e, embedded.norms()), 0, features, from, e.length);
      } else {
        e = encoder.embed(batch);
      }
      System.arraycopy(e, 0, embeddings, from, e.length);
    }
    for (int i = 0; i < refs.size(); i++) {
      SampleRef r = refs.get(i);
      SubjectStats.Image image = new SubjectStats.Image(r.index(), r.kind(), r.m());
      images.add(image);
      if (moments != null && image.generated()) {
        try {
          moments.add(features[i]);
        } catch (IllegalArgumentException e) {
          // As the fid command does: a non-finite feature is a defect to see (docs/operations.md,
          // "CPU kernels").
          throw new IllegalStateException("FID features of " + r.path() + ": " + e.getMessage(), e);
        }
      }
    }
    if (inquiryEmbedding == null) {
      float[] sum = null;
      for (float[] e : embeddings) {
        sum = ClassCenters.accumulate(sum, e);
      }
      inquiryEmbedding = ClassCenters.normalize(Map.of(0, sum)).get(0);
    }
    return SubjectStats.compute(first.subject(), inquiryEmbedding, images, embeddings);
  }

  /**
   * The inquiry's embedding: of its image, the one it was given (an embedding inquiry), or null
   * when the dataset has no inquiries (the identity centre is then the reference).
   */
  private static float[] inquiryEmbedding(String source, IdentityEncoder encoder) {
    if (source == null) {
      return null;
    }
    if (EmbeddingInquiries.isReference(source)) {
      return EmbeddingInquiries.read(source);
    }
    RgbImage image =
        ImageDecoder.decode(ImageBytes.read(new ImageEntry(source, 0, "inquiry")), source);
    return encoder.embed(List.of(image))[0];
  }

  /**
   * Where an image is: relative to the dataset root for a generated dataset, already absolute (with
   * its scheme) for a labelled dataset's listing.
   */
  private String location(String path) {
    return new Path(path).isAbsolute() ? path : new Path(datasetRoot, path).toString();
  }
}
