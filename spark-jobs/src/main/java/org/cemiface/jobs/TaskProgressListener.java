package org.cemiface.jobs;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.cemiface.progress.Progress;

/**
 * Driver-side progress of a job's result tasks (one per block or partition): rate and ETA from
 * finished tasks. Shuffle-map tasks of earlier stages are not counted.
 */
public final class TaskProgressListener extends SparkListener {
  private final Progress progress;

  /** Reports finished result tasks to {@code progress}. */
  public TaskProgressListener(Progress progress) {
    this.progress = progress;
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    if ("ResultTask".equals(taskEnd.taskType()) && taskEnd.taskInfo().successful()) {
      synchronized (progress) {
        progress.advance(1);
      }
    }
  }
}
