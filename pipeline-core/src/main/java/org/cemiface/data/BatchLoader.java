package org.cemiface.data;

import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.cemiface.image.ImageDecodeException;
import org.cemiface.image.ImageDecoder;
import org.cemiface.image.RgbImage;

/**
 * Reads and decodes images on background threads, a bounded number ahead of the consumer, and hands
 * them out in request order as batches of consecutive entries. An unreadable image is skipped: it
 * is reported to the skip listener with its path and reason, counted, and left out of its batch
 * (which is then smaller), so an epoch never dies of one and batch k always holds entries [k·B,
 * (k+1)·B) of the order, which makes resumed runs exact.
 */
public final class BatchLoader implements Iterator<Batch>, AutoCloseable {
  private final List<ImageEntry> order;
  private final int batchSize;
  private final ExecutorService pool;
  private final Deque<Future<Decoded>> ahead = new ArrayDeque<>();
  private final int prefetch;
  private final Consumer<String> onSkip;
  private final AtomicLong skipped;
  private final Transform transform;
  private int next;

  /**
   * Work on each decoded image that runs on the decoding threads (augmentation), given the image's
   * position in the order so its random draws need not depend on which thread runs it.
   */
  @FunctionalInterface
  public interface Transform {
    /** The image to hand out for the entry at {@code position} of the order. */
    RgbImage apply(int position, RgbImage image);
  }

  private record Decoded(ImageEntry entry, RgbImage image, String error) {}

  /**
   * A loader over {@code order} (already shuffled as the caller wants), with {@code threads}
   * decoders. {@code skipped} is incremented for every unreadable image.
   */
  public BatchLoader(
      List<ImageEntry> order,
      int batchSize,
      int threads,
      AtomicLong skipped,
      Consumer<String> onSkip) {
    this(order, batchSize, threads, skipped, onSkip, (position, image) -> image);
  }

  /** As the loader above, with {@code transform} applied to every image on the decoding threads. */
  public BatchLoader(
      List<ImageEntry> order,
      int batchSize,
      int threads,
      AtomicLong skipped,
      Consumer<String> onSkip,
      Transform transform) {
    this.order = order;
    this.transform = transform;
    this.batchSize = batchSize;
    this.prefetch = Math.max(2 * batchSize, 4 * threads);
    this.skipped = skipped;
    this.onSkip = onSkip;
    this.pool =
        Executors.newFixedThreadPool(
            Math.max(1, threads),
            r -> {
              Thread t = new Thread(r, "decode");
              t.setDaemon(true);
              return t;
            });
    fill();
  }

  private void fill() {
    while (ahead.size() < prefetch && next < order.size()) {
      int position = next++;
      ImageEntry e = order.get(position);
      ahead.add(pool.submit(() -> decode(e, position)));
    }
  }

  private Decoded decode(ImageEntry e, int position) {
    try {
      RgbImage image = ImageDecoder.decode(ImageBytes.read(e), e.relativePath());
      return new Decoded(e, transform.apply(position, image), null);
    } catch (ImageDecodeException ex) {
      return new Decoded(e, null, ex.reason());
    } catch (UncheckedIOException ex) {
      return new Decoded(e, null, ex.getMessage());
    }
  }

  @Override
  public boolean hasNext() {
    return !ahead.isEmpty();
  }

  /** The next batch; the last one may be smaller. */
  @Override
  public Batch next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    List<RgbImage> images = new ArrayList<>(batchSize);
    List<ImageEntry> entries = new ArrayList<>(batchSize);
    for (int taken = 0; taken < batchSize && !ahead.isEmpty(); taken++) {
      Decoded d = take(ahead.poll());
      fill();
      if (d.image() == null) {
        skipped.incrementAndGet();
        onSkip.accept(d.entry().path() + ": " + d.error());
      } else {
        images.add(d.image());
        entries.add(d.entry());
      }
    }
    int[] labels = entries.stream().mapToInt(ImageEntry::label).toArray();
    return new Batch(images, labels, entries);
  }

  private static Decoded take(Future<Decoded> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while decoding", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("decoder failed: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
