package org.cemiface.training.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ShardThreadsTest {
  @Test
  void shardsRunAtOnceAndComeBackInShardOrder() {
    // Each shard waits until all three have started: only concurrent shards get past the latch.
    CountDownLatch allStarted = new CountDownLatch(3);
    Callable<String> unit =
        () -> {
          allStarted.countDown();
          assertTrue(allStarted.await(10, TimeUnit.SECONDS), "the shards did not run at once");
          return Thread.currentThread().getName();
        };
    try (ShardThreads threads = new ShardThreads(3, true)) {
      List<String> names = threads.run(List.of(unit, unit, unit));
      assertEquals(Thread.currentThread().getName(), names.get(0), "shard 0 on the caller");
      assertNotEquals(names.get(0), names.get(1));
      assertNotEquals(names.get(1), names.get(2));
    }
  }

  @Test
  void sequentialRunsEveryShardOnTheCallerInOrder() {
    StringBuilder order = new StringBuilder();
    try (ShardThreads threads = new ShardThreads(3, false)) {
      List<Integer> r =
          threads.run(
              List.of(
                  () -> {
                    order.append('a');
                    return 1;
                  },
                  () -> {
                    order.append('b');
                    return 2;
                  },
                  () -> {
                    order.append('c');
                    return 3;
                  }));
      assertEquals(List.of(1, 2, 3), r);
      assertEquals("abc", order.toString());
    }
  }

  @Test
  void theFirstFailingShardIsThrownAfterEveryShardEnded() {
    AtomicBoolean slowShardEnded = new AtomicBoolean();
    try (ShardThreads threads = new ShardThreads(3, true)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  threads.run(
                      List.<Callable<Integer>>of(
                          () -> 0,
                          () -> {
                            throw new IllegalArgumentException("shard 1");
                          },
                          () -> {
                            Thread.sleep(300);
                            slowShardEnded.set(true);
                            throw new IllegalStateException("shard 2");
                          })));
      assertEquals("shard 1", e.getMessage());
      assertTrue(slowShardEnded.get(), "no shard outlives the step");
    }
  }

  @Test
  void shardsSharingAGeneratorRunOneAfterAnotherOnlyWhenTheNetworkDrawsRandomNumbers() {
    List<Device> cpus = List.of(Device.cpu(), Device.cpu());
    List<Device> gpus = List.of(Device.gpu(0), Device.gpu(1));
    assertEquals("", concurrency(cpus, true, false, true));
    assertEquals("", concurrency(gpus, true, true, true));
    assertEquals("", concurrency(cpus, false, true, false));
    String said = concurrency(cpus, true, true, false);
    assertTrue(said.startsWith("[train] replicas run one after another: [cpu(), cpu()]"), said);
  }

  /** What forDevices logs, after checking whether its shards run at once. */
  private static String concurrency(
      List<Device> devices, boolean asked, boolean dropout, boolean expectAtOnce) {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (ShardThreads threads =
        ShardThreads.forDevices(
            "train", devices, asked, dropout, new PrintStream(log, true, StandardCharsets.UTF_8))) {
      if (expectAtOnce) {
        assertTrue(threads.concurrent(), devices + " asked " + asked + " dropout " + dropout);
      } else {
        assertFalse(threads.concurrent(), devices + " asked " + asked + " dropout " + dropout);
      }
    }
    return log.toString(StandardCharsets.UTF_8);
  }
}
