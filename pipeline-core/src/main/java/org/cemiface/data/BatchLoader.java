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
  private int next;

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
    this.order = order;
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
      ImageEntry e = order.get(next++);
      ahead.add(pool.submit(() -> decode(e)));
    }
  }

  private static Decoded decode(ImageEntry e) {
    try {
      return new Decoded(e, ImageDecoder.decode(ImageBytes.read(e), e.relativePath()), null);
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
