package org.cemiface.generate;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class WriterStageTest {
  @Test
  void workRunsInOrderOnTheWriterAndFinishWaitsForAllOfIt() {
    List<Integer> done = Collections.synchronizedList(new ArrayList<>());
    List<String> threads = Collections.synchronizedList(new ArrayList<>());
    try (WriterStage stage = new WriterStage(2, "test-writer")) {
      for (int i = 0; i < 20; i++) {
        int n = i;
        stage.submit(
            () -> {
              threads.add(Thread.currentThread().getName());
              done.add(n);
            });
      }
      stage.finish();
    }
    assertEquals(20, done.size());
    for (int i = 0; i < 20; i++) {
      assertEquals(i, done.get(i));
    }
    assertTrue(threads.stream().allMatch("test-writer"::equals), threads.toString());
  }

  @Test
  void aWriterFailureReachesTheSamplerEvenWhenTheQueueIsFull() {
    assertTimeoutPreemptively(
        ofSeconds(10),
        () -> {
          try (WriterStage stage = new WriterStage(1, "test-writer")) {
            IllegalArgumentException e =
                assertThrows(
                    IllegalArgumentException.class,
                    () -> {
                      stage.submit(
                          () -> {
                            throw new IllegalArgumentException("cannot write a.png");
                          });
                      for (int i = 0; i < 100; i++) {
                        stage.submit(() -> {});
                      }
                      stage.finish();
                    });
            assertEquals("cannot write a.png", e.getMessage());
          }
        });
  }

  @Test
  void anErrorOnTheWriterReachesTheSamplerInsteadOfLeavingItBlocked() {
    assertTimeoutPreemptively(
        ofSeconds(10),
        () -> {
          try (WriterStage stage = new WriterStage(1, "test-writer")) {
            AssertionError e =
                assertThrows(
                    AssertionError.class,
                    () -> {
                      stage.submit(
                          () -> {
                            throw new AssertionError("encoder state broken");
                          });
                      for (int i = 0; i < 100; i++) {
                        stage.submit(() -> {});
                      }
                      stage.finish();
                    });
            assertEquals("encoder state broken", e.getMessage());
          }
        });
  }

  @Test
  void closingBeforeFinishInterruptsTheWriterAndWaitsForIt() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    assertTimeoutPreemptively(
        ofSeconds(10),
        () -> {
          try (WriterStage stage = new WriterStage(1, "test-writer")) {
            stage.submit(
                () -> {
                  started.countDown();
                  try {
                    Thread.sleep(60_000);
                  } catch (InterruptedException e) {
                    interrupted.set(true);
                  }
                });
            started.await();
          }
        });
    assertTrue(interrupted.get(), "close() interrupted the writer and waited for it");
  }

  @Test
  void capacityZeroRunsInlineOnTheCallersThread() {
    List<String> threads = new ArrayList<>();
    try (WriterStage stage = new WriterStage(0, "unused")) {
      stage.submit(() -> threads.add(Thread.currentThread().getName()));
      stage.finish();
    }
    assertEquals(List.of(Thread.currentThread().getName()), threads);
  }
}
