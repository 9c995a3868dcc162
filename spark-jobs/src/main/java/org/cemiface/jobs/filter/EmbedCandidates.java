package org.cemiface.jobs.filter;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.cemiface.config.ShippedConfig;
import org.cemiface.data.ImageBytes;
import org.cemiface.data.ImageEntry;
import org.cemiface.encoder.IdentityEncoder;
import org.cemiface.filter.CandidateCheck;
import org.cemiface.image.RgbImage;
import org.cemiface.jobs.EncoderBlocks;
import org.cemiface.jobs.similarity.BlockFiles;
import org.cemiface.similarity.EmbeddingBlock;

/**
 * Embedding stage of filter (one encoder per task): for each block of candidates in input order,
 * checks and embeds them, writes the block's embeddings as a file for the similarity stage, and
 * returns one row per candidate.
 */
final class EmbedCandidates extends EncoderBlocks {
  private final Broadcast<List<String>> paths;
  private final Broadcast<List<String>> ids;
  private final int blockSize;
  private final String blockDir;
  private final CandidateCheck check;

  EmbedCandidates(
      ShippedConfig config,
      Broadcast<List<String>> paths,
      Broadcast<List<String>> ids,
      int blockSize,
      String blockDir,
      CandidateCheck check) {
    super(config);
    this.paths = paths;
    this.ids = ids;
    this.blockSize = blockSize;
    this.blockDir = blockDir;
    this.check = check;
  }

  @Override
  protected void embedBlock(int block, IdentityEncoder encoder, List<Row> out) {
    List<String> allPaths = paths.value();
    int from = block * blockSize;
    int to = Math.min(allPaths.size(), from + blockSize);
    List<RgbImage> images = new ArrayList<>();
    List<Integer> passed = new ArrayList<>();
    String[] status = new String[to - from];
    String[] reason = new String[to - from];
    for (int i = from; i < to; i++) {
      String path = allPaths.get(i);
      byte[] bytes = null;
      String readError = null;
      try {
        bytes = ImageBytes.read(new ImageEntry(path, 0, ids.value().get(i)));
      } catch (RuntimeException e) {
        readError = e.getMessage();
      }
      CandidateCheck.Outcome o = check.check(bytes, readError, path);
      if (o.ok()) {
        images.add(o.image());
        passed.add(i);
      } else {
        status[i - from] = o.status().label();
        reason[i - from] = o.reason();
      }
    }
    IdentityEncoder.Embedded embedded =
        images.isEmpty()
            ? new IdentityEncoder.Embedded(new float[0][], new float[0])
            : encoder.embedWithNorms(images);
    float[][] embeddings = embedded.embeddings();
    long[] blockIds = new long[passed.size()];
    float[][] rows = new float[passed.size()][];
    for (int k = 0; k < passed.size(); k++) {
      blockIds[k] = passed.get(k);
      rows[k] = embeddings[k];
    }
    EmbeddingBlock eb =
        rows.length == 0
            ? new EmbeddingBlock(block, new long[0], encoder.dimension(), new float[0])
            : EmbeddingBlock.of(block, blockIds, rows);
    BlockFiles.write(blockDir, eb);
    int k = 0;
    for (int i = from; i < to; i++) {
      float[] e = null;
      Float norm = null;
      if (status[i - from] == null) {
        norm = embedded.norms()[k];
        e = embeddings[k++];
      }
      out.add(
          RowFactory.create(
              (long) i,
              ids.value().get(i),
              allPaths.get(i),
              status[i - from],
              reason[i - from],
              e,
              norm));
    }
  }
}
