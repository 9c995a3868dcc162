package org.cemiface.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * Kills a local cluster's executor JVM (SIGKILL, as an OOM killer or a lost node would) once, when
 * the {@code nthTask}-th task of the first stage with at least {@code minTasks} tasks starts: the
 * executor dies with that task and its siblings running and the stage's finished outputs on it. The
 * executors of Spark's local-cluster master are child processes of the JVM that runs the test.
 */
public final class ExecutorKiller extends SparkListener {
  private final int minTasks;
  private final int nthTask;
  private final AtomicInteger target = new AtomicInteger(-1);
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicReference<String> killed = new AtomicReference<>();
  private final AtomicInteger removed = new AtomicInteger();

  /** Arms a killer for the {@code nthTask}-th task of the first stage of {@code minTasks}+. */
  public ExecutorKiller(int minTasks, int nthTask) {
    this.minTasks = minTasks;
    this.nthTask = nthTask;
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted event) {
    if (event.stageInfo().numTasks() >= minTasks) {
      target.compareAndSet(-1, event.stageInfo().stageId());
    }
  }

  @Override
  public void onTaskStart(SparkListenerTaskStart event) {
    if (event.stageId() != target.get() || started.incrementAndGet() != nthTask) {
      return;
    }
    List<ProcessHandle> executors =
        ProcessHandle.current().descendants().filter(ExecutorKiller::isExecutor).toList();
    if (executors.isEmpty()) {
      return;
    }
    executors.forEach(ProcessHandle::destroyForcibly);
    killed.set(
        "stage "
            + event.stageId()
            + ", task "
            + event.taskInfo().index()
            + ": killed executor processes "
            + executors.stream().map(ProcessHandle::pid).toList());
  }

  /**
   * Whether {@code p} runs Spark's executor backend. Read from /proc in full: ProcessHandle's
   * command line stops at 4 KB, long before the class name that follows the test classpath.
   */
  private static boolean isExecutor(ProcessHandle p) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(p.pid()), "cmdline")))
          .contains("org.apache.spark.executor.CoarseGrainedExecutorBackend");
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void onExecutorRemoved(SparkListenerExecutorRemoved event) {
    removed.incrementAndGet();
  }

  /** What was killed, or null when the armed task never started or no executor was found. */
  public String killed() {
    return killed.get();
  }

  /** Executors the driver saw removed. */
  public int executorsRemoved() {
    return removed.get();
  }
}
