package org.cemiface.training.cemiface;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.cemiface.data.Batch;
import org.cemiface.data.BatchLoader;
import org.cemiface.data.ImageEntry;
import org.cemiface.data.Shuffle;

/**
 * The batch of every global step: epochs of whole batches in a seeded order per epoch ({@link
 * Shuffle#epochOrder}), decoded ahead by a {@link BatchLoader} that is replaced at each epoch; a
 * run resumed at any step continues the same order. Unreadable images are skipped, counted and
 * logged.
 */
final class EpochBatches implements AutoCloseable {
  private final List<ImageEntry> entries;
  private final int batchSize;
  private final int threads;
  private final long seed;
  private final int batchesPerEpoch;
  private final AtomicLong skipped;
  private final PrintStream log;
  private BatchLoader loader;

  EpochBatches(
      List<ImageEntry> entries,
      int batchSize,
      int threads,
      long seed,
      AtomicLong skipped,
      PrintStream log) {
    this.entries = entries;
    this.batchSize = batchSize;
    this.threads = threads;
    this.seed = seed;
    this.batchesPerEpoch = batchesPerEpoch(entries.size(), batchSize);
    this.skipped = skipped;
    this.log = log;
  }

  /** Whole batches per epoch (the last partial batch is dropped; at least one). */
  static int batchesPerEpoch(int images, int batchSize) {
    return Math.max(1, images / batchSize);
  }

  /**
   * The batch of global step {@code step} (0-based); steps must come in order from the first one
   * asked for.
   */
  Batch next(long step) {
    long epoch = step / batchesPerEpoch;
    int index = (int) (step % batchesPerEpoch);
    if (loader == null || index == 0) {
      close();
      List<ImageEntry> order = Shuffle.epochOrder(entries, seed, epoch);
      loader =
          new BatchLoader(
              order.subList(index * batchSize, Math.min(order.size(), batchesPerEpoch * batchSize)),
              batchSize,
              threads,
              skipped,
              why -> log.println("skipping unreadable image " + why));
    }
    Batch batch = loader.next();
    if (batch.size() == 0) {
      // A step on no images is a NaN loss; with data this broken, training would only write
      // checkpoints of nothing.
      throw new IllegalArgumentException(
          "none of the "
              + batchSize
              + " images drawn for step "
              + step
              + " could be read ("
              + skipped.get()
              + " unreadable images skipped so far, each named in the log): the training data is"
              + " mostly unreadable; fix or remove those files");
    }
    return batch;
  }

  @Override
  public void close() {
    if (loader != null) {
      loader.close();
      loader = null;
    }
  }
}
