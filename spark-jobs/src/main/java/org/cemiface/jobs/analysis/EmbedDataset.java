package org.cemiface.jobs.analysis;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.cemiface.config.ShippedConfig;
import org.cemiface.data.ImageBytes;
import org.cemiface.data.ImageEntry;
import org.cemiface.encoder.IdentityEncoder;
import org.cemiface.image.ImageDecodeException;
import org.cemiface.image.ImageDecoder;
import org.cemiface.image.RgbImage;
import org.cemiface.jobs.EncoderBlocks;

/**
 * Embeds a labelled dataset block by block (one encoder per task): one row per image with its
 * normalised embedding, or with the reason it could not be read.
 */
final class EmbedDataset extends EncoderBlocks {
  private final Broadcast<List<ImageEntry>> entries;
  private final int blockSize;

  EmbedDataset(ShippedConfig config, Broadcast<List<ImageEntry>> entries, int blockSize) {
    super(config);
    this.entries = entries;
    this.blockSize = blockSize;
  }

  @Override
  protected void embedBlock(int block, IdentityEncoder encoder, List<Row> out) {
    List<ImageEntry> all = entries.value();
    int from = block * blockSize;
    int to = Math.min(all.size(), from + blockSize);
    List<RgbImage> images = new ArrayList<>();
    String[] reason = new String[to - from];
    for (int i = from; i < to; i++) {
      ImageEntry e = all.get(i);
      try {
        images.add(ImageDecoder.decode(ImageBytes.read(e), e.relativePath()));
      } catch (ImageDecodeException ex) {
        reason[i - from] = ex.reason();
      } catch (RuntimeException ex) {
        reason[i - from] = String.valueOf(ex.getMessage());
      }
    }
    float[][] embeddings = images.isEmpty() ? new float[0][] : encoder.embed(images);
    int k = 0;
    for (int i = from; i < to; i++) {
      ImageEntry e = all.get(i);
      float[] embedding = reason[i - from] == null ? embeddings[k++] : null;
      out.add(
          RowFactory.create((long) i, e.label(), e.relativePath(), embedding, reason[i - from]));
    }
  }
}
