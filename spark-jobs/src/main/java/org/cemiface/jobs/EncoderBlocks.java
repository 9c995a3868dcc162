package org.cemiface.jobs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.cemiface.config.ShippedConfig;
import org.cemiface.encoder.IdentityEncoder;

/**
 * A Spark task over blocks of images: one encoder for the whole task (on its device), then each
 * block in turn; rows come out in block order.
 */
public abstract class EncoderBlocks implements FlatMapFunction<Iterator<Integer>, Row> {
  private final ShippedConfig config;

  /** Blocks embedded with the encoder of {@code config}'s {@code encoder.*}. */
  protected EncoderBlocks(ShippedConfig config) {
    this.config = config;
  }

  @Override
  public final Iterator<Row> call(Iterator<Integer> blocks) {
    if (!blocks.hasNext()) {
      return Collections.emptyIterator();
    }
    List<Row> out = new ArrayList<>();
    try (IdentityEncoder encoder = TaskDevices.encoder(config)) {
      while (blocks.hasNext()) {
        embedBlock(blocks.next(), encoder, out);
      }
    }
    return out.iterator();
  }

  /** Embeds block {@code block}, adding its rows to {@code out}. */
  protected abstract void embedBlock(int block, IdentityEncoder encoder, List<Row> out);
}
