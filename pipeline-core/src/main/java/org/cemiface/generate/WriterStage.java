package org.cemiface.generate;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A bounded hand-off from the sampling thread to one writer thread, so that encoding and committing
 * a batch overlaps with sampling the next: the sampler blocks only when {@code capacity} batches
 * wait already (the time it waits is counted). A writer failure is rethrown to the sampler at its
 * next hand-off or at {@link #finish()}; closing before {@code finish} (the sampler failed or its
 * task was killed) interrupts the writer and waits for it, so no write outlives the attempt. With
 * capacity 0 work runs inline on the caller's thread.
 */
final class WriterStage implements AutoCloseable {
  private static final Runnable END = () -> {};

  private final BlockingQueue<Runnable> queue;
  private final Thread writer;
  private volatile Throwable failure;
  private long waitedNanos;

  /** A stage queueing up to {@code capacity} units of work (0: none, inline). */
  WriterStage(int capacity, String name) {
    if (capacity == 0) {
      queue = null;
      writer = null;
      return;
    }
    queue = new ArrayBlockingQueue<>(capacity);
    writer = new Thread(this::drain, name);
    writer.setDaemon(true);
    writer.start();
  }

  private void drain() {
    try {
      for (Runnable work = queue.take(); work != END; work = queue.take()) {
        work.run();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      // An Error too: a writer that died silently would leave the sampler blocked on a full queue.
      failure = e;
      // Keep taking so a sampler blocked on a full queue sees the failure instead of hanging.
      try {
        for (Runnable work = queue.take(); work != END; work = queue.take()) {
          // dropped: the attempt has failed
        }
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Hands {@code work} to the writer (or runs it, inline); rethrows an earlier writer failure. */
  void submit(Runnable work) {
    rethrow();
    if (queue == null) {
      work.run();
      return;
    }
    long start = System.nanoTime();
    try {
      queue.put(work);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while handing a batch to the writer", e);
    } finally {
      waitedNanos += System.nanoTime() - start;
    }
  }

  /** Waits until every submitted unit is done; rethrows a writer failure. */
  void finish() {
    if (queue != null) {
      long start = System.nanoTime();
      try {
        queue.put(END);
        writer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the writer", e);
      } finally {
        waitedNanos += System.nanoTime() - start;
      }
    }
    rethrow();
  }

  /** Nanoseconds the sampler spent waiting on the writer (a full queue, then the final drain). */
  long waitedNanos() {
    return waitedNanos;
  }

  private void rethrow() {
    Throwable f = failure;
    if (f instanceof RuntimeException re) {
      throw re;
    }
    if (f instanceof Error error) {
      throw error;
    }
  }

  @Override
  public void close() {
    if (writer != null && writer.isAlive()) {
      // Work left in the queue is dropped, and the end marker makes the writer stop even if the
      // unit it is running swallows the interrupt.
      queue.clear();
      queue.offer(END);
      writer.interrupt();
      try {
        writer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
