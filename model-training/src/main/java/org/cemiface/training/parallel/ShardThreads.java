package org.cemiface.training.parallel;

import ai.djl.Device;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the shards of a data-parallel step at the same time: shard 0 (the primary device's) on the
 * calling thread, every other shard on a thread of its own, so N devices work at once instead of
 * one after another. Results come back in shard order, so whatever the caller sums from them is
 * summed in the same order as on one thread. Sequential mode runs every shard on the calling
 * thread, in order.
 */
public final class ShardThreads implements AutoCloseable {
  private final ExecutorService pool;

  /** Threads for {@code shards} shards; {@code concurrent = false}, or one shard: no threads. */
  public ShardThreads(int shards, boolean concurrent) {
    AtomicInteger made = new AtomicInteger();
    this.pool =
        concurrent && shards > 1
            ? Executors.newFixedThreadPool(
                shards - 1,
                r -> {
                  Thread t = new Thread(r, "replica-shard-" + made.incrementAndGet());
                  t.setDaemon(true);
                  return t;
                })
            : null;
  }

  /**
   * Threads for shards on {@code devices} (the primary's first), at once when {@code concurrent}
   * holds, unless the network draws random numbers in its forward pass ({@code drawsRandomNumbers}:
   * dropout) and two shards share a device. PyTorch keeps one generator per device, and every CPU
   * shard draws from the CPU's one: their masks would follow thread timing and no run would repeat
   * (nor resume exactly). Such shards run one after another, said in the log; GPUs have a generator
   * each, so GPU shards still run at once.
   */
  public static ShardThreads forDevices(
      String task,
      List<Device> devices,
      boolean concurrent,
      boolean drawsRandomNumbers,
      PrintStream log) {
    boolean shared = new HashSet<>(devices).size() < devices.size();
    boolean atOnce = concurrent && !(drawsRandomNumbers && shared);
    if (concurrent && !atOnce) {
      log.printf(
          "[%s] replicas run one after another: %s share one random generator and the network's"
              + " dropout draws from it, so masks drawn at once would depend on thread timing%n",
          task, devices);
    }
    return new ShardThreads(devices.size(), atOnce);
  }

  /** Whether shards run on threads of their own. */
  public boolean concurrent() {
    return pool != null;
  }

  /**
   * Runs every unit (one per shard) and returns their results in shard order; when units fail, the
   * first failing shard's exception is thrown after all units have ended (none outlives the step).
   */
  public <T> List<T> run(List<Callable<T>> units) {
    return pool == null ? runAll(units) : StepGradients.sharing(() -> runAll(units));
  }

  private <T> List<T> runAll(List<Callable<T>> units) {
    List<Future<T>> others = new ArrayList<>();
    if (pool != null) {
      for (Callable<T> unit : units.subList(1, units.size())) {
        others.add(pool.submit(unit));
      }
    }
    List<T> results = new ArrayList<>();
    Throwable failure = null;
    try {
      results.add(units.get(0).call());
    } catch (Exception | Error e) {
      failure = e;
    }
    for (int k = 1; k < units.size(); k++) {
      try {
        results.add(pool != null ? others.get(k - 1).get() : units.get(k).call());
      } catch (ExecutionException e) {
        failure = failure != null ? failure : e.getCause();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = failure != null ? failure : e;
      } catch (Exception | Error e) {
        failure = failure != null ? failure : e;
      }
    }
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    if (failure != null) {
      throw new IllegalStateException("a replica's shard failed: " + failure, failure);
    }
    return results;
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
